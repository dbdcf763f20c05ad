/**
 * Pre-training throughput: examples/s and tokens/s of the real pre-training step (a batch from
 * `makeBatch`, then `crossEntropyStep`, as `lib/trainer/pretrain.ts` runs them) for three view
 * mixes (deduction only; the three solver views; the base recipe's mix) at the `small` and
 * `medium` shapes, batches of 64 to 1024 examples. Each batch is stepped by the old path
 * (micro-batches by view, the full forward, a read-back per micro-batch, 4,096-token
 * micro-batches, the model's reference kernels, the batch drawn on the main thread before the
 * step), by the config's defaults on one thread (with attention as batched matMuls, and as
 * depthwise convolutions), and by the defaults (the gradient worker computing half of the
 * micro-batches, `pretrainGradWorker`, and the next batch drawn by the data worker while the step
 * runs, `pretrainDataWorker`), each on its own model from the same seed, interleaved on the same
 * batches, so the ratio holds on a busy machine. The
 * ceiling is the wasm backend's 2-D matMul rate at the model's MLP shape, measured before and
 * after each row's steps; a step's GFLOP/s counts the full model's training FLOPs (3 × forward) on the unpadded
 * tokens, whatever a path skips. With a Python that imports torch ($PYTHON, python3, or Debian's
 * /usr/bin/python3 with python3-torch), the same examples go through a PyTorch model of the same
 * shape (`bench/pretrain_torch.py`: the old path's micro-batches, the faster of 1 and 2 threads,
 * the step alone) as a peer row; without one, a line says so.
 *
 * Usage: deno run -A bench/pretrain.ts [--quick] [--out FILE] [--steps N]
 * Writes runs/bench/pretrain.json (the committed numbers: `--out data/bench/pretrain.json`).
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type Config, PRETRAIN_VIEW_NAMES, resolveConfig } from "../lib/config.ts";
import { configSplit } from "../lib/eval/bank_split.ts";
import { worldVocab } from "../lib/lang/vocab.ts";
import { initBackend, policyOptionsFromConfig, TransformerPolicy } from "../lib/model/mod.ts";
import { Rng } from "../lib/rng.ts";
import { configBank } from "../lib/trainer/bank_cache.ts";
import { type CrossEntropyOptions, crossEntropyStep } from "../lib/trainer/cross_entropy.ts";
import {
  makeBatch,
  type PretrainExample,
  type PretrainView,
} from "../lib/trainer/pretrain_data.ts";
import { startDataWorker } from "../lib/trainer/pretrain_batches.ts";
import { startGradWorker } from "../lib/trainer/grad_worker.ts";
import { benchFlags, progress, writeBenchJson } from "./_cli.ts";

const flags = benchFlags(
  "pretrain",
  "Pre-training examples/s and tokens/s, old path vs config defaults, small and medium shapes.",
  { steps: "timed steps per row and path, after one warm-up step (default 2; --quick 1)" },
);
const QUICK = flags.quick;
const STEPS = flags.values.steps ?? (QUICK ? 1 : 2);

/** Model shapes: the base's `small` model and the schema's default (`medium`). */
const SHAPES = {
  small: { dModel: 64, nLayers: 2, nHeads: 2 },
  medium: { dModel: 128, nLayers: 4, nHeads: 4 },
} as const;
type ShapeName = keyof typeof SHAPES;

const BASE_WEIGHTS = resolveConfig({ preset: "base" }).pretrainViewWeights;
/** View mixes: the views and their weights (the base recipe's). */
const MIXES: Record<string, { views: PretrainView[]; weights: Config["pretrainViewWeights"] }> = {
  deduction: { views: ["deduction"], weights: {} },
  solver: {
    views: ["deduction", "abduction", "induction"],
    weights: { deduction: 4, abduction: 3, induction: 3 },
  },
  base: { views: [...PRETRAIN_VIEW_NAMES], weights: BASE_WEIGHTS },
};

/**
 * The paths timed on each batch: the old one, the defaults on one thread with matMul attention, the
 * defaults on one thread, the defaults (the gradient worker computing half of the micro-batches).
 */
const PATHS = ["old", "matMul", "oneThread", "new"] as const;

