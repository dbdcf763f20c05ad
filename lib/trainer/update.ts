/**
 * The policy-gradient update (paper §3.3.5): one PPO-clip step over every
 * rollout of the batch, proposer and solver together, each weighted by its
 * advantage; plus an entropy bonus. Token-level mean, as in REINFORCE++.
 *
 *   ratio_t = exp(logπ(a_t) − logπ_old(a_t))
 *   L = −mean_t min(ratio_t·A, clip(ratio_t, 1−ε, 1+ε)·A) − c_ent · mean_t H_t
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { completionLogprobs } from "../model/logprobs.ts";
import type { AdamW } from "../model/optimizer.ts";
import type { Transformer } from "../model/transformer.ts";
import type { Rollout } from "../tasks/propose.ts";

/** Options of {@linkcode policyUpdate} (the config's names). */
export interface UpdateOptions {
  ppoClip: number;
  ppoEpochs: number;
  entropyCoef: number;
}

/** What one update measured. */
export interface UpdateStats {
  loss: number;
  gradNorm: number;
  /** Mean entropy (nats/token) of the masked policy over the batch. */
  entropy: number;
  /** Fraction of tokens whose ratio was clipped (0 in the first epoch). */
  clipFrac: number;
  tokens: number;
}

/**
 * Updates the model on rollouts with their advantages. Rollouts with an empty
 * completion or a zero advantage still count in the token mean (they pull
 * nothing) — except that an all-zero batch skips the step entirely.
 */
export async function policyUpdate(
  model: Transformer,
  optimizer: AdamW,
  rollouts: readonly Rollout[],
  advantages: readonly number[],
  opts: UpdateOptions,
): Promise<UpdateStats> {
  const used = rollouts.map((r, i) => ({ r, a: advantages[i]! })).filter(({ r }) => r.completion.length > 0);
  const tokens = used.reduce((s, { r }) => s + r.completion.length, 0);
  if (used.length === 0 || used.every(({ a }) => a === 0)) {
    return { loss: 0, gradNorm: 0, entropy: NaN, clipFrac: 0, tokens };
  }
  // Rollouts sampled at different temperatures are scored in separate forward passes.
  const byTemp = new Map<number, typeof used>();
  for (const u of used) byTemp.set(u.r.temperature, [...(byTemp.get(u.r.temperature) ?? []), u]);
  let stats: UpdateStats = { loss: 0, gradNorm: 0, entropy: 0, clipFrac: 0, tokens };
  for (let epoch = 0; epoch < opts.ppoEpochs; epoch++) {
    let entropySum = 0;
    let clipped = 0;
    const { loss, gradNorm } = await optimizer.step(() => {
      const parts: tf.Scalar[] = [];
      for (const [temperature, group] of byTemp) {
        const B = group.length;
        const out = completionLogprobs(model, {
          prompts: group.map(({ r }) => r.prompt),
          completions: group.map(({ r }) => r.completion),
          masks: group.map(({ r }) => r.masks),
          temperature,
        });
        const Tc = out.logprobs.shape[1];
        const old = new Float32Array(B * Tc);
        group.forEach(({ r }, b) => old.set(r.logprobs, b * Tc));
        const oldT = tf.tensor2d(old, [B, Tc]);
        const adv = tf.tensor2d(group.map(({ a }) => a), [B, 1]); // [B, 1], broadcast over tokens
        const ratio = tf.exp(tf.mul(tf.sub(out.logprobs, oldT), out.weights)); // [B, Tc]; 1 at padding
        const unclipped = tf.mul(ratio, adv);
        const clippedObj = tf.mul(tf.clipByValue(ratio, 1 - opts.ppoClip, 1 + opts.ppoClip), adv);
        const objective = tf.mul(tf.minimum(unclipped, clippedObj), out.weights);
        const entropy = tf.sum(out.entropy);
        entropySum += tf.tidy(() => entropy.dataSync()[0]!);
        clipped += tf.tidy(() =>
          tf.sum(tf.mul(tf.cast(tf.notEqual(unclipped, clippedObj), "float32"), out.weights)).dataSync()[0]!
        );
        parts.push(tf.div(tf.add(tf.neg(tf.sum(objective)), tf.mul(entropy, -opts.entropyCoef)), tokens));
      }
      return tf.addN(parts) as tf.Scalar;
    });
    stats = { loss, gradNorm, entropy: entropySum / tokens, clipFrac: clipped / tokens, tokens };
  }
  return stats;
}
