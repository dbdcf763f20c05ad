/**
 * Ablation grids: configs × seeds run with equal budgets, summarised with
 * 95% confidence intervals.
 * @module
 */
export * from "./diagnose.ts";
export * from "./grids.ts";
export * from "./runner.ts";
export * from "./summary.ts";
export * from "../stats.ts";
