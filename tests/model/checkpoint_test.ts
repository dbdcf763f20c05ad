import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import {
  AdamW,
  decodeSafetensors,
  encodeSafetensors,
  loadCheckpoint,
  readCheckpointMeta,
  saveCheckpoint,
  type Transformer,
} from "../../lib/model/mod.ts";
import { tinyModel, useBackend } from "./helpers.ts";

await useBackend("wasm");

const HP = { lr: 1e-2, weightDecay: 0.01, beta1: 0.9, beta2: 0.99, gradClip: 1 };
const META = {
  config: { dModel: 16 },
  vocabHash: "abc123",
  step: 7,
  rngState: [1, 2, 3, 4],
  buffers: { deduction: 5 },
};

function weights(model: Transformer): number[][] {
  return model.variables().map((v) => Array.from(v.dataSync()));
}

/** A trained model + optimizer saved to a fresh folder. */
async function saved() {
  const model = tinyModel({ seed: 1 });
  const optimizer = new AdamW(model.params, HP);
  await optimizer.step(() => tf.sum(tf.square(model.params.get("wte")!)) as tf.Scalar);
  const dir = await Deno.makeTempDir();
  await saveCheckpoint(dir, { model, optimizer, meta: META });
  return { model, optimizer, dir };
}

Deno.test("safetensors: a hand-built file decodes; encode → decode is exact", () => {
  const head = new TextEncoder().encode(
    JSON.stringify({ a: { dtype: "F32", shape: [2], data_offsets: [0, 8] } }),
  );
  const file = new Uint8Array(8 + head.length + 8);
  new DataView(file.buffer).setUint32(0, head.length, true);
  file.set(head, 8);
  new DataView(file.buffer).setFloat32(8 + head.length, 1.5, true);
  new DataView(file.buffer).setFloat32(12 + head.length, -2, true);
  const d = decodeSafetensors(file);
  assert.ok(d.ok);
  assert.deepEqual(Array.from(d.tensors.get("a")!.data), [1.5, -2]);
  const t = new Map([["x", { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }]]);
  const back = decodeSafetensors(encodeSafetensors(t, { k: "v" }));
  assert.ok(back.ok);
  assert.deepEqual(back.tensors, t);
  assert.deepEqual(back.metadata, { k: "v" });
});

Deno.test("checkpoint round trip restores weights, optimizer state and metadata exactly", async () => {
  const { model, optimizer, dir } = await saved();
  const fresh = tinyModel({ seed: 2 });
  const freshOpt = new AdamW(fresh.params, HP);
  assert.notDeepEqual(weights(fresh), weights(model));
  const r = await loadCheckpoint(dir, { model: fresh, optimizer: freshOpt, vocabHash: "abc123" });
  assert.ok(r.ok, r.ok ? "" : r.message);
  assert.deepEqual(weights(fresh), weights(model));
  assert.equal(freshOpt.state.t, 1);
  for (const [name, m] of optimizer.state.m) {
    assert.deepEqual(freshOpt.state.m.get(name)!.dataSync(), m.dataSync());
  }
  for (const [name, v] of optimizer.state.v) {
    assert.deepEqual(freshOpt.state.v.get(name)!.dataSync(), v.dataSync());
  }
  assert.equal(r.meta.step, 7);
  assert.deepEqual(r.meta.rngState, [1, 2, 3, 4]);
  assert.deepEqual(r.meta.buffers, { deduction: 5 });
  assert.deepEqual(r.meta.model, { ...model.options });
  assert.deepEqual((await readCheckpointMeta(dir)).ok, true);
  const left = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
  assert.deepEqual(left, ["meta.json", "model.safetensors"], "no temp files left behind");
  [model, fresh].forEach((m) => m.dispose());
  [optimizer, freshOpt].forEach((o) => o.dispose());
  await Deno.remove(dir, { recursive: true });
});

const damages: {
  name: string;
  kind: string;
  match: RegExp;
  damage: (dir: string) => Promise<void>;
}[] = [
  {
    name: "truncated weights",
    kind: "corrupt",
    match: /checksum/,
    damage: async (dir) => {
      const b = await Deno.readFile(`${dir}/model.safetensors`);
      await Deno.writeFile(`${dir}/model.safetensors`, b.subarray(0, b.length - 100));
    },
  },
  {
    name: "a flipped byte",
    kind: "corrupt",
    match: /checksum/,
    damage: async (dir) => {
      const b = await Deno.readFile(`${dir}/model.safetensors`);
      b[b.length - 5]! ^= 0xff;
      await Deno.writeFile(`${dir}/model.safetensors`, b);
    },
  },
  {
    name: "missing weights",
    kind: "missing",
    match: /model.safetensors unreadable/,
    damage: (dir) => Deno.remove(`${dir}/model.safetensors`),
  },
  {
    name: "missing meta",
    kind: "missing",
    match: /meta.json unreadable/,
    damage: (dir) => Deno.remove(`${dir}/meta.json`),
  },
  {
    name: "meta that is not JSON",
    kind: "corrupt",
    match: /not JSON/,
    damage: (dir) => Deno.writeTextFile(`${dir}/meta.json`, '{"format": "azr-kit/mo'),
  },
  {
    name: "meta without the model's sizes",
    kind: "corrupt",
    match: /meta\.json is not a checkpoint's .*model/,
    damage: async (dir) => {
      const meta = JSON.parse(await Deno.readTextFile(`${dir}/meta.json`));
      delete meta.model.nHeads;
      await Deno.writeTextFile(`${dir}/meta.json`, JSON.stringify(meta));
    },
  },
];
for (const d of damages) {
  Deno.test(`checkpoint with ${d.name} → '${d.kind}' error, model untouched`, async () => {
    const { model, optimizer, dir } = await saved();
    await d.damage(dir);
    const target = tinyModel({ seed: 3 });
    const before = weights(target);
    const r = await loadCheckpoint(dir, { model: target });
    assert.ok(!r.ok);
    assert.equal(r.kind, d.kind);
    assert.match(r.message, d.match);
    assert.deepEqual(weights(target), before);
    [model, target].forEach((m) => m.dispose());
    optimizer.dispose();
    await Deno.remove(dir, { recursive: true });
  });
}

Deno.test("checkpoint of another vocabulary or shape → 'vocab' / 'mismatch', model untouched", async () => {
  const { model, optimizer, dir } = await saved();
  const same = tinyModel({ seed: 3 });
  const before = weights(same);
  const v = await loadCheckpoint(dir, { model: same, vocabHash: "other" });
  assert.ok(!v.ok && v.kind === "vocab" && /vocabulary hash/.test(v.message));
  const wide = tinyModel({ dModel: 32 });
  const wideBefore = weights(wide);
  const m = await loadCheckpoint(dir, { model: wide });
  assert.ok(!m.ok && m.kind === "mismatch" && /shape/.test(m.message), JSON.stringify(m));
  const untied = tinyModel({ tieEmbeddings: false });
  const u = await loadCheckpoint(dir, { model: untied });
  assert.ok(!u.ok && u.kind === "mismatch" && /head.w/.test(u.message), JSON.stringify(u));
  assert.deepEqual(weights(same), before);
  assert.deepEqual(weights(wide), wideBefore);
  [model, same, wide, untied].forEach((x) => x.dispose());
  optimizer.dispose();
  await Deno.remove(dir, { recursive: true });
});