const GRID: { shape: ShapeName; mix: string; batch: number }[] = QUICK
  ? [{ shape: "small", mix: "solver", batch: 64 }]
  : (["small", "medium"] as const).flatMap((shape) =>
    Object.keys(MIXES).flatMap((mix) => [64, 256, 1024].map((batch) => ({ shape, mix, batch })))
  );

/**
 * The step as it was before issue 17: per-view micro-batches, full forward, per-batch reads (and
 * the model's reference kernels, below).
 */
const OLD: CrossEntropyOptions = {
  microBatchTokens: 4096,
  ceBatching: "view",
  logprobsForward: "full",
  readBack: "micro-batch",
};

/** Seconds per call of `fn`: one warm-up, then repeats until `minSeconds` (at least one). */
function timeIt(fn: () => void, minSeconds: number): number {
  fn();
  let n = 0;
  const t0 = performance.now();
  do {
    fn();
    n++;
  } while ((performance.now() - t0) / 1000 < minSeconds);
  return (performance.now() - t0) / 1000 / n;
}

/** GFLOP/s of one [N, D] × [D, 4D] matMul (the MLP's first product) on the active backend. */
function matMulRate(N: number, D: number): number {
  const a = tf.randomNormal([N, D]);
  const b = tf.randomNormal([D, 4 * D]);
  const s = timeIt(() => tf.matMul(a, b).dispose(), QUICK ? 0.2 : 1);
  tf.dispose([a, b]);
  return (2 * N * D * 4 * D) / s / 1e9;
}

/**
 * Training FLOPs (3 × forward) of the full model on one example's unpadded tokens: the blocks'
 * matMuls (4D² + 8D² per token per layer), causal attention (2·n²·D per layer: QKᵀ and PV over
 * half the square), the output head on the target tokens.
 */
function trainFlops(e: PretrainExample, D: number, L: number, V: number): number {
  const n = e.prompt.length + e.target.length - 1;
  return 3 * (2 * n * L * 12 * D * D + 2 * L * n * n * D + 2 * e.target.length * D * V);
}

interface Row {
  shape: ShapeName;
  mix: string;
  batch: number;
  /** Mean prompt + target tokens per example. */
  tokensPerExample: number;
  /** Mean target tokens per example. */
  targetTokensPerExample: number;
  /** Data generation on the main thread (makeBatch), ms per step. */
  dataMs: number;
  oldStepMs: number;
  /** The defaults on one thread with attention as batched matMuls (before depthwise). */
  matMulStepMs: number;
  /** The defaults on one thread (no gradient worker), the step alone. */
  oneThreadStepMs: number;
  /** The defaults' step (gradient worker on), while the data worker draws the next batch. */
  newStepMs: number;
  /** The defaults' step with the worker drawing the next batch meanwhile, until both are done. */
  newWallMs: number;
  /** Examples/s, data generation included (old: on the main thread; new: the worker's, overlapped). */
  oldExamplesPerS: number;
  newExamplesPerS: number;
  /** new / old examples/s. */
  speedup: number;
  /** Examples/s of the matMul-attention path (data generation on the main thread included). */
  matMulExamplesPerS: number;
  /** Examples/s of the one-thread path (data generation on the main thread included). */
  oneThreadExamplesPerS: number;
  /** One thread with depthwise attention / with matMul attention, data on the main thread. */
  depthwiseSpeedup: number;
  /**
   * The defaults / the one-thread path with the data on the main thread: what the second thread
   * adds (the gradient worker and the data worker sharing it).
   */
  threadsSpeedup: number;
  /** Prompt + target tokens/s of the new path, data generation included. */
  newTokensPerS: number;
  newTargetTokensPerS: number;
  /** Step only (no data generation): examples/s of each path, for the peer comparison. */
  oldStepExamplesPerS: number;
  newStepExamplesPerS: number;
  oneThreadStepExamplesPerS: number;
  /** Full-model training GFLOP/s of the one-thread path's step (no data generation). */
  oneThreadStepGflops: number;
  /** The same of the defaults' step (two threads). */
  newStepGflops: number;
  /** One thread's matMul rate, measured before and after the row's steps (the mean). */
  matmulGflops: number;
  /** oneThreadStepGflops / matmulGflops: one thread against one thread's matMul rate. */
  fractionOfMatmul: number;
  /** newStepGflops / (2 × matmulGflops): two threads against two threads' matMul rate. */
  fractionOfTwoMatmuls: number;
  /** The PyTorch peer's examples/s (step only) on 1 and on 2 threads. */
  torchThreads: Record<"1" | "2", number> | null;
  /** The faster of the two. */
  torchStepExamplesPerS: number | null;
  /** newStepExamplesPerS / torchStepExamplesPerS. */
  overTorch: number | null;
  /** oneThreadStepExamplesPerS / the PyTorch peer on one thread. */
  oneThreadOverTorch: number | null;
}

