/**
 * Rewards (learnability, solve, format) and advantages (TRR++, REINFORCE++, GRPO):
 * plain functions from numbers to numbers.
 * @module
 */
export * from "./rewards.ts";
export * from "./advantages.ts";
