/**
 * The PPO-clip update (lib/trainer/update.ts) against independent references:
 * its loss against a hand computation from a plain forward pass (softmax in
 * float64 here, under each step's mask and the temperature), its gradient at
 * ratio 1 against the REINFORCE gradient, and gradients accumulated over
 * micro-batches against the one-batch gradient.
 *
 * Reading the gradient: policyUpdate applies it at once, but AdamW's first step
 * with beta1 = 0 and no clipping stores it verbatim as the first moment
 * (m = beta1·0 + (1 − beta1)·g = g), so `optimizer.state.m` is the gradient of
 * the update's loss, and no export is needed.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { completionLogprobs, TransformerPolicy } from "../../lib/model/mod.ts";
import { Rng } from "../../lib/rng.ts";
import type { Rollout } from "../../lib/tasks/propose.ts";
import {
  microBatches,
  policyUpdate,
  referenceLogprobs,
  type UpdateOptions,
} from "../../lib/trainer/update.ts";
import { fullLogits, useBackend } from "../model/helpers.ts";
import { assertClose, gradients, oraclePolicy, relativeErrors } from "./gradient_helpers.ts";

await useBackend("wasm");

const V = 11;
const TEMPERATURE = 0.7;

/** A fresh policy; every call gives the same weights (see ./gradient_helpers.ts). */
const freshPolicy = () => oraclePolicy(V, 7);

const OPTS: UpdateOptions = {
  ppoClip: 0.2,
  ppoEpochs: 1,
  entropyCoef: 0.1,
  microBatchTokens: 100_000, // one micro-batch
  contextLen: 32,
};

/** Completion lengths: one empty (it must not count), the rest 1..6 tokens. */
const COMPLETION_LENGTHS = [3, 0, 6, 1, 4, 2, 5, 6];
const ADVANTAGES = [1.5, 0.9, -0.5, 0.8, -1.2, 0.3, 2.0, -0.7];

/** Rollouts of one kind (temperature, role, task) with mixed masks: all tokens or even ones only. */
function makeRollouts(seed: number): Rollout[] {
  const rng = new Rng(seed);
  const all = new Uint8Array(V).fill(1);
  const even = new Uint8Array(V).map((_, i) => (i % 2 === 0 ? 1 : 0));
  return COMPLETION_LENGTHS.map((n, i) => {
    const prompt = Array.from({ length: 2 + rng.int(4) }, () => rng.int(V));
    const masks = Array.from({ length: n }, () => (rng.next() < 0.5 ? even : all));
    const completion = masks.map((m) => (m === even ? 2 * rng.int(6) : rng.int(V)));
    return {
      role: "solve",
      task: "deduction",
      prompt,
      completion,
      logprobs: [], // set by the caller
      masks,
      temperature: TEMPERATURE,
      group: `g${i}`,
    };
  });
}

/** Per completion token: log-prob and entropy (nats) of the masked, tempered softmax, in float64. */
function reference(policy: TransformerPolicy, r: Rollout): { logprob: number; entropy: number }[] {
  if (r.completion.length === 0) return [];
  const logits = fullLogits(policy.model, [...r.prompt, ...r.completion]);
  return r.completion.map((tok, j) => {
    const row = logits[r.prompt.length - 1 + j]!; // the position that predicts token j
    const mask = r.masks[j]!;
    const z = [...row].map((l, i) => (mask[i] ? l / TEMPERATURE : -Infinity));
    const max = Math.max(...z);
    const logZ = max + Math.log(z.reduce((s, x) => s + Math.exp(x - max), 0));
    const logp = z.map((x) => x - logZ);
    const entropy = -logp.reduce((s, lp) => (Number.isFinite(lp) ? s + Math.exp(lp) * lp : s), 0);
    return { logprob: logp[tok]!, entropy };
  });
}

