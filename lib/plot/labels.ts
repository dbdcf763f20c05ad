/**
 * End-of-line labels that do not overlap: each series is labelled at its last point, and labels
 * closer than a line of text are pushed apart (top to bottom, then back up if the last one left
 * the plot), so a standalone SVG can name its series without a legend.
 *
 * @example
 * ```ts
 * import { dodge } from "./labels.ts";
 * // Two labels at 0.50 and 0.51 on a 0–1 axis 200 px tall, 12 px apart at least:
 * console.log(dodge([0.5, 0.51], { domain: [0, 1], height: 200, gap: 12 }));
 * ```
 * @module
 */

/** Options of {@linkcode dodge}. */
export interface DodgeOptions {
  /** The y axis's domain [lo, hi] (data units). */
  domain: readonly [number, number];
  /** The plot's inner height in pixels (height − margins). */
  height: number;
  /** Smallest distance between two labels, in pixels (default 12: one line of 10px text). */
  gap?: number;
}

/** The labels' y positions (data units, in input order) moved apart by at least `gap` pixels. */
export function dodge(ys: readonly number[], opts: DodgeOptions): number[] {
  const [lo, hi] = opts.domain;
  const span = hi - lo || 1;
  const gap = opts.gap ?? 12;
  const toPx = (y: number) => (1 - (y - lo) / span) * opts.height; // 0 = top
  const toY = (px: number) => lo + (1 - px / opts.height) * span;
  const order = ys.map((y, i) => ({ i, px: toPx(y), at: toPx(y) })).sort((a, b) => a.px - b.px);
  for (let k = 1; k < order.length; k++) {
    order[k]!.px = Math.max(order[k]!.px, order[k - 1]!.px + gap);
  }
  // Labels pushed below the plot move back up (keeping their gaps).
  const overflow = (order.at(-1)?.px ?? 0) - opts.height;
  if (overflow > 0) {
    for (let k = order.length - 1; k >= 0; k--) {
      const below = k === order.length - 1 ? opts.height : order[k + 1]!.px - gap;
      order[k]!.px = Math.min(order[k]!.px, below);
    }
  }
  const out = new Array<number>(ys.length);
  for (const o of order) out[o.i] = o.px === o.at ? ys[o.i]! : toY(o.px);
  return out;
}
