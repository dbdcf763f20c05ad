/**
 * The policy-gradient update (paper §3.3.5): one PPO-clip step over every
 * rollout of the batch, proposer and solver together, each weighted by its
 * advantage; plus an entropy bonus. Token-level mean, as in REINFORCE++.
 *
 *   ratio_t = exp(logπ(a_t) − logπ_old(a_t))
 *   L = −mean_t min(ratio_t·A, clip(ratio_t, 1−ε, 1+ε)·A) − c_ent · mean_t H_t + β · mean_t KL_t
 *
 * The KL term (config `klCoef` = β; not in the paper, which drops it) keeps the policy near a
 * reference model, e.g. the base it started from: KL_t = exp(r_t) − r_t − 1 with
 * r_t = logπ_ref(a_t) − logπ(a_t) (the unbiased, non-negative "k3" estimator GRPO uses).
 *
 * The batch is scored in micro-batches whose gradients are accumulated (same
 * loss, same gradient, bounded memory: the full-vocabulary logits of every
 * completion token are what fills memory).
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { AdamW } from "../model/optimizer.ts";
import type { LogprobsForward } from "../model/logprobs.ts";
import type { Policy } from "../model/policy.ts";
import type { Rollout } from "../tasks/propose.ts";

/** Options of {@linkcode policyUpdate} (the config's names). */
export interface UpdateOptions {
  ppoClip: number;
  ppoEpochs: number;
  entropyCoef: number;
  /** Padded tokens per micro-batch (and a quarter of it in completion tokens). */
  microBatchTokens: number;
  /** The model's context: a micro-batch's longest prompt + longest completion must fit. */
  contextLen: number;
  /** β of the KL penalty toward the reference log-probs (0 or absent: none, as the paper). */
  klCoef?: number;
  /** The forward pass of the log-probs (config `logprobsForward`; default `"completion"`). */
  logprobsForward?: LogprobsForward;
}

/** What one update measured. */
export interface UpdateStats {
  loss: number;
  gradNorm: number;
  /** Mean entropy (nats/token) of the masked policy over the batch (NaN when the step was skipped). */
  entropy: number;
  /** Fraction of tokens whose ratio was clipped (0 in the first epoch). */
  clipFrac: number;
  tokens: number;
  /** Mean KL estimate (nats/token) to the reference before the update (with a reference). */
  kl?: number;
}

interface Item {
  r: Rollout;
  a: number;
  /** Reference log-probs of the completion (with a KL penalty). */
  ref?: readonly number[] | undefined;
}

/**
 * Splits rollouts into micro-batches of one (temperature, role, task type) each
 * — so prompts and completions have similar shapes — sorted by length so that
 * little padding is scored, each at most `budget` padded tokens and with its
 * longest prompt plus longest completion within the context.
 */
export function microBatches(items: readonly Item[], budget: number, contextLen: number): Item[][] {
  const out: Item[][] = [];
  const kindOf = ({ r }: Item) => `${r.temperature}|${r.role}|${r.task}`;
  for (const kind of new Set(items.map(kindOf))) {
    const sorted = items.filter((it) => kindOf(it) === kind)
      .sort((x, y) =>
        x.r.prompt.length + x.r.completion.length - (y.r.prompt.length + y.r.completion.length)
      );
    let cur: Item[] = [];
    let maxP = 0;
    let maxC = 0;
    for (const it of sorted) {
      const p = Math.max(maxP, it.r.prompt.length);
      const c = Math.max(maxC, it.r.completion.length);
      // Bounds: padded tokens, completion tokens (each holds a full-vocabulary row of
      // logits and its gradient, the bulk of the memory), and the context.
      const n = cur.length + 1;
      if (
        cur.length > 0 && (n * (p + c) > budget || n * c > budget / 4 || p + c - 1 > contextLen)
      ) {
        out.push(cur);
        cur = [];
      }
      cur.push(it);
      maxP = cur.length === 1 ? it.r.prompt.length : p;
      maxC = cur.length === 1 ? it.r.completion.length : c;
    }
    if (cur.length) out.push(cur);
  }
  return out;
}

/**
 * Updates the model on rollouts with their advantages. Every completion token
 * of the batch counts once in the mean; an all-zero-advantage batch skips the
 * step (it would only apply the entropy bonus).
 */
