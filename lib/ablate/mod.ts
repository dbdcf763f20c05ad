/**
 * Ablation grids: configs × seeds run with equal budgets (on this machine or as a Slurm job
 * array), summarised with 95% confidence intervals.
 * @module
 */
export * from "./cell.ts";
export * from "./collect.ts";
export * from "./diagnose.ts";
export * from "./grids.ts";
export * from "./runner.ts";
export * from "./slurm.ts";
export * from "./summary.ts";
export * from "../stats.ts";
