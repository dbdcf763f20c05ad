/**
 * Exponential moving average of a noisy per-step series, as TensorBoard's smoothing slider:
 * `s_t = w·s_{t-1} + (1 − w)·x_t`, divided by `1 − w^t` so the first points are not pulled
 * towards 0.
 *
 * @example
 * ```ts
 * import { ema } from "./smooth.ts";
 * console.log(ema([1, 1, 1], 0.9)); // [1, 1, 1]
 * ```
 * @module
 */

/** The debiased EMA of `xs` with weight `w` ∈ [0, 1) (0 returns the values unchanged). */
export function ema(xs: readonly number[], w: number): number[] {
  if (!(w >= 0 && w < 1)) throw new RangeError(`ema: weight must be in [0, 1), got ${w}`);
  let s = 0;
  let norm = 0;
  return xs.map((x) => {
    s = w * s + (1 - w) * x;
    norm = w * norm + (1 - w);
    return s / norm;
  });
}
