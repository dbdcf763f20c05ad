import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { drawToken, maskedLogSoftmax } from "../../lib/model/mod.ts";
import { Rng } from "../../lib/rng.ts";
import { useBackend } from "./helpers.ts";

await useBackend("wasm");

Deno.test("maskedLogSoftmax: hand-computed values, −∞ outside the mask", () => {
  const got = tf.tidy(() =>
    maskedLogSoftmax(tf.tensor2d([[1, 2, 3], [0, 0, 5]]), tf.tensor2d([[1, 0, 1], [1, 1, 0]]))
      .arraySync()
  );
  const z = Math.log(Math.exp(1) + Math.exp(3));
  const want = [[1 - z, -Infinity, 3 - z], [-Math.log(2), -Math.log(2), -Infinity]];
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < 3; c++) {
      if (want[r]![c] === -Infinity) assert.equal(got[r]![c], -Infinity);
      else assert.ok(Math.abs(got[r]![c]! - want[r]![c]!) < 1e-6, `[${r},${c}]`);
    }
  }
});

Deno.test("maskedLogSoftmax normalises to 1 inside random masks", () => {
  const rng = new Rng(1);
  const V = 300;
  const logits = Array.from({ length: 4 * V }, () => (rng.next() - 0.5) * 20);
  const mask = Array.from({ length: 4 * V }, (_, i) => (i % V === 0 || rng.next() < 0.1 ? 1 : 0));
  const lp = tf.tidy(() =>
    maskedLogSoftmax(tf.tensor2d(logits, [4, V]), tf.tensor2d(mask, [4, V])).dataSync()
  );
  for (let r = 0; r < 4; r++) {
    let sum = 0;
    for (let i = 0; i < V; i++) {
      if (mask[r * V + i]) sum += Math.exp(lp[r * V + i]!);
      else assert.equal(lp[r * V + i], -Infinity);
    }
    assert.ok(Math.abs(sum - 1) < 1e-5, `row ${r} sums to ${sum}`);
  }
});

Deno.test("drawToken: frequencies follow the masked tempered softmax; never outside the mask", () => {
  const logits = Float32Array.from([0.5, 2, -1, 1, 3]);
  const mask = Uint8Array.from([1, 1, 1, 1, 0]);
  const temperature = 2;
  const w = [0, 1, 2, 3].map((i) => Math.exp(logits[i]! / temperature));
  const total = w.reduce((a, b) => a + b);
  const counts = [0, 0, 0, 0, 0];
  const rng = new Rng(9);
  const n = 20000;
  for (let k = 0; k < n; k++) {
    const { token, logprob } = drawToken(logits, mask, rng, { temperature });
    counts[token]!++;
    assert.ok(Math.abs(logprob - Math.log(w[token]! / total)) < 1e-9);
  }
  assert.equal(counts[4], 0);
  for (let i = 0; i < 4; i++) {
    const p = w[i]! / total;
    const sd = Math.sqrt(n * p * (1 - p));
    assert.ok(Math.abs(counts[i]! - n * p) < 5 * sd, `token ${i}: ${counts[i]} vs ${n * p}`);
  }
});

Deno.test("drawToken: greedy, topP and an empty mask", () => {
  const logits = Float32Array.from([1, 5, 4, 0]);
  const rng = new Rng(0);
  const all = Uint8Array.from([1, 1, 1, 1]);
  assert.equal(drawToken(logits, all, rng, { temperature: 1, greedy: true }).token, 1);
  assert.equal(
    drawToken(logits, Uint8Array.from([1, 0, 1, 1]), rng, { temperature: 1, greedy: true }).token,
    2,
  );
  for (let k = 0; k < 200; k++) {
    assert.equal(drawToken(logits, all, rng, { temperature: 1, topP: 0.5 }).token, 1); // p(1) ≈ 0.72
  }
  assert.throws(
    () => drawToken(logits, new Uint8Array(4), rng, { temperature: 1 }),
    /allowed no token/,
  );
});