export async function policyUpdate(
  policy: Policy,
  optimizer: AdamW,
  rollouts: readonly Rollout[],
  advantages: readonly number[],
  opts: UpdateOptions,
  reference?: readonly (readonly number[])[],
): Promise<UpdateStats> {
  const beta = reference ? opts.klCoef ?? 0 : 0;
  const used = rollouts.map((r, i) => ({ r, a: advantages[i]!, ref: reference?.[i] })).filter((
    { r },
  ) => r.completion.length > 0);
  const tokens = used.reduce((s, { r }) => s + r.completion.length, 0);
  if (used.length === 0 || (beta === 0 && used.every(({ a }) => a === 0))) {
    return { loss: 0, gradNorm: 0, entropy: NaN, clipFrac: 0, tokens };
  }
  const batches = microBatches(used, opts.microBatchTokens, opts.contextLen);
  let stats: UpdateStats = { loss: 0, gradNorm: 0, entropy: 0, clipFrac: 0, tokens };
  for (let epoch = 0; epoch < opts.ppoEpochs; epoch++) {
    let entropySum = 0;
    let clipped = 0;
    let klSum = 0;
    const losses = batches.map((group) => () => {
      const B = group.length;
      const out = policy.logprobs({
        prompts: group.map(({ r }) => r.prompt),
        completions: group.map(({ r }) => r.completion),
        masks: group.map(({ r }) => r.masks),
        temperature: group[0]!.r.temperature,
        forward: opts.logprobsForward ?? "completion",
      });
      const Tc = out.logprobs.shape[1];
      const old = new Float32Array(B * Tc);
      group.forEach(({ r }, b) => old.set(r.logprobs, b * Tc));
      const oldT = tf.tensor2d(old, [B, Tc]);
      const adv = tf.tensor2d(group.map(({ a }) => a), [B, 1]); // [B, 1], broadcast over tokens
      const ratio = tf.exp(tf.mul(tf.sub(out.logprobs, oldT), out.weights)); // [B, Tc]; 1 at padding
      const unclipped = tf.mul(ratio, adv);
      const clippedObj = tf.mul(tf.clipByValue(ratio, 1 - opts.ppoClip, 1 + opts.ppoClip), adv);
      const objective = tf.mul(tf.minimum(unclipped, clippedObj), out.weights); // [B, Tc]
      const entropy = tf.sum(out.entropy);
      entropySum += entropy.dataSync()[0]!;
      clipped += tf.tidy(() =>
        tf.sum(tf.mul(tf.cast(tf.notEqual(unclipped, clippedObj), "float32"), out.weights))
          .dataSync()[0]!
      );
      let loss = tf.add(tf.neg(tf.sum(objective)), tf.mul(entropy, -opts.entropyCoef));
      if (beta > 0) {
        const ref = new Float32Array(B * Tc);
        group.forEach(({ ref: r }, b) => ref.set(r!, b * Tc));
        // k3 at every real token (padding: r = 0 → 0).
        const r = tf.mul(tf.sub(tf.tensor2d(ref, [B, Tc]), out.logprobs), out.weights);
        const kl = tf.sum(tf.mul(tf.sub(tf.sub(tf.exp(r), r), 1), out.weights));
        klSum += kl.dataSync()[0]!;
        loss = tf.add(loss, tf.mul(kl, beta));
      }
      return tf.div(loss, tokens) as tf.Scalar;
    });
    const { loss, gradNorm } = await optimizer.stepAccumulated(losses);
    // The KL before any update of this step: the first epoch's.
    const kl = epoch === 0 ? klSum / tokens : stats.kl;
    stats = {
      loss,
      gradNorm,
      entropy: entropySum / tokens,
      clipFrac: clipped / tokens,
      tokens,
      ...(beta > 0 && kl !== undefined ? { kl } : {}),
    };
  }
  return stats;
}

/**
 * Each rollout's completion log-probs under a reference policy (e.g. the frozen base), at the
 * rollout's temperature and masks, in the update's micro-batches: the KL penalty's reference.
 */
export function referenceLogprobs(
  reference: Policy,
  rollouts: readonly Rollout[],
  opts: Pick<UpdateOptions, "microBatchTokens" | "contextLen">,
): number[][] {
  const out: number[][] = rollouts.map(() => []);
  const index = new Map(rollouts.map((r, i) => [r, i]));
  const items = rollouts.filter((r) => r.completion.length > 0).map((r) => ({ r, a: 0 }));
  for (const group of microBatches(items, opts.microBatchTokens, opts.contextLen)) {
    const values = tf.tidy(() =>
      reference.logprobs({
        prompts: group.map(({ r }) => r.prompt),
        completions: group.map(({ r }) => r.completion),
        masks: group.map(({ r }) => r.masks),
        temperature: group[0]!.r.temperature,
      }).logprobs.arraySync() as number[][]
    );
    group.forEach(({ r }, b) => {
      out[index.get(r)!] = values[b]!.slice(0, r.completion.length);
    });
  }
  return out;
}