Deno.test("update: at ratio 1 the loss is −mean(A) − c·mean(H), the gradient REINFORCE's", async () => {
  const policy = freshPolicy();
  const rollouts = makeRollouts(1);
  const refs = rollouts.map((r) => reference(policy, r));
  rollouts.forEach((r, i) => (r.logprobs = refs[i]!.map((x) => x.logprob))); // old = current
  const N = COMPLETION_LENGTHS.reduce((s, n) => s + n, 0);
  // Hand computation: every ratio is 1, so min(ratio·A, clip(ratio)·A) = A for each token.
  let objective = 0;
  let entropy = 0;
  rollouts.forEach((r, i) => {
    objective += ADVANTAGES[i]! * r.completion.length;
    entropy += refs[i]!.reduce((s, x) => s + x.entropy, 0);
  });
  const wantLoss = -objective / N - OPTS.entropyCoef * entropy / N;

  const stats = await policyUpdate(policy, policy.optimizer, rollouts, ADVANTAGES, OPTS);
  assert.equal(stats.tokens, N, "every non-empty completion token counts once");
  assertClose(stats.loss, wantLoss, 1e-5, "loss");
  assertClose(stats.entropy, entropy / N, 1e-5, "mean entropy");
  assert.equal(stats.clipFrac, 0);

  // At ratio 1, ∇ratio = ∇logπ: the gradient is that of −Σ A·logπ / N − c·ΣH / N.
  const twin = freshPolicy();
  const used = rollouts.filter((r) => r.completion.length > 0);
  const adv = tf.tensor2d(
    rollouts.flatMap((r, i) => (r.completion.length > 0 ? [ADVANTAGES[i]!] : [])),
    [used.length, 1],
  );
  const { grads } = tf.variableGrads(() =>
    tf.tidy(() => {
      const out = completionLogprobs(twin.model, {
        prompts: used.map((r) => r.prompt),
        completions: used.map((r) => r.completion),
        masks: used.map((r) => r.masks),
        temperature: TEMPERATURE,
      });
      const pg = tf.sum(tf.mul(out.logprobs, adv));
      return tf.div(tf.neg(tf.add(pg, tf.mul(tf.sum(out.entropy), OPTS.entropyCoef))), N);
    }) as tf.Scalar
  );
  const byName = new Map(
    [...twin.model.params].map(([name, w]) => [name, grads[w.name]!.dataSync()]),
  );
  for (const [name, err] of relativeErrors(gradients(policy), byName)) {
    assert.ok(err < 1e-5, `${name}: relative gradient error ${err}`);
  }
  tf.dispose([adv, ...Object.values(grads)]);
  policy.dispose();
  twin.dispose();
});

