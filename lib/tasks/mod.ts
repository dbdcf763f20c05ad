/**
 * The three Absolute Zero task types as stages: prompts, proposing,
 * validation, solving, answer checks, buffers, seeds, and the random-task
 * curriculum.
 * @module
 */
export * from "./records.ts";
export * from "./buffer.ts";
export * from "./prompts.ts";
export * from "./propose.ts";
export * from "./validate.ts";
export * from "./solve.ts";
export * from "./seed.ts";
export * from "./random.ts";
export * from "./constant.ts";
