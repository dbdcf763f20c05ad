/**
 * The cross-entropy step (lib/trainer/cross_entropy.ts) against independent references, as the
 * PPO update is in update_test.ts: its loss and per-view sums against a hand computation from a
 * plain forward pass (masked softmax in float64 here), its gradient against tf's gradient of a
 * loss written directly on that forward pass (one unpadded sequence at a time), and micro-batches
 * against one batch: micro-batching changes memory, not the gradient.
 *
 * Reading the gradient: AdamW's first step with beta1 = 0 and no clipping stores it verbatim as
 * the first moment (m = g), so `optimizer.state.m` is the gradient of the step's loss.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { TransformerPolicy } from "../../lib/model/mod.ts";
import { Rng } from "../../lib/rng.ts";
import {
  ceMicroBatches,
  crossEntropyStep,
  type SupervisedExample,
} from "../../lib/trainer/cross_entropy.ts";
import { fullLogits, useBackend } from "../model/helpers.ts";
import { assertClose, gradients, norm, oraclePolicy, relativeErrors } from "./gradient_helpers.ts";

await useBackend("wasm");

const V = 11;

/** A fresh policy; every call gives the same weights (see ./gradient_helpers.ts). */
const freshPolicy = () => oraclePolicy(V, 11);

/** Two views, targets of 1..6 tokens, masks of all tokens or even ones only (the target allowed). */
function makeBatch(seed: number): SupervisedExample[] {
  const rng = new Rng(seed);
  const all = new Uint8Array(V).fill(1);
  const even = new Uint8Array(V).map((_, i) => (i % 2 === 0 ? 1 : 0));
  return [3, 6, 1, 4, 2, 5, 6, 2].map((n, i) => {
    const prompt = Array.from({ length: 2 + rng.int(4) }, () => rng.int(V));
    const masks = Array.from({ length: n }, () => (rng.next() < 0.5 ? even : all));
    const target = masks.map((m) => (m === even ? 2 * rng.int(6) : rng.int(V)));
    return { view: i % 3 === 0 ? "deduction" : "induction", prompt, target, masks };
  });
}

/** Per target token, its NLL (nats) under the masked softmax of a plain forward pass, in float64. */
function referenceNll(policy: TransformerPolicy, e: SupervisedExample): number[] {
  const logits = fullLogits(policy.model, [...e.prompt, ...e.target]);
  return e.target.map((tok, j) => {
    const row = logits[e.prompt.length - 1 + j]!; // the position that predicts token j
    const z = [...row].map((l, i) => (e.masks[j]![i] ? l : -Infinity));
    const max = Math.max(...z);
    const logZ = max + Math.log(z.reduce((s, x) => s + Math.exp(x - max), 0));
    return logZ - z[tok]!;
  });
}

/** tf's gradient of mean NLL per target token, each example forwarded on its own (no padding). */
function referenceGradient(
  policy: TransformerPolicy,
  batch: readonly SupervisedExample[],
): Map<string, Float32Array> {
  const { model } = policy;
  const N = batch.reduce((s, e) => s + e.target.length, 0);
  const names = [...model.params.keys()];
  const { value, grads } = tf.variableGrads(() => {
    const terms = batch.map((e) => {
      const seq = [...e.prompt, ...e.target];
      const { hidden } = model.forward({
        ids: Int32Array.from(seq),
        batch: 1,
        time: seq.length,
        padLeft: [0],
      });
      const logits = model.logits(tf.reshape(hidden, [seq.length, model.options.dModel]));
      // Rows that predict the target tokens; a masked-out token's logit goes to −1e9.
      const rows = tf.slice(logits, [e.prompt.length - 1, 0], [e.target.length, V]);
      const mask = tf.tensor2d(e.masks.flatMap((m) => [...m]), [e.target.length, V]);
      const logp = tf.logSoftmax(tf.add(rows, tf.mul(tf.sub(1, mask), -1e9)));
      const picked = tf.mul(logp, tf.oneHot(tf.tensor1d(e.target, "int32"), V));
      return tf.neg(tf.sum(picked));
    });
    return tf.div(tf.addN(terms), N) as tf.Scalar;
  }, names.map((n) => model.params.get(n)!));
  value.dispose();
  const byVariable = new Map(names.map((n) => [model.params.get(n)!.name, n]));
  return new Map(
    Object.entries(grads).map(([v, g]) => [byVariable.get(v)!, g.dataSync() as Float32Array]),
  );
}