await initBackend("wasm", { log: false });
// The base's bank (programs up to 5 tokens, cached in runs/cache after the first build, which
// takes minutes); --quick: up to 4 tokens (seconds).
const maxSize = QUICK ? 4 : 5;
const bankCfg = resolveConfig({ preset: "base", overrides: { pretrainMaxSize: maxSize } });
progress("pretrain", `bank of programs up to ${maxSize} tokens (runs/cache)`);
const { bank } = await configBank(bankCfg);
const { train } = configSplit(bank, bankCfg); // pre-training's split (the worker draws from it too)
/** The first Python that imports torch: $PYTHON, python3, then Debian's (python3-torch). */
const python = [Deno.env.get("PYTHON"), "python3", "/usr/bin/python3"].find((py) => {
  if (!py) return false;
  try {
    return new Deno.Command(py, { args: ["-c", "import torch"], stderr: "null" }).outputSync()
      .success;
  } catch {
    return false; // no such interpreter
  }
});
const torchOk = python !== undefined;
const torchVersion = torchOk
  ? new TextDecoder().decode(
    new Deno.Command(python, { args: ["-c", "import torch; print(torch.__version__)"] })
      .outputSync().stdout,
  ).trim()
  : "";
const torchNote = torchOk
  ? `PyTorch peer: bench/pretrain_torch.py (${python}, torch ${torchVersion}, the faster of 1 and 2 threads)`
  : "PyTorch peer skipped: no python3 imports torch (Debian: apt-get install python3-torch)";
progress("pretrain", torchNote);