Deno.test("update: clipped ratios match a hand computation; micro-batches give the one-batch gradient", async () => {
  // Old log-probs off by ±0.5 or ±0.05 nats: some ratios leave [0.8, 1.2], some stay inside.
  const offsets = [0.5, -0.05, -0.5, 0.05];
  const rollouts = makeRollouts(2);
  const probe = freshPolicy();
  const refs = rollouts.map((r) => reference(probe, r));
  probe.dispose();
  let k = 0;
  rollouts.forEach((r, i) => (r.logprobs = refs[i]!.map((x) => x.logprob + offsets[k++ % 4]!)));
  const N = COMPLETION_LENGTHS.reduce((s, n) => s + n, 0);
  const eps = OPTS.ppoClip;
  let objective = 0;
  let entropy = 0;
  let clipped = 0;
  rollouts.forEach((r, i) => {
    const A = ADVANTAGES[i]!;
    refs[i]!.forEach((x, j) => {
      const ratio = Math.exp(x.logprob - r.logprobs[j]!);
      const clippedRatio = Math.min(Math.max(ratio, 1 - eps), 1 + eps);
      objective += Math.min(ratio * A, clippedRatio * A);
      entropy += x.entropy;
      if (ratio !== clippedRatio) clipped++;
    });
  });
  assert.ok(clipped > 0 && clipped < N, `the fixture clips some tokens, not all (${clipped}/${N})`);

  const items = rollouts.filter((r) => r.completion.length > 0).map((r, i) => ({ r, a: i }));
  const split = { ...OPTS, microBatchTokens: 24 };
  assert.equal(microBatches(items, OPTS.microBatchTokens, OPTS.contextLen).length, 1);
  const parts = microBatches(items, split.microBatchTokens, split.contextLen).length;
  assert.ok(parts >= 3, `the small budget splits the batch (${parts} micro-batches)`);

  const one = freshPolicy();
  const oneStats = await policyUpdate(one, one.optimizer, rollouts, ADVANTAGES, OPTS);
  const many = freshPolicy();
  const manyStats = await policyUpdate(many, many.optimizer, rollouts, ADVANTAGES, split);
  const runs = [{ what: "one batch", s: oneStats }, {
    what: `${parts} micro-batches`,
    s: manyStats,
  }];
  for (const { what, s } of runs) {
    assertClose(s.loss, -objective / N - OPTS.entropyCoef * entropy / N, 1e-5, `${what}: loss`);
    assertClose(s.entropy, entropy / N, 1e-5, `${what}: entropy`);
    assert.equal(s.clipFrac, clipped / N, `${what}: clipped fraction`);
  }
  assertClose(manyStats.gradNorm, oneStats.gradNorm, 1e-5 * oneStats.gradNorm, "gradient norm");
  for (const [name, err] of relativeErrors(gradients(many), gradients(one))) {
    assert.ok(err < 1e-5, `${name}: micro-batch vs one-batch relative gradient error ${err}`);
  }
  one.dispose();
  many.dispose();
});

Deno.test("update: the KL penalty to a reference is β·mean(exp(r) − r − 1) and pulls the policy to it", async () => {
  const policy = freshPolicy();
  const base = oraclePolicy(V, 8); // another model: the reference
  const rollouts = makeRollouts(2);
  const mine = rollouts.map((r) => reference(policy, r));
  const theirs = rollouts.map((r) => reference(base, r));
  rollouts.forEach((r, i) => (r.logprobs = mine[i]!.map((x) => x.logprob))); // ratio 1
  const N = COMPLETION_LENGTHS.reduce((s, n) => s + n, 0);
  // The reference's log-probs as the trainer computes them, against the float64 forward pass.
  const refLogprobs = referenceLogprobs(base, rollouts, OPTS);
  refLogprobs.forEach((lp, i) => {
    assert.equal(lp.length, rollouts[i]!.completion.length);
    lp.forEach((x, j) => assertClose(x, theirs[i]![j]!.logprob, 1e-5, `ref ${i}/${j}`));
  });
  // Hand computation, zero advantages and no entropy bonus: the loss is the KL term alone.
  let kl = 0;
  rollouts.forEach((_, i) =>
    mine[i]!.forEach((x, j) => {
      const r = theirs[i]![j]!.logprob - x.logprob;
      kl += Math.exp(r) - r - 1;
    })
  );
  const beta = 0.5;
  const opts = { ...OPTS, entropyCoef: 0, klCoef: beta };
  const zeros = rollouts.map(() => 0);
  const stats = await policyUpdate(policy, policy.optimizer, rollouts, zeros, opts, refLogprobs);
  assertClose(stats.loss, (beta * kl) / N, 1e-5, "loss");
  assertClose(stats.kl!, kl / N, 1e-5, "kl");
  // Without a reference, zero advantages skip the step, as before.
  const skipped = await policyUpdate(policy, policy.optimizer, rollouts, zeros, opts);
  assert.equal(skipped.gradNorm, 0);
  // More steps on the KL alone: the measured KL falls.
  let last = stats.kl!;
  for (let k = 0; k < 15; k++) {
    rollouts.forEach((r) => (r.logprobs = reference(policy, r).map((x) => x.logprob)));
    last = (await policyUpdate(policy, policy.optimizer, rollouts, zeros, opts, refLogprobs)).kl!;
  }
  assert.ok(last < 0.7 * stats.kl!, `KL ${stats.kl} → ${last}`);
  policy.dispose();
  base.dispose();
});
