/**
 * Differentiable per-token log-probs (and entropies) of given completions under the same masked,
 * temperature-scaled distribution the sampler drew from: the policy-gradient loss is built on these.
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import "./gradients.ts"; // tfjs-core alone registers no gradients
import { fitMask, maskedLogSoftmaxFinite } from "./distribution.ts";
import type { PaddedBatch, Transformer } from "./transformer.ts";

/** The sequences to score. */
export interface LogprobsBatch {
  /** Prompt tokens per sequence (non-empty). */
  prompts: readonly (readonly number[])[];
  /** Completion tokens per sequence (may be empty: all its weights are 0). */
  completions: readonly (readonly number[])[];
  /** The mask of each completion step (as returned by sampling); absent = every token allowed. */
  masks?: readonly (readonly Uint8Array[])[];
  /** Softmax temperature used when sampling (default 1). */
  temperature?: number;
  /**
   * How the forward pass runs (see {@linkcode LogprobsForward}; default `"completion"`): the same
   * log-probs either way, to float tolerance.
   */
  forward?: LogprobsForward;
}

/**
 * `"full"`: every block over every column, then the predicting columns sliced out (the old path).
 * `"completion"`: the last block computes its queries, output projection and MLP only for the
 * columns that predict completion tokens (its keys and values still cover the prompt): fewer
 * FLOPs, most of all for long prompts.
 */
export type LogprobsForward = "full" | "completion";

/** Tensors [B, Tc] (Tc = the longest completion); the caller disposes them (or uses tf.tidy). */
export interface LogprobsResult {
  /** Log-prob of each completion token; 0 at padded positions. Differentiable. */
  logprobs: tf.Tensor2D;
  /** 1 for real completion tokens, 0 for padding. */
  weights: tf.Tensor2D;
  /** Entropy (nats) of the masked distribution at each position; 0 at padded positions. */
  entropy: tf.Tensor2D;
}

/**
 * Scores completions. Rows are laid out as `[pad…, prompt, completion, pad…]` so that every
 * completion starts in the same column, and one slice picks the predicting positions.
 */
export function completionLogprobs(model: Transformer, batch: LogprobsBatch): LogprobsResult {
  const { prompts, completions } = batch;
  const B = prompts.length;
  const V = model.options.vocabSize;
  if (completions.length !== B) {
    throw new Error(`logprobs: ${completions.length} completions for ${B} prompts`);
  }
  if (batch.masks && batch.masks.length !== B) {
    throw new Error(`logprobs: ${batch.masks.length} mask lists for ${B} prompts`);
  }
  const temperature = batch.temperature ?? 1;
  const Pmax = Math.max(...prompts.map((p) => p.length));
  const Tc = Math.max(1, ...completions.map((c) => c.length));
  if (prompts.some((p) => p.length === 0)) {
    throw new Error("logprobs: every prompt needs at least one token (a BOS)");
  }
  // The last completion token is never an input: T = Pmax + Tc - 1 columns.
  const T = Pmax + Tc - 1;
  const ids = new Int32Array(B * T);
  const target = new Int32Array(B * Tc);
  const weight = new Float32Array(B * Tc);
  const mask = new Uint8Array(B * Tc * V).fill(1);
  const padLeft: number[] = [];
  for (let b = 0; b < B; b++) {
    const p = prompts[b]!;
    const c = completions[b]!;
    const m = batch.masks?.[b];
    if (m && m.length !== c.length) {
      throw new Error(`logprobs: sequence ${b} has ${c.length} tokens but ${m.length} masks`);
    }
    const pad = Pmax - p.length;
    padLeft.push(pad);
    ids.set(p, b * T + pad);
    ids.set(c.slice(0, Tc - 1), b * T + Pmax);
    c.forEach((tok, j) => {
      if (!Number.isInteger(tok) || tok < 0 || tok >= V) {
        throw new Error(`logprobs: sequence ${b} has token ${tok} outside [0, ${V})`);
      }
      const mj = m?.[j] && fitMask(m[j]!, V);
      if (mj) {
        if (mj.length !== V) {
          throw new Error(`logprobs: mask ${b}/${j} has ${mj.length} entries, vocabulary ${V}`);
        }
        if (!mj[tok]) {
          throw new Error(`logprobs: sequence ${b} token ${j} (${tok}) is outside its own mask`);
        }
        mask.set(mj, (b * Tc + j) * V);
      }
      target[b * Tc + j] = tok;
      weight[b * Tc + j] = 1;
    });
  }
  const padded: PaddedBatch = { ids, batch: B, time: T, padLeft };
  return tf.tidy(() => {
    const D = model.options.dModel;
    const from = Pmax - 1; // the column that predicts the first completion token
    const hidden = (batch.forward ?? "completion") === "full"
      ? tf.slice(model.forward(padded).hidden, [0, from, 0], [B, Tc, D]) // [B, T, D] → [B, Tc, D]
      : model.forward(padded, { from }).hidden; // [B, Tc, D]
    const h = tf.reshape(hidden, [B * Tc, D]) as tf.Tensor2D;
    const logits = tf.div(model.logits(h), temperature) as tf.Tensor2D; // [B*Tc, V]
    const allowed = tf.cast(tf.tensor2d(mask, [B * Tc, V], "int32"), "bool") as tf.Tensor2D;
    const logp = maskedLogSoftmaxFinite(logits, allowed); // [B*Tc, V], ≈ -1e30 outside the mask
    const w = tf.tensor2d(weight, [B, Tc]);
    const hot = tf.cast(tf.oneHot(tf.tensor1d(target, "int32"), V), "float32"); // [B*Tc, V]
    const chosen = tf.mul(tf.reshape(tf.sum(tf.mul(logp, hot), -1), [B, Tc]), w) as tf.Tensor2D;
    const plogp = tf.where(allowed, tf.mul(tf.exp(logp), logp), tf.zerosLike(logp));
    const entropy = tf.mul(tf.reshape(tf.neg(tf.sum(plogp, -1)), [B, Tc]), w) as tf.Tensor2D;
    return { logprobs: chosen, weights: w, entropy };
  });
}