const rows: Row[] = [];
for (const { shape, mix, batch } of GRID) {
  const cfg = resolveConfig({
    preset: "base",
    overrides: {
      ...SHAPES[shape],
      pretrainMaxSize: maxSize,
      pretrainViews: MIXES[mix]!.views,
      pretrainViewWeights: MIXES[mix]!.weights,
      pretrainBatch: batch,
    },
  });
  const NEW: CrossEntropyOptions = {
    microBatchTokens: cfg.ceMicroBatchTokens,
    ceBatching: cfg.ceBatching,
    logprobsForward: cfg.logprobsForward,
    readBack: "step",
  };
  const { dModel: D, nLayers: L } = cfg;
  const V = worldVocab(cfg).size;
  // The ceiling, measured beside each row (before and after its steps, averaged): the host's speed
  // drifts over a run of this length, and a rate from another minute would misstate the fraction.
  const rateBefore = matMulRate(4096, D);
  // The old path on the model's reference kernels (gather, tanh), the new one on its fast ones.
  const policies = {
    old: new TransformerPolicy({ ...policyOptionsFromConfig(cfg, V), kernels: "reference" }),
    matMul: new TransformerPolicy({ ...policyOptionsFromConfig(cfg, V), attention: "matMul" }),
    oneThread: TransformerPolicy.fromConfig(cfg, V),
    new: TransformerPolicy.fromConfig(cfg, V),
  };
  // The defaults' gradient worker (pretrainGradWorker), as pretrain.ts starts it.
  await using gradWorker = await startGradWorker(policies.new.model.spec, "wasm");
  const options = { old: OLD, matMul: NEW, oneThread: NEW, new: { ...NEW, gradWorker } };
  const rng = new Rng(1);
  // The data worker, drawing from the same generator state as the main thread's makeBatch below.
  await using worker = await startDataWorker(cfg, rng);
  let next = worker.ask(0);
  let dataMs = 0;
  const ms = { old: 0, matMul: 0, oneThread: 0, new: 0, newWall: 0 };
  const timed: PretrainExample[][] = [];
  for (let s = 0; s <= STEPS; s++) {
    // The main thread's draw of this batch: the old path's data cost, and the check that the
    // worker's batch (drawn during the last step) is the same one.
    const t0 = performance.now();
    const examples = makeBatch(rng, train, cfg.pretrainViews, batch, cfg);
    const dt = performance.now() - t0;
    const { batch: fromWorker } = await next;
    if (!sameBatch(fromWorker, examples)) {
      throw new Error(`bench: the data worker's batch ${s} differs from the main thread's`);
    }
    // Alternate which path goes first, so none always runs on a warmer cache.
    const order = s % 2 === 0 ? PATHS : [...PATHS].reverse();
    for (const path of order) {
      const t1 = performance.now();
      // The defaults' step runs while the worker draws the next batch, as in pretrain.ts.
      if (path === "new") next = worker.ask(s + 1);
      const policy = policies[path];
      await crossEntropyStep(policy, policy.optimizer, examples, options[path]);
      if (s > 0) ms[path] += performance.now() - t1;
      if (path === "new") {
        await next;
        if (s > 0) ms.newWall += performance.now() - t1;
      }
    }
    if (s > 0) {
      dataMs += dt;
      timed.push(examples);
    }
  }
  Object.values(policies).forEach((p) => p.dispose());
  const rate = (rateBefore + matMulRate(4096, D)) / 2;
  const all = timed.flat();
  const flops = all.reduce((f, e) => f + trainFlops(e, D, L, V), 0) / STEPS; // per step
  const perStep = (x: number) => x / STEPS;
  const [d, o, m, t, n] = [dataMs, ms.old, ms.matMul, ms.oneThread, ms.new].map(perStep) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const w = perStep(ms.newWall);
  const tokens = all.reduce((s, e) => s + e.prompt.length + e.target.length, 0) / all.length;
  const target = all.reduce((s, e) => s + e.target.length, 0) / all.length;
  const row: Row = {
    shape,
    mix,
    batch,
    tokensPerExample: tokens,
    targetTokensPerExample: target,
    dataMs: d,
    oldStepMs: o,
    matMulStepMs: m,
    oneThreadStepMs: t,
    newStepMs: n,
    newWallMs: w,
    oldExamplesPerS: batch / ((d + o) / 1000),
    newExamplesPerS: batch / (w / 1000),
    speedup: (d + o) / w,
    matMulExamplesPerS: batch / ((d + m) / 1000),
    oneThreadExamplesPerS: batch / ((d + t) / 1000),
    depthwiseSpeedup: (d + m) / (d + t),
    threadsSpeedup: (d + t) / w,
    newTokensPerS: (batch * tokens) / (w / 1000),
    newTargetTokensPerS: (batch * target) / (w / 1000),
    oldStepExamplesPerS: batch / (o / 1000),
    newStepExamplesPerS: batch / (n / 1000),
    oneThreadStepExamplesPerS: batch / (t / 1000),
    oneThreadStepGflops: flops / (t / 1000) / 1e9,
    newStepGflops: flops / (n / 1000) / 1e9,
    matmulGflops: rate,
    fractionOfMatmul: flops / (t / 1000) / 1e9 / rate,
    fractionOfTwoMatmuls: flops / (n / 1000) / 1e9 / (2 * rate),
    torchThreads: null,
    torchStepExamplesPerS: null,
    overTorch: null,
    oneThreadOverTorch: null,
  };
  if (torchOk) {
    const s = await torchStep(timed, cfg, V);
    row.torchThreads = { "1": batch / s["1"], "2": batch / s["2"] };
    row.torchStepExamplesPerS = Math.max(batch / s["1"], batch / s["2"]);
    row.overTorch = row.newStepExamplesPerS / row.torchStepExamplesPerS;
    row.oneThreadOverTorch = row.oneThreadStepExamplesPerS / row.torchThreads["1"];
  }
  rows.push(row);
  progress(
    "pretrain",
    `${shape}/${mix}/${batch}: ${row.oldExamplesPerS.toFixed(0)} → ${
      row.newExamplesPerS.toFixed(0)
    } examples/s (${row.speedup.toFixed(2)}×)`,
  );
}

/** The same examples, view, tokens and size (no allocation: nothing for the timed steps to collect). */
function sameBatch(a: readonly PretrainExample[], b: readonly PretrainExample[]): boolean {
  const same = (x: readonly number[], y: readonly number[]) =>
    x.length === y.length && x.every((t, i) => t === y[i]);
  return a.length === b.length && a.every((e, i) => {
    const f = b[i]!;
    return e.view === f.view && e.size === f.size && same(e.prompt, f.prompt) &&
      same(e.target, f.target) && e.masks.length === f.masks.length;
  });
}

