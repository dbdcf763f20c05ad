/**
 * What the training progress line shows: durations (`45s`, `12m05s`, `2h05m`) and the time
 * left, estimated from the steps this process has finished (none yet: unknown) and capped by
 * the run's wall-clock budget.
 *
 * @example
 * ```ts
 * import { etaSeconds, formatDuration } from "./progress.ts";
 * console.log(formatDuration(7199.6)); // "2h00m"
 * console.log(etaSeconds({ stepsDone: 2, secondsForThem: 90, stepsLeft: 10 })); // 450
 * ```
 * @module
 */

/** A duration in seconds as `45s`, `12m05s` or `2h05m` (rounded once, so never `2h60m`). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "–";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  const m = Math.round(s / 60); // hours and minutes from one rounded count of minutes
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

/**
 * Seconds left: the mean time of the steps finished so far times the steps left, no more than
 * `budgetLeftS` when the run has a budget; undefined before the first step finishes.
 */
export function etaSeconds(opts: {
  stepsDone: number;
  secondsForThem: number;
  stepsLeft: number;
  budgetLeftS?: number;
}): number | undefined {
  if (opts.stepsDone <= 0) return undefined;
  const bySteps = (opts.secondsForThem / opts.stepsDone) * Math.max(0, opts.stepsLeft);
  return opts.budgetLeftS === undefined
    ? bySteps
    : Math.min(bySteps, Math.max(0, opts.budgetLeftS));
}
