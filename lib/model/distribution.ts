/**
 * The masked, temperature-scaled next-token distribution: drawn from in plain JS (float64, seeded)
 * at sampling time, and as a differentiable tensor at training time.
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Rng } from "../rng.ts";

/** How one token is drawn from a row of logits. */
export interface DrawOptions {
  /** Softmax temperature (> 0). */
  temperature: number;
  /** Nucleus sampling: keep the smallest set of top tokens whose mass reaches topP (default 1). */
  topP?: number;
  /** Take the most likely allowed token (lowest id on ties) instead of sampling. */
  greedy?: boolean;
}

const FITTED = new WeakMap<Uint8Array, Uint8Array>();

/**
 * A constraint's mask (over the whole language vocabulary) cut to a model's `V` tokens. A world's
 * tokens are a prefix of the vocabulary, so the cut drops only tokens the world cannot write;
 * a mask that allows one of them is a config bug (e.g. literals wider than the model's world),
 * and throws. Cached per mask array (constraints share their masks).
 */
export function fitMask(mask: Uint8Array, V: number): Uint8Array {
  if (mask.length === V) return mask;
  let m = FITTED.get(mask);
  if (m && m.length === V) return m;
  if (mask.length < V) {
    throw new Error(`Mask has ${mask.length} entries, fewer than the vocabulary's ${V}`);
  }
  const beyond = mask.indexOf(1, V);
  if (beyond >= 0) {
    throw new Error(
      `The constraint allows token ${beyond}, beyond this model's ${V} tokens: the world's ints or literals are wider than the model's vocabulary`,
    );
  }
  m = mask.subarray(0, V);
  FITTED.set(mask, m);
  return m;
}

/**
 * Draws one token from logits [V] restricted to `mask`. Returns the token and its log-prob under
 * the masked, temperature-scaled distribution (before any topP truncation, so it matches
 * {@linkcode maskedLogSoftmax} at training time). Throws when the mask allows nothing.
 */
export function drawToken(
  logits: Float32Array,
  mask: Uint8Array,
  rng: Rng,
  opts: DrawOptions,
): { token: number; logprob: number } {
  const V = logits.length;
  if (mask.length !== V) {
    throw new Error(`drawToken: mask has ${mask.length} entries, vocabulary has ${V}`);
  }
  const invT = 1 / opts.temperature;
  let max = -Infinity;
  let best = -1;
  for (let i = 0; i < V; i++) {
    if (mask[i] && logits[i]! * invT > max) [max, best] = [logits[i]! * invT, i];
  }
  if (best < 0) {
    throw new Error(
      "drawToken: the constraint allowed no token but is not done(); fix the constraint",
    );
  }
  const p = new Float64Array(V);
  let sum = 0;
  for (let i = 0; i < V; i++) {
    if (mask[i]) sum += p[i] = Math.exp(logits[i]! * invT - max);
  }
  const logZ = Math.log(sum);
  const logprobOf = (tok: number) => logits[tok]! * invT - max - logZ;
  if (opts.greedy) return { token: best, logprob: logprobOf(best) };
  const topP = opts.topP ?? 1;
  let candidates: number[] | undefined;
  let mass = sum;
  if (topP < 1) {
    const order = [];
    for (let i = 0; i < V; i++) if (mask[i]) order.push(i);
    order.sort((a, b) => p[b]! - p[a]! || a - b);
    candidates = [];
    let cum = 0;
    for (const i of order) {
      candidates.push(i);
      cum += p[i]!;
      if (cum >= topP * sum) break;
    }
    mass = cum;
  }
  let u = rng.next() * mass;
  let last = best;
  for (const i of candidates ?? indices(mask)) {
    last = i;
    u -= p[i]!;
    if (u < 0) return { token: i, logprob: logprobOf(i) };
  }
  return { token: last, logprob: logprobOf(last) }; // rounding left u ≥ 0: take the last candidate
}

function* indices(mask: Uint8Array): Generator<number> {
  for (let i = 0; i < mask.length; i++) if (mask[i]) yield i;
}

/**
 * Log-softmax of logits [N, V] over the allowed tokens of `mask` (bool or 0/1, [N, V]); −∞
 * outside the mask. Differentiable in `logits`.
 */
export function maskedLogSoftmax(logits: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const allowed = tf.cast(mask, "bool");
    const inside = maskedLogSoftmaxFinite(logits, allowed);
    return tf.where(allowed, inside, tf.fill(logits.shape, -Infinity)) as tf.Tensor2D;
  });
}

/**
 * Like {@linkcode maskedLogSoftmax} but finite outside the mask (≈ −1e30 there), so it can be
 * multiplied by zeros without NaNs. `allowed` is a bool tensor [N, V].
 */
export function maskedLogSoftmaxFinite(logits: tf.Tensor2D, allowed: tf.Tensor2D): tf.Tensor2D {
  const z = tf.where(allowed, logits, tf.fill(logits.shape, -1e30)) as tf.Tensor2D;
  return tf.sub(z, tf.logSumExp(z, -1, true));
}