/**
 * Seconds per step of the PyTorch peer on the same batches (one warm-up on the first), on 1 and
 * on 2 threads.
 */
async function torchStep(
  batches: PretrainExample[][],
  cfg: Config,
  V: number,
): Promise<Record<"1" | "2", number>> {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/batches.json`;
    await Deno.writeTextFile(
      file,
      JSON.stringify({
        model: {
          vocab: V,
          dModel: cfg.dModel,
          nLayers: cfg.nLayers,
          nHeads: cfg.nHeads,
          mlpRatio: cfg.mlpRatio,
          contextLen: cfg.contextLen,
        },
        microBatchTokens: OLD.microBatchTokens,
        batches: batches.map((b) =>
          b.map((e) => ({
            view: e.view,
            prompt: e.prompt,
            target: e.target,
            // The allowed tokens of each target position (the mask as a list of ids).
            allowed: e.masks.map((m) => [...m.subarray(0, V)].flatMap((x, i) => x ? [i] : [])),
          }))
        ),
      }),
    );
    const out = await new Deno.Command(python!, {
      args: [new URL("pretrain_torch.py", import.meta.url).pathname, file],
      stderr: "inherit",
    }).output();
    if (!out.success) throw new Error("bench/pretrain_torch.py failed");
    return JSON.parse(new TextDecoder().decode(out.stdout)).stepS;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const f = (x: number | null, d = 0) => (x === null ? "–" : x.toFixed(d));
const times = (x: number | null) => (x === null ? "–" : `${f(x, 2)}×`);
console.log(
  `Pre-training throughput (wasm, 2 cores; ${STEPS} timed step(s) per row and path after a warm-up; ` +
    `bank up to ${maxSize} tokens). old = micro-batches by view, full forward, a read-back per ` +
    `micro-batch, 4,096 tokens, gather and tanh kernels, data drawn on the main thread; one thread ` +
    `= the config's defaults and fast kernels without the gradient worker, data on the main ` +
    `thread; matMul att. = one thread with attention as batched matMuls (before depthwise); new = ` +
    `the defaults: the gradient worker computes half of the micro-batches and the data worker ` +
    `draws the next batch during the step. Examples/s and tokens/s include data generation; ` +
    `"depthwise" compares one thread with matMul att., "threads" new with one thread; GFLOP/s and ` +
    `the peer are the step alone, the fraction one thread's against one thread's matMul rate and ` +
    `new's against two.\n${torchNote}\n`,
);
console.log(
  "| shape | mix | batch | tok/ex (target) | data ms | old ex/s | matMul att. ex/s | one thread ex/s | new ex/s | speed-up | depthwise | threads | new tok/s | new target tok/s | step GFLOP/s (1 thread, new) | matMul GFLOP/s | fraction (1 thread, new) | torch step ex/s | one thread / torch 1 thread | new / torch |",
);
console.log(
  "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
);
for (const r of rows) {
  console.log(
    `| ${r.shape} | ${r.mix} | ${r.batch} | ${f(r.tokensPerExample, 1)} (${
      f(r.targetTokensPerExample, 1)
    }) | ${f(r.dataMs)} | ${f(r.oldExamplesPerS)} | ${f(r.matMulExamplesPerS)} | ${
      f(r.oneThreadExamplesPerS)
    } | ${f(r.newExamplesPerS)} | ${times(r.speedup)} | ${times(r.depthwiseSpeedup)} | ${
      times(r.threadsSpeedup)
    } | ${f(r.newTokensPerS)} | ${f(r.newTargetTokensPerS)} | ${f(r.oneThreadStepGflops, 2)}, ${
      f(r.newStepGflops, 2)
    } | ${f(r.matmulGflops, 1)} | ${f(r.fractionOfMatmul, 2)}, ${f(r.fractionOfTwoMatmuls, 2)} | ${
      f(r.torchStepExamplesPerS)
    } | ${times(r.oneThreadOverTorch)} | ${times(r.overTorch)} |`,
  );
}
await writeBenchJson(flags.out, {
  date: new Date().toISOString(),
  quick: QUICK,
  steps: STEPS,
  bankMaxSize: maxSize,
  old: OLD,
  torch: torchNote,
  rows,
});
