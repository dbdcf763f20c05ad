/**
 * Speed never changes the math: every way `crossEntropyStep` can run a fixed batch — micro-batches
 * by view (the old path) or by length across views, the full forward (the old path) or the last
 * block on the predicting columns only, per-view losses read back per micro-batch (the old path)
 * or once per step, small and large budgets, the model's reference kernels (gather embeddings,
 * tanh GELU, attention as batched matMuls: the old path) or its fast ones, with attention as
 * batched matMuls or as depthwise convolutions — gives the same loss, per-view NLL, gradient norm
 * and gradient (float tolerance) as the old path.
 *
 * Reading the gradient: AdamW's first step with beta1 = 0 and no clipping stores it verbatim as
 * the first moment (see ./gradient_helpers.ts).
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { Rng } from "../../lib/rng.ts";
import {
  ceMicroBatches,
  type CrossEntropyOptions,
  crossEntropyStep,
  splitMicroBatches,
  type SupervisedExample,
} from "../../lib/trainer/cross_entropy.ts";
import { startGradWorker } from "../../lib/trainer/grad_worker.ts";
import { useBackend } from "../model/helpers.ts";
import { assertClose, gradients, oraclePolicy, relativeErrors } from "./gradient_helpers.ts";

await useBackend("wasm");

const V = 13;

/**
 * Three views of different prompt lengths (1 to 24 tokens: a one-token prompt has no column
 * before its predicting one), targets of 1 to 7 tokens, masks of every token or the even ones.
 */
function mixedBatch(seed: number): SupervisedExample[] {
  const rng = new Rng(seed);
  const all = new Uint8Array(V).fill(1);
  const even = new Uint8Array(V).map((_, i) => (i % 2 === 0 ? 1 : 0));
  const views = ["deduction", "abduction", "induction"];
  return Array.from({ length: 21 }, (_, i) => {
    const view = views[i % 3]!;
    const promptLen = i === 0 ? 1 : view === "induction" ? 12 + rng.int(13) : 1 + rng.int(8);
    const prompt = Array.from({ length: promptLen }, () => rng.int(V));
    const masks = Array.from({ length: 1 + rng.int(7) }, () => (rng.next() < 0.5 ? even : all));
    const target = masks.map((m) => (m === even ? 2 * rng.int(6) : rng.int(V)));
    return { view, prompt, target, masks };
  });
}

const OLD: CrossEntropyOptions = {
  microBatchTokens: 64,
  ceBatching: "view",
  logprobsForward: "full",
  readBack: "micro-batch",
};

Deno.test("ceMicroBatches 'length' mixes views, sorted by prompt length, within the budget", () => {
  const batch = mixedBatch(1);
  const groups = ceMicroBatches(batch, 64, "length");
  assert.equal(groups.flat().length, batch.length, "every example once");
  assert.ok(groups.some((g) => new Set(g.map((e) => e.view)).size > 1), "views mixed");
  const lengths = groups.flat().map((e) => e.prompt.length);
  assert.deepEqual(lengths, [...lengths].sort((a, b) => a - b), "sorted by prompt length");
  for (const g of groups) {
    const padded = g.length *
      (Math.max(...g.map((e) => e.prompt.length)) + Math.max(...g.map((e) => e.target.length)));
    assert.ok(g.length === 1 || padded <= 64, `a micro-batch of ${padded} padded tokens > 64`);
  }
});

Deno.test("crossEntropyStep: every batching, forward and read-back gives the old path's loss and gradient", async () => {
  const batch = mixedBatch(2);
  const old = oraclePolicy(V, 5, "reference");
  const want = await crossEntropyStep(old, old.optimizer, batch, OLD);
  const wantGrad = gradients(old);
  old.dispose();
  const models = [
    { kernels: "reference", attention: undefined },
    { kernels: "fast", attention: "matMul" },
    { kernels: "fast", attention: "depthwise" },
  ] as const;
  for (const { kernels, attention } of models) {
    for (const ceBatching of ["view", "length"] as const) {
      for (const logprobsForward of ["full", "completion"] as const) {
        for (const readBack of ["micro-batch", "step"] as const) {
          for (const microBatchTokens of [64, 100_000]) {
            const opts = { microBatchTokens, ceBatching, logprobsForward, readBack };
            const what = JSON.stringify({ kernels, attention, ...opts });
            const p = oraclePolicy(V, 5, kernels, attention);
            const got = await crossEntropyStep(p, p.optimizer, batch, opts);
            assert.equal(got.tokens, want.tokens, `${what}: tokens`);
            assertClose(got.loss, want.loss, 1e-6 * want.loss, `${what}: loss`);
            assertClose(got.gradNorm, want.gradNorm, 1e-5 * want.gradNorm, `${what}: grad norm`);
            assert.deepEqual(Object.keys(got.perView).sort(), Object.keys(want.perView).sort());
            for (const [view, nll] of Object.entries(want.perView)) {
              assertClose(got.perView[view]!, nll, 1e-5 * nll, `${what}: NLL of ${view}`);
            }
            for (const [name, err] of relativeErrors(gradients(p), wantGrad)) {
              assert.ok(err < 1e-5, `${what}: ${name}, relative gradient error ${err}`);
            }
            p.dispose();
          }
        }
      }
    }
  }
});

