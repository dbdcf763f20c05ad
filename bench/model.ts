/**
 * Model benchmark: wasm and cpu side by side in one run, for the `tiny` and `default` presets.
 * Prints training and sampling tokens/s, model FLOPs per token, the backend's measured 2-D matMul
 * rate at the model's MLP shape, and the fraction of that rate the training step reaches; on wasm
 * also KV-cache sampling vs recomputing the whole prefix at every step (128-token sequences).
 * Writes the numbers to runs/bench/model.json (the committed ones: `--out data/bench/model.json`).
 *
 * Usage: deno run -A bench/model.ts [--quick] [--out FILE]
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { resolveConfig } from "../lib/config.ts";
import {
  AdamW,
  completionLogprobs,
  drawToken,
  initBackend,
  padLeftBatch,
  sampleTokens,
  Transformer,
} from "../lib/model/mod.ts";
import { Rng } from "../lib/rng.ts";
import { benchFlags, progress, writeBenchJson } from "./_cli.ts";

const flags = benchFlags(
  "model",
  "Training and sampling tokens/s on wasm and cpu, tiny and default presets.",
);
const QUICK = flags.quick;
const VOCAB = 1024; // between the language's small (~100) and large (~2,100) vocabularies
const BATCH = 8;
const SEQ = 128; // tokens per training sequence, and prompt + generation when sampling
const PROMPT = 16;

/** Seconds per call of `fn`: one warm-up, then repeats until `minSeconds` (at least one). */
async function timeIt(fn: () => Promise<void>, minSeconds: number): Promise<number> {
  await fn();
  let n = 0;
  const t0 = performance.now();
  do {
    await fn();
    n++;
  } while ((performance.now() - t0) / 1000 < minSeconds);
  return (performance.now() - t0) / 1000 / n;
}

/** Forward FLOPs per token: 2 × matMul weights + attention (2 × 2 × L × T_avg × D), T_avg = T/2. */
function forwardFlopsPerToken(m: Transformer, T: number): number {
  const { dModel: D, nLayers: L, mlpRatio: r, vocabSize: V } = m.options;
  const matmulParams = L * (4 * D * D + 2 * r * D * D) + D * V;
  return 2 * matmulParams + 4 * L * (T / 2) * D;
}

/** GFLOP/s of one [N, D] × [D, r·D] matMul, the MLP's shape, on the active backend. */
async function matMulRate(N: number, D: number, H: number, minSeconds: number): Promise<number> {
  const a = tf.randomNormal([N, D]);
  const b = tf.randomNormal([D, H]);
  const s = await timeIt(async () => {
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
  }, minSeconds);
  tf.dispose([a, b]);
  return (2 * N * D * H) / s / 1e9;
}

interface Row {
  backend: string;
  preset: string;
  params: number;
  trainFlopsPerToken: number;
  matmulGflops: number;
  trainTokensPerS: number;
  trainGflops: number;
  fractionOfMatmul: number;
  sampleTokensPerS: number;
  recomputeTokensPerS: number | null;
  kvSpeedup: number | null;
}

/** Sampling by recomputing the whole prefix at each step (the baseline the KV cache replaces). */
async function sampleRecompute(model: Transformer, prompts: number[][], steps: number, rng: Rng) {
  const seqs = prompts.map((p) => p.slice());
  const V = model.options.vocabSize;
  const all = new Uint8Array(V).fill(1);
  for (let s = 0; s < steps; s++) {
    const logits = tf.tidy(() => {
      const { hidden } = model.forward(padLeftBatch(seqs));
      const T = hidden.shape[1];
      const last = tf.slice(hidden, [0, T - 1, 0], [seqs.length, 1, model.options.dModel]);
      return model.logits(tf.reshape(last, [seqs.length, model.options.dModel]) as tf.Tensor2D);
    });
    const data = (await logits.data()) as Float32Array;
    logits.dispose();
    seqs.forEach((q, b) =>
      q.push(drawToken(data.subarray(b * V, (b + 1) * V), all, rng, { temperature: 1 }).token)
    );
  }
}

