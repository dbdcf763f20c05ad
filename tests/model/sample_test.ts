import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import {
  cacheTensors,
  completionLogprobs,
  padLeftBatch,
  sampleTokens,
} from "../../lib/model/mod.ts";
import {
  EvenTokens,
  FixedLength,
  fullLogits,
  maxAbsDiff,
  tinyModel,
  useBackend,
} from "./helpers.ts";

await useBackend("wasm");

Deno.test("KV-cache logits equal full-recompute logits of each unpadded sequence", () => {
  const model = tinyModel();
  const V = model.options.vocabSize;
  const prompts = [[1, 2, 3, 4, 5], [6], [7, 8, 9]];
  const continuations = [[2, 4, 6, 8], [1, 3, 5, 7], [10, 0, 10, 0]];
  let worst = 0;
  tf.tidy(() => {
    let { hidden, cache } = model.forward(padLeftBatch(prompts));
    let last = tf.slice(hidden, [0, hidden.shape[1] - 1, 0], [3, 1, model.options.dModel]);
    for (let s = 0; s <= continuations[0]!.length; s++) {
      const got = model.logits(tf.reshape(last, [3, model.options.dModel]) as tf.Tensor2D)
        .dataSync();
      prompts.forEach((p, b) => {
        const seq = [...p, ...continuations[b]!.slice(0, s)];
        const want = fullLogits(model, seq)[seq.length - 1]!;
        worst = Math.max(worst, maxAbsDiff(got.slice(b * V, (b + 1) * V), want));
      });
      if (s === continuations[0]!.length) break;
      const tokens = continuations.map((c) => c[s]!);
      const positions = prompts.map((p) => p.length + s);
      ({ hidden, cache } = model.step(cache, tokens, positions));
      last = hidden;
    }
    assert.ok(cacheTensors(cache).length > 0);
  });
  assert.ok(worst <= 1e-4, `cache vs recompute max |Δlogit| = ${worst}`);
  model.dispose();
});

Deno.test("sampled tokens stay inside the mask, and sample log-probs match completionLogprobs", async () => {
  const model = tinyModel();
  const prompts = [[1, 2, 3], [4], [5, 6]];
  const constraints = prompts.map(() => new EvenTokens(11));
  const out = await sampleTokens(model, prompts, {
    maxTokens: 12,
    temperature: 0.7,
    seed: 3,
    constraints,
  });
  for (const seq of out.tokens) {
    assert.equal(seq.length, 12);
    for (const t of seq) assert.equal(t % 2, 0, `odd token ${t} sampled`);
  }
  assert.equal(out.masks[0]![0], constraints[0]!.mask, "masks are kept by reference");
  const lp = completionLogprobs(model, {
    prompts,
    completions: out.tokens,
    masks: out.masks,
    temperature: 0.7,
  });
  const got = (await lp.logprobs.array()).flat();
  lp.logprobs.dispose();
  lp.weights.dispose();
  lp.entropy.dispose();
  assert.ok(maxAbsDiff(got, out.logprobs.flat()) <= 1e-4, "sampler and scorer disagree");
  model.dispose();
});

Deno.test("finished sequences stop; maxTokens and contextLen bound the rest", async () => {
  const model = tinyModel({ contextLen: 12 });
  const prompts = [[1], [2, 3], [4, 5, 6, 7, 8, 9, 10]];
  const constraints = [new FixedLength(11, 2), new FixedLength(11, 5), new FixedLength(11, 50)];
  const out = await sampleTokens(model, prompts, {
    maxTokens: 8,
    temperature: 1,
    seed: 1,
    constraints,
  });
  assert.deepEqual(out.tokens.map((t) => t.length), [2, 5, 5]); // 7 + 5 = contextLen 12
  assert.deepEqual(out.finished, [true, true, false]);
  out.tokens.forEach((seq) => seq.forEach((t, i) => assert.ok(t === i % 11 || t === (i + 1) % 11)));
  model.dispose();
});

