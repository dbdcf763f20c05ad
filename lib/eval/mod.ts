/**
 * Held-out evaluation: suites of hand-written tasks (`data/eval/<world>/*.jsonl`), the model's
 * accuracy per task type, and the chance levels of the same tasks.
 * @module
 */
export * from "./suite.ts";
export * from "./task_records.ts";
export * from "./evaluate.ts";
export * from "./baselines.ts";
export * from "./generator_suite.ts";
export * from "./eval_sets.ts";
export * from "./best_of.ts";
export * from "./proposals.ts";
export * from "./beyond.ts";
