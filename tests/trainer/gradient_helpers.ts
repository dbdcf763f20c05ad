/**
 * What the oracle tests of the update steps share (update_test.ts, cross_entropy_test.ts): the
 * gradient a step applied, read from AdamW's first moment (beta1 = 0 and no clipping store it
 * verbatim: m = g after one step), and relative errors between gradients.
 */
import assert from "node:assert/strict";
import { TransformerPolicy } from "../../lib/model/mod.ts";
import { TINY_SIZES } from "../model/helpers.ts";

/** The first moments after one step (= the gradients, see the module comment), by name. */
export function gradients(policy: TransformerPolicy): Map<string, Float32Array> {
  return new Map(
    [...policy.optimizer.state.m].map(([name, m]) => [name, m.dataSync() as Float32Array]),
  );
}

export function norm(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]! ** 2;
  return Math.sqrt(s);
}

/**
 * Per parameter, ‖a − b‖ / ‖b‖, with ‖b‖ floored at 1e-5 of the global norm: the attention key
 * biases' exact gradient is 0 (softmax ignores a constant per query), so theirs is rounding noise.
 */
export function relativeErrors(
  a: Map<string, ArrayLike<number>>,
  b: Map<string, ArrayLike<number>>,
): Map<string, number> {
  const global = Math.hypot(...[...b.values()].map(norm));
  const out = new Map<string, number>();
  for (const [name, y] of b) {
    const x = a.get(name);
    assert.ok(x, `no gradient for ${name}`);
    const diff = Array.from(y, (v, i) => x[i]! - v);
    out.set(name, norm(diff) / Math.max(norm(y), 1e-5 * global));
  }
  return out;
}

export function assertClose(got: number, want: number, tol: number, what: string): void {
  assert.ok(Math.abs(got - want) <= tol, `${what}: got ${got}, want ${want} (±${tol})`);
}

/**
 * A small policy whose first step's moment is its gradient (beta1 = 0, no clipping, no weight
 * decay); every call with the same `seed` gives the same weights.
 */
export function oraclePolicy(
  vocabSize: number,
  seed: number,
  kernels: "fast" | "reference" = "fast",
  attention?: "matMul" | "depthwise",
): TransformerPolicy {
  return new TransformerPolicy({
    vocabSize,
    ...TINY_SIZES,
    kernels,
    ...(attention ? { attention } : {}),
    seed,
    lr: 1e-3,
    weightDecay: 0,
    beta1: 0,
    beta2: 0.99,
    gradClip: 1e9,
  });
}
