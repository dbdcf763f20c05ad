/**
 * Held-out evaluation: suites of hand-written tasks (`data/eval/*.jsonl`).
 * @module
 */
export * from "./suite.ts";
export * from "./evaluate.ts";