async function benchOne(backend: "wasm" | "cpu", preset: "tiny" | "default"): Promise<Row> {
  await initBackend(backend, { log: false });
  const cfg = resolveConfig({ preset });
  const model = new Transformer({
    vocabSize: VOCAB,
    dModel: cfg.dModel,
    nLayers: cfg.nLayers,
    nHeads: cfg.nHeads,
    mlpRatio: cfg.mlpRatio,
    contextLen: Math.max(SEQ, cfg.contextLen),
    tieEmbeddings: cfg.tieEmbeddings,
    seed: 0,
  });
  const opt = new AdamW(model.params, cfg);
  const minS = QUICK ? 0.3 : backend === "cpu" ? 1 : 3;
  const rng = new Rng(1);
  const seqs = Array.from(
    { length: BATCH },
    () => Array.from({ length: SEQ }, () => rng.int(VOCAB)),
  );
  const batch = {
    prompts: seqs.map((s) => s.slice(0, 1)),
    completions: seqs.map((s) => s.slice(1)),
  };
  const trainS = await timeIt(async () => {
    await opt.step(() =>
      tf.tidy(() => {
        const r = completionLogprobs(model, batch);
        return tf.neg(tf.mean(r.logprobs)) as tf.Scalar;
      })
    );
  }, minS);
  const prompts = seqs.map((s) => s.slice(0, PROMPT));
  const gen = SEQ - PROMPT;
  const sampleS = await timeIt(async () => {
    await sampleTokens(model, prompts, { maxTokens: gen, temperature: 1, rng });
  }, minS);
  let recomputeS: number | null = null;
  if (backend === "wasm") {
    recomputeS = await timeIt(() => sampleRecompute(model, prompts, gen, rng), minS);
  }
  const trainFlopsPerToken = 3 * forwardFlopsPerToken(model, SEQ);
  const trainTokensPerS = (BATCH * (SEQ - 1)) / trainS;
  const matmulGflops = await matMulRate(BATCH * SEQ, cfg.dModel, cfg.dModel * cfg.mlpRatio, minS);
  const trainGflops = (trainTokensPerS * trainFlopsPerToken) / 1e9;
  const row: Row = {
    backend,
    preset,
    params: model.paramCount(),
    trainFlopsPerToken,
    matmulGflops,
    trainTokensPerS,
    trainGflops,
    fractionOfMatmul: trainGflops / matmulGflops,
    sampleTokensPerS: (BATCH * gen) / sampleS,
    recomputeTokensPerS: recomputeS === null ? null : (BATCH * gen) / recomputeS,
    kvSpeedup: recomputeS === null ? null : recomputeS / sampleS,
  };
  opt.dispose();
  model.dispose();
  return row;
}

const rows: Row[] = [];
// --quick: the tiny preset only (the default one takes minutes on cpu even with short timings).
const PRESET_NAMES = QUICK ? (["tiny"] as const) : (["tiny", "default"] as const);
for (const preset of PRESET_NAMES) {
  for (const backend of ["wasm", "cpu"] as const) {
    const row = await benchOne(backend, preset);
    progress("model", `done ${backend}/${preset}`);
    rows.push(row);
  }
}
const f = (x: number | null, d = 1) => (x === null ? "–" : x.toFixed(d));
console.log(
  `Model benchmark: vocabulary ${VOCAB}, batch ${BATCH} × ${SEQ} tokens (sampling: ${PROMPT}-token prompts + ${
    SEQ - PROMPT
  } generated)\n`,
);
console.log(
  "| preset | backend | params | MFLOP/token (train) | matMul GFLOP/s | train tok/s | train GFLOP/s | fraction of matMul | sample tok/s (KV) | sample tok/s (recompute) | KV speed-up |",
);
console.log("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const r of rows) {
  console.log(
    `| ${r.preset} | ${r.backend} | ${r.params.toLocaleString("en")} | ${
      f(r.trainFlopsPerToken / 1e6, 2)
    } | ${f(r.matmulGflops, 2)} | ${f(r.trainTokensPerS, 0)} | ${f(r.trainGflops, 2)} | ${
      f(r.fractionOfMatmul, 2)
    } | ${f(r.sampleTokensPerS, 0)} | ${f(r.recomputeTokensPerS, 0)} | ${f(r.kvSpeedup)}× |`,
  );
}
const ratios = PRESET_NAMES.map((p) => {
  const w = rows.find((r) => r.preset === p && r.backend === "wasm")!;
  const c = rows.find((r) => r.preset === p && r.backend === "cpu")!;
  return {
    preset: p,
    trainWasmOverCpu: w.trainTokensPerS / c.trainTokensPerS,
    sampleWasmOverCpu: w.sampleTokensPerS / c.sampleTokensPerS,
  };
});
console.log("\n| preset | wasm/cpu train | wasm/cpu sample |\n|---|---:|---:|");
for (const r of ratios) {
  console.log(`| ${r.preset} | ${f(r.trainWasmOverCpu)}× | ${f(r.sampleWasmOverCpu)}× |`);
}
await writeBenchJson(flags.out, {
  date: new Date().toISOString(),
  vocab: VOCAB,
  batch: BATCH,
  seq: SEQ,
  prompt: PROMPT,
  quick: QUICK,
  rows,
  ratios,
});