Deno.test("crossEntropyStep with a gradient worker: the old path's loss, per-view NLL and gradient, its share computed there", async () => {
  const batch = mixedBatch(2);
  const old = oraclePolicy(V, 5, "reference");
  const want = await crossEntropyStep(old, old.optimizer, batch, OLD);
  const wantGrad = gradients(old);
  old.dispose();
  for (const attention of ["matMul", "depthwise"] as const) {
    // The worker's twin is built from another seed: only the weights sent with the step count.
    const twin = oraclePolicy(V, 99, "fast", attention);
    await using worker = await startGradWorker(twin.model.spec, "wasm");
    twin.dispose();
    for (const ceBatching of ["view", "length"] as const) {
      for (const readBack of ["micro-batch", "step"] as const) {
        const opts = {
          microBatchTokens: 64,
          ceBatching,
          logprobsForward: "completion",
          readBack,
          gradWorker: worker,
        } as const;
        const what = JSON.stringify({ attention, ceBatching, readBack });
        const p = oraclePolicy(V, 5, "fast", attention);
        const got = await crossEntropyStep(p, p.optimizer, batch, opts);
        const groups = ceMicroBatches(batch, 64, ceBatching).length;
        assert.equal(got.microBatches.local + got.microBatches.worker, groups, what);
        assert.ok(got.microBatches.worker >= groups / 3, `${what}: the worker's share`);
        assertClose(got.loss, want.loss, 1e-6 * want.loss, `${what}: loss`);
        assertClose(got.gradNorm, want.gradNorm, 1e-5 * want.gradNorm, `${what}: grad norm`);
        for (const [view, nll] of Object.entries(want.perView)) {
          assertClose(got.perView[view]!, nll, 1e-5 * nll, `${what}: NLL of ${view}`);
        }
        for (const [name, err] of relativeErrors(gradients(p), wantGrad)) {
          assert.ok(err < 1e-5, `${what}: ${name}, relative gradient error ${err}`);
        }
        p.dispose();
      }
    }
    // The worker's thread holds no more tensors after these steps than after the first.
    const p = oraclePolicy(V, 5, "fast", attention);
    const opts = { microBatchTokens: 64, ceBatching: "length", gradWorker: worker } as const;
    await crossEntropyStep(p, p.optimizer, batch, opts);
    const held = await worker.tensors();
    for (let i = 0; i < 3; i++) await crossEntropyStep(p, p.optimizer, batch, opts);
    assert.equal(await worker.tensors(), held, `${attention}: tensors held by the worker`);
    p.dispose();
  }
});

Deno.test("splitMicroBatches: two sides of about equal padded tokens, each in the original order", () => {
  const row = (p: number, t: number): SupervisedExample => ({
    view: "v",
    prompt: new Array(p).fill(0),
    target: new Array(t).fill(0),
    masks: [],
  });
  // Padded tokens by hand: 2·10 = 20, 1·30 = 30, 3·5 = 15, 1·8 = 8, 1·4 = 4, 1·3 = 3.
  const groups = [
    [row(6, 4), row(2, 1)],
    [row(25, 5)],
    [row(4, 1), row(3, 1), row(1, 1)],
    [
      row(7, 1),
    ],
    [row(3, 1)],
    [row(2, 1)],
  ];
  const [a, b] = splitMicroBatches(groups);
  // Largest first to the lighter side: 30 → a, 20 → b, 15 → b (35), 8 → a (38), 4 → b (39), 3 → a.
  assert.deepEqual(a, [groups[1], groups[3], groups[5]]);
  assert.deepEqual(b, [groups[0], groups[2], groups[4]]);
});

Deno.test("crossEntropyStep: a gradient worker that fails rejects the step and leaves the weights and optimizer as they were", async () => {
  const batch = mixedBatch(3);
  // A twin of another shape: the worker refuses the weights it is sent.
  const other = oraclePolicy(V + 1, 5, "fast", "depthwise");
  await using worker = await startGradWorker(other.model.spec, "wasm");
  other.dispose();
  const p = oraclePolicy(V, 5, "fast", "depthwise");
  const before = p.model.variables().map((v) => v.dataSync().slice());
  const numTensors = tf.memory().numTensors;
  await assert.rejects(
    crossEntropyStep(p, p.optimizer, batch, {
      microBatchTokens: 64,
      ceBatching: "length",
      gradWorker: worker,
    }),
    /gradient worker: .*values sent for shape/,
  );
  assert.equal(p.optimizer.state.t, 0, "no update counted");
  p.model.variables().forEach((v, i) => assert.deepEqual(v.dataSync(), before[i], `weight ${i}`));
  assert.equal(tf.memory().numTensors, numTensors, "no tensor left behind");
  p.dispose();
});
