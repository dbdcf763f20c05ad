import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { completionLogprobs } from "../../lib/model/mod.ts";
import { fullLogits, tinyModel, useBackend } from "./helpers.ts";

await useBackend("wasm");

/** Log-prob and entropy of a masked, tempered softmax row, computed in float64. */
function reference(logits: Float32Array, mask: Uint8Array, token: number, temperature: number) {
  const z = Array.from(logits, (l) => l / temperature);
  const allowed = z.map((_, i) => i).filter((i) => mask[i]);
  const max = Math.max(...allowed.map((i) => z[i]!));
  const lse = max + Math.log(allowed.reduce((s, i) => s + Math.exp(z[i]! - max), 0));
  const entropy = -allowed.reduce((s, i) => s + Math.exp(z[i]! - lse) * (z[i]! - lse), 0);
  return { logprob: z[token]! - lse, entropy };
}

Deno.test("completionLogprobs matches a per-sequence float64 reference; padding has weight 0", async () => {
  const model = tinyModel();
  const V = model.options.vocabSize;
  const odd = Uint8Array.from({ length: V }, (_, i) => i % 2);
  const all = new Uint8Array(V).fill(1);
  const prompts = [[1, 2, 3, 4], [5], [6, 7]];
  const completions = [[3, 5], [2, 4, 6, 8], []];
  const masks = [[odd, odd], [all, all, all, all], []];
  const temperature = 1.3;
  const r = completionLogprobs(model, { prompts, completions, masks, temperature });
  const [lp, w, ent] = await Promise.all([
    r.logprobs.array(),
    r.weights.array(),
    r.entropy.array(),
  ]);
  tf.dispose([r.logprobs, r.weights, r.entropy]);
  assert.deepEqual(r.logprobs.shape, [3, 4]);
  prompts.forEach((p, b) => {
    const seq = [...p, ...completions[b]!];
    const logits = fullLogits(model, seq);
    for (let j = 0; j < 4; j++) {
      if (j >= completions[b]!.length) {
        assert.deepEqual(
          [w[b]![j]!, lp[b]![j]!, ent[b]![j]!].map((x) => x + 0),
          [0, 0, 0],
          `pad ${b}/${j}`,
        ); // -0 → 0
        continue;
      }
      const ref = reference(
        logits[p.length + j - 1]!,
        masks[b]![j]!,
        completions[b]![j]!,
        temperature,
      );
      assert.equal(w[b]![j], 1);
      assert.ok(
        Math.abs(lp[b]![j]! - ref.logprob) < 1e-4,
        `logprob ${b}/${j}: ${lp[b]![j]} vs ${ref.logprob}`,
      );
      assert.ok(
        Math.abs(ent[b]![j]! - ref.entropy) < 1e-4,
        `entropy ${b}/${j}: ${ent[b]![j]} vs ${ref.entropy}`,
      );
    }
  });
  model.dispose();
});

Deno.test("completionLogprobs rejects a token outside its own mask and mismatched lengths", () => {
  const model = tinyModel();
  const even = Uint8Array.from({ length: 11 }, (_, i) => (i % 2 ? 0 : 1));
  assert.throws(
    () => completionLogprobs(model, { prompts: [[1]], completions: [[3]], masks: [[even]] }),
    /outside its own mask/,
  );
  assert.throws(
    () => completionLogprobs(model, { prompts: [[1]], completions: [[2, 4]], masks: [[even]] }),
    /masks/,
  );
  assert.throws(
    () => completionLogprobs(model, { prompts: [[1], [2]], completions: [[2]] }),
    /completions/,
  );
  model.dispose();
});

Deno.test("completionLogprobs: the 'completion' forward gives the 'full' forward's log-probs and entropies", async () => {
  const model = tinyModel();
  const V = model.options.vocabSize;
  const odd = Uint8Array.from({ length: V }, (_, i) => i % 2);
  const all = new Uint8Array(V).fill(1);
  const batch = {
    prompts: [[1, 2, 3, 4, 5, 6], [5], [6, 7]],
    completions: [[3, 5], [2, 4, 6, 8], [1]],
    masks: [[odd, odd], [all, all, all, all], [all]],
    temperature: 0.7,
  };
  const [full, part] = await Promise.all((["full", "completion"] as const).map(async (forward) => {
    const r = completionLogprobs(model, { ...batch, forward });
    const out = await Promise.all([r.logprobs.data(), r.entropy.data()]);
    tf.dispose([r.logprobs, r.weights, r.entropy]);
    return out;
  }));
  for (const k of [0, 1]) {
    full![k]!.forEach((x, i) => {
      assert.ok(Math.abs(part![k]![i]! - x) < 1e-5, `${["logprob", "entropy"][k]} ${i}`);
    });
  }
  assert.throws(
    () => model.forward({ ids: new Int32Array(3), batch: 1, time: 3, padLeft: [0] }, { from: 3 }),
    /'from' must be an integer in \[0, 3\)/,
  );
  model.dispose();
});
