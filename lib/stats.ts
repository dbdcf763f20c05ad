/**
 * Small statistics for results over seeds: mean and a Student-t 95%
 * confidence interval of the mean.
 * @module
 */

// Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom.
// deno-fmt-ignore
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145,
  2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048,
  2.045, 2.042,
];

/** Mean and 95% CI half-width over samples (half-width NaN for fewer than 2 samples). */
export interface MeanCI {
  mean: number;
  /** Half-width of the 95% confidence interval of the mean. */
  ci95: number;
  n: number;
}

/** Mean and Student-t 95% CI of the mean (sample standard deviation, n − 1). */
export function meanCI(xs: readonly number[]): MeanCI {
  const n = xs.length;
  if (n === 0) return { mean: NaN, ci95: NaN, n };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, ci95: NaN, n };
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  const t = T975[n - 2] ?? 1.96;
  return { mean, ci95: t * Math.sqrt(variance / n), n };
}