Deno.test("crossEntropyStep: loss and per-view NLL by hand; micro-batches give the one-batch gradient, tf's", async () => {
  const batch = makeBatch(3);
  const N = batch.reduce((s, e) => s + e.target.length, 0);
  const probe = freshPolicy();
  const nll = batch.map((e) => referenceNll(probe, e));
  const reference = referenceGradient(probe, batch);
  probe.dispose();
  const perView: Record<string, number> = {};
  batch.forEach((
    e,
    i,
  ) => (perView[e.view] = (perView[e.view] ?? 0) + nll[i]!.reduce((s, x) => s + x)));
  const loss = nll.flat().reduce((s, x) => s + x) / N;

  const whole = { microBatchTokens: 100_000 };
  const split = { microBatchTokens: 16 };
  assert.equal(ceMicroBatches(batch, whole.microBatchTokens).length, 2, "one per view");
  const parts = ceMicroBatches(batch, split.microBatchTokens).length;
  assert.ok(parts >= 4, `the small budget splits each view (${parts} micro-batches)`);

  const one = freshPolicy();
  const oneStats = await crossEntropyStep(one, one.optimizer, batch, whole);
  const many = freshPolicy();
  const manyStats = await crossEntropyStep(many, many.optimizer, batch, split);
  for (
    const [what, s] of [["one batch", oneStats], [`${parts} micro-batches`, manyStats]] as const
  ) {
    assert.equal(s.tokens, N, `${what}: tokens`);
    assertClose(s.loss, loss, 1e-5, `${what}: loss`);
    for (const [view, sum] of Object.entries(perView)) {
      assertClose(s.perView[view]!, sum, 1e-4, `${what}: NLL of ${view}`);
    }
  }
  assertClose(manyStats.gradNorm, oneStats.gradNorm, 1e-5 * oneStats.gradNorm, "gradient norm");
  for (const [name, err] of relativeErrors(gradients(many), gradients(one))) {
    assert.ok(err < 1e-5, `${name}: micro-batch vs one-batch relative gradient error ${err}`);
  }
  for (const [name, err] of relativeErrors(gradients(one), reference)) {
    assert.ok(err < 1e-4, `${name}: step vs tf's reference gradient, relative error ${err}`);
  }
  assertClose(
    oneStats.gradNorm,
    Math.hypot(...[...reference.values()].map(norm)),
    1e-4 * oneStats.gradNorm,
    "gradient norm vs reference",
  );
  one.dispose();
  many.dispose();
});

Deno.test("crossEntropyStep: the weight scales the gradient, not the reported loss", async () => {
  const batch = makeBatch(5);
  const plain = freshPolicy();
  const p = await crossEntropyStep(plain, plain.optimizer, batch, { microBatchTokens: 16 });
  const weighted = freshPolicy();
  const w = await crossEntropyStep(weighted, weighted.optimizer, batch, {
    microBatchTokens: 16,
    weight: 0.25,
  });
  assertClose(w.loss, p.loss, 1e-6, "loss before the weight");
  assertClose(w.gradNorm, 0.25 * p.gradNorm, 1e-5 * p.gradNorm, "gradient norm × 0.25");
  const g = gradients(plain);
  const scaled = new Map([...g].map(([k, v]) => [k, v.map((x) => 0.25 * x)]));
  for (const [name, err] of relativeErrors(gradients(weighted), scaled)) {
    assert.ok(err < 1e-5, `${name}: weighted gradient vs 0.25 × gradient, relative error ${err}`);
  }
  plain.dispose();
  weighted.dispose();
});
