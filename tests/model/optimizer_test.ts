import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { AdamW, completionLogprobs, sampleTokens } from "../../lib/model/mod.ts";
import { EvenTokens, tinyModel, useBackend } from "./helpers.ts";

await useBackend("wasm");

const HP = { lr: 0.1, weightDecay: 0.5, beta1: 0.9, beta2: 0.99, gradClip: 100 };

Deno.test("AdamW: two steps on a quadratic match a hand computation", async () => {
  // loss = sum(w²) + sum(b²): w is a matrix (decayed), b a vector (not decayed).
  const params = new Map<string, tf.Variable>([
    ["w", tf.variable(tf.tensor2d([[1, -2]]))],
    ["b", tf.variable(tf.tensor1d([3]))],
  ]);
  const opt = new AdamW(params, { ...HP, eps: 0 });
  const loss = () =>
    tf.add(tf.sum(tf.square(params.get("w")!)), tf.sum(tf.square(params.get("b")!))) as tf.Scalar;
  let want = { w: [1, -2], b: [3] };
  const m = { w: [0, 0], b: [0] };
  const v = { w: [0, 0], b: [0] };
  for (let t = 1; t <= 2; t++) {
    const g = { w: want.w.map((x) => 2 * x), b: want.b.map((x) => 2 * x) };
    const norm = Math.hypot(...g.w, ...g.b);
    const r = await opt.step(loss);
    assert.ok(Math.abs(r.gradNorm - norm) < 1e-4);
    assert.ok(Math.abs(r.loss - (want.w[0]! ** 2 + want.w[1]! ** 2 + want.b[0]! ** 2)) < 1e-4);
    const upd = (k: "w" | "b", decay: number) =>
      want[k].map((x, i) => {
        m[k][i] = 0.9 * m[k][i]! + 0.1 * g[k][i]!;
        v[k][i] = 0.99 * v[k][i]! + 0.01 * g[k][i]! ** 2;
        const step = (m[k][i]! / (1 - 0.9 ** t)) / Math.sqrt(v[k][i]! / (1 - 0.99 ** t));
        return x * (1 - HP.lr * decay) - HP.lr * step;
      });
    want = { w: upd("w", HP.weightDecay), b: upd("b", 0) };
    assert.ok(
      Math.max(...want.w.map((x, i) => Math.abs(x - params.get("w")!.dataSync()[i]!))) < 1e-5,
    );
    assert.ok(Math.abs(want.b[0]! - params.get("b")!.dataSync()[0]!) < 1e-5);
  }
  opt.dispose();
});

Deno.test("AdamW: the global norm is clipped before the moments", async () => {
  const params = new Map<string, tf.Variable>([["w", tf.variable(tf.tensor2d([[3, 4]]))]]);
  const opt = new AdamW(params, { ...HP, weightDecay: 0, gradClip: 1 });
  const r = await opt.step(() =>
    tf.sum(tf.mul(params.get("w")!, tf.tensor2d([[3, 4]]))) as tf.Scalar
  );
  assert.ok(Math.abs(r.gradNorm - 5) < 1e-5, "reports the norm before clipping");
  const m = opt.state.m.get("w")!.dataSync();
  assert.ok(Math.abs(m[0]! - 0.1 * 0.6) < 1e-6 && Math.abs(m[1]! - 0.1 * 0.8) < 1e-6, `m = ${m}`);
  opt.dispose();
});

/** Next-token task: after token t comes (t + 1) mod 11; sequences start anywhere. */
function counting(start: number, len: number): number[] {
  return Array.from({ length: len }, (_, i) => (start + i) % 11);
}

Deno.test("learning: supervised steps drive the loss of a counting task down", async () => {
  const model = tinyModel({ nLayers: 1, dModel: 32, seed: 1 });
  const opt = new AdamW(model.params, {
    lr: 1e-2,
    weightDecay: 0.01,
    beta1: 0.9,
    beta2: 0.99,
    gradClip: 1,
  });
  const batch = {
    prompts: [0, 3, 6, 9].map((s) => [s]),
    completions: [0, 3, 6, 9].map((s) => counting(s + 1, 10)),
  };
  const loss = () =>
    tf.tidy(() => {
      const r = completionLogprobs(model, batch);
      return tf.neg(tf.div(tf.sum(r.logprobs), tf.sum(r.weights))) as tf.Scalar;
    });
  const first = (await opt.step(loss)).loss;
  let last = first;
  for (let i = 0; i < 60; i++) last = (await opt.step(loss)).loss;
  assert.ok(first > 2, `initial loss ${first} should be near ln 11 ≈ 2.4`);
  assert.ok(last < 0.3 * first, `loss went from ${first} to ${last}`);
  opt.dispose();
  model.dispose();
});

Deno.test("no tensor leak: numTensors is the same after 100 sample+train steps as after 1", async () => {
  const model = tinyModel({ nLayers: 1 });
  const opt = new AdamW(model.params, {
    lr: 1e-3,
    weightDecay: 0.01,
    beta1: 0.9,
    beta2: 0.99,
    gradClip: 1,
  });
  const prompts = [[1, 2], [3], [4, 5, 6]];
  const oneStep = async (seed: number) => {
    const constraints = prompts.map(() => new EvenTokens(11));
    const s = await sampleTokens(model, prompts, {
      maxTokens: 4 + (seed % 3),
      temperature: 1,
      seed,
      constraints,
    });
    await opt.step(() =>
      tf.tidy(() => {
        const r = completionLogprobs(model, { prompts, completions: s.tokens, masks: s.masks });
        return tf.neg(tf.add(tf.mean(r.logprobs), tf.mul(tf.mean(r.entropy), 0.01))) as tf.Scalar;
      })
    );
  };
  await oneStep(0);
  const after1 = tf.memory().numTensors;
  for (let i = 1; i < 100; i++) await oneStep(i);
  assert.equal(tf.memory().numTensors, after1);
  opt.dispose();
  model.dispose();
});

Deno.test("determinism: same seed, same backend → identical weights after N steps", async () => {
  const train = async () => {
    const model = tinyModel({ nLayers: 1, seed: 4 });
    const opt = new AdamW(model.params, {
      lr: 1e-2,
      weightDecay: 0.01,
      beta1: 0.9,
      beta2: 0.99,
      gradClip: 1,
    });
    for (let i = 0; i < 5; i++) {
      const s = await sampleTokens(model, [[1], [2, 3]], { maxTokens: 5, temperature: 1, seed: i });
      await opt.step(() =>
        tf.tidy(() =>
          tf.neg(
            tf.sum(
              completionLogprobs(model, { prompts: [[1], [2, 3]], completions: s.tokens }).logprobs,
            ),
          ) as tf.Scalar
        )
      );
    }
    const w = model.variables().map((v) => Array.from(v.dataSync()));
    opt.dispose();
    model.dispose();
    return w;
  };
  assert.deepEqual(await train(), await train());
});