Deno.test("same seed gives the same samples; another seed differs", async () => {
  const model = tinyModel();
  const run = (seed: number) =>
    sampleTokens(model, [[1, 2], [3]], { maxTokens: 10, temperature: 1, seed });
  const [a, b, c] = [await run(5), await run(5), await run(6)];
  assert.deepEqual(a.tokens, b.tokens);
  assert.deepEqual(a.logprobs, b.logprobs);
  assert.notDeepEqual(a.tokens, c.tokens);
  model.dispose();
});

Deno.test("greedy decoding picks the argmax of the full-recompute logits", async () => {
  const model = tinyModel();
  const out = await sampleTokens(model, [[3, 1, 4]], {
    maxTokens: 6,
    temperature: 1,
    greedy: true,
  });
  const seq = [3, 1, 4];
  for (const tok of out.tokens[0]!) {
    const logits = fullLogits(model, seq)[seq.length - 1]!;
    assert.equal(tok, logits.indexOf(Math.max(...logits)));
    seq.push(tok);
  }
  model.dispose();
});

Deno.test("sampling rejects bad inputs with a message that says what to fix", async () => {
  const model = tinyModel();
  await assert.rejects(() => sampleTokens(model, [[]], { maxTokens: 2, temperature: 1 }), /BOS/);
  await assert.rejects(
    () => sampleTokens(model, [[99]], { maxTokens: 2, temperature: 1 }),
    /outside/,
  );
  await assert.rejects(
    () => sampleTokens(model, [[1]], { maxTokens: 2, temperature: 1, constraints: [] }),
    /one each/,
  );
  model.dispose();
});

for (const vocabSize of [100, 2100]) {
  Deno.test(`vocabulary of ${vocabSize}: constrained sampling and scoring agree`, async () => {
    const model = tinyModel({ vocabSize, nLayers: 1 });
    const prompts = [[1, 2, 3], [vocabSize - 1]];
    const constraints = prompts.map(() => new EvenTokens(vocabSize));
    const out = await sampleTokens(model, prompts, {
      maxTokens: 6,
      temperature: 1,
      seed: 2,
      constraints,
    });
    out.tokens.flat().forEach((t) => assert.ok(t % 2 === 0 && t < vocabSize));
    const lp = completionLogprobs(model, { prompts, completions: out.tokens, masks: out.masks });
    assert.ok(maxAbsDiff((await lp.logprobs.array()).flat(), out.logprobs.flat()) <= 1e-4);
    tf.dispose([lp.logprobs, lp.weights, lp.entropy]);
    model.dispose();
  });
}

Deno.test("repeated prompts are prefilled once and sample exactly as if alone", async () => {
  const model = tinyModel();
  const a = [1, 2, 3, 4, 5];
  const b = [6, 7];
  const alone = await sampleTokens(model, [a], {
    maxTokens: 6,
    temperature: 1,
    greedy: true,
    constraints: [new FixedLength(model.options.vocabSize, 6)],
  });
  const batch = [a, a, b, a, a];
  const together = await sampleTokens(model, batch, {
    maxTokens: 6,
    temperature: 1,
    greedy: true,
    constraints: batch.map(() => new FixedLength(model.options.vocabSize, 6)),
  });
  for (const i of [0, 1, 3, 4]) {
    assert.deepEqual(together.tokens[i], alone.tokens[0]);
    assert.ok(maxAbsDiff(together.logprobs[i]!, alone.logprobs[0]!) < 1e-4);
  }
  // A chunk budget that fits one distinct prompt at a time still gives the same samples.
  const chunked = await sampleTokens(model, batch, {
    maxTokens: 6,
    temperature: 1,
    greedy: true,
    maxBatchTokens: 5,
    constraints: batch.map(() => new FixedLength(model.options.vocabSize, 6)),
  });
  assert.deepEqual(chunked.tokens, together.tokens);
  model.dispose();
});
