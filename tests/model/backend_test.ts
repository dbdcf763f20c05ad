import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend, sampleTokens, wasmDistUrl } from "../../lib/model/mod.ts";
import { fullLogits, maxAbsDiff, tinyModel } from "./helpers.ts";

Deno.test("wasm binaries are found as a file URL", () => {
  const url = wasmDistUrl();
  assert.match(url, /^file:.*\/dist\/$/);
  Deno.statSync(new URL("tfjs-backend-wasm-simd.wasm", url));
});

Deno.test("wasm and cpu give the same logits (≤ 1e-4) and the same greedy samples", async () => {
  const out: { logits: Float32Array; tokens: number[][] }[] = [];
  for (const name of ["wasm", "cpu"] as const) {
    const info = await initBackend(name, { log: false });
    assert.equal(info.name, name);
    assert.equal(tf.getBackend(), name);
    const model = tinyModel();
    const logits = fullLogits(model, [1, 2, 3, 4])[3]!;
    const s = await sampleTokens(model, [[1, 2], [3]], {
      maxTokens: 6,
      temperature: 1,
      greedy: true,
    });
    out.push({ logits, tokens: s.tokens });
    model.dispose();
  }
  assert.ok(maxAbsDiff(out[0]!.logits, out[1]!.logits) <= 1e-4);
  assert.deepEqual(out[0]!.tokens, out[1]!.tokens);
  await initBackend("wasm", { log: false });
});

Deno.test("auto picks wasm here and says why; tensorflow fails with how to enable it", async () => {
  const info = await initBackend("auto", { log: false });
  assert.equal(info.name, "wasm");
  assert.match(info.reason, /tfjs-node/);
  await assert.rejects(() => initBackend("tensorflow", { log: false }), /deno.json imports/);
  assert.equal(tf.getBackend(), "wasm");
});

const hasGpu = "gpu" in navigator &&
  (await (navigator as unknown as { gpu: { requestAdapter(): Promise<unknown> } }).gpu
      .requestAdapter()) !== null;
if (!hasGpu) console.log("backend_test: no WebGPU adapter here; skipping the webgpu test");
Deno.test({
  name: "webgpu path: initialises and runs a forward pass that matches wasm",
  ignore: !hasGpu,
  fn: async () => {
    await initBackend("wasm", { log: false });
    const ref = fullLogits(tinyModel({ nLayers: 1 }), [1, 2, 3])[2]!;
    await initBackend("webgpu", { log: false });
    const model = tinyModel({ nLayers: 1 });
    // Only async reads work on webgpu under Deno (no canvas for synchronous ones).
    const logits = tf.tidy(() => {
      const { hidden } = model.forward({
        ids: Int32Array.from([1, 2, 3]),
        batch: 1,
        time: 3,
        padLeft: [0],
      });
      return model.logits(tf.reshape(hidden, [3, model.options.dModel]) as tf.Tensor2D);
    });
    const all = (await logits.data()) as Float32Array;
    const got = all.slice(2 * 11, 3 * 11);
    logits.dispose();
    const s = await sampleTokens(model, [[1, 2]], { maxTokens: 3, temperature: 1, seed: 0 });
    assert.equal(s.tokens[0]!.length, 3);
    model.dispose();
    assert.ok(maxAbsDiff(got, ref) <= 1e-3);
    await initBackend("wasm", { log: false });
  },
});
