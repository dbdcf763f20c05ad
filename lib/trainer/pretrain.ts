/**
 * Executor-grounded pre-training with no human data: the base model self-play starts from.
 *
 * Every step draws `pretrainBatch` tasks from the canonical generator's train split (its
 * held-out behaviours never appear), in every view self-play uses (`pretrain_data.ts`), and
 * takes one AdamW step on the cross-entropy of the generated tokens under the constrained
 * decoder's masks. Held-out accuracy is measured greedily, as in self-play's eval, on a fixed
 * set of the generator's held-out behaviours (also by program size) and on the world's
 * hand-written suites, each checked by the sandbox.
 *
 * The run folder is the trainer's: `config.json`, `metrics.jsonl`, `checkpoints/` (atomic,
 * resumable), `eval.json`, `summary.json`, `report.html`.
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Config } from "../config.ts";
import { type EvalReport, evaluateSuites } from "../eval/evaluate.ts";
import { type EvalSuite, loadSuites } from "../eval/suite.ts";
import { generatorSetSeed, generatorSuite } from "../eval/generator_suite.ts";
import { beyondSet } from "../eval/beyond.ts";
import {
  accuracyBySize,
  EVAL_SETS,
  evalSetMetrics,
  type PretrainSetName as EvalSetName,
} from "../eval/eval_sets.ts";
import { bankSizes } from "../lang/generate.ts";
import { configSplit, formatOverlap, overlapCounts, suiteOverlap } from "../eval/bank_split.ts";
import { configBank } from "./bank_cache.ts";
import type { Bank } from "../lang/generate.ts";
import { saveBase } from "./init.ts";
import { appendMetrics, type Metrics, readMetrics } from "./metrics.ts";
import { crossEntropyStep } from "./cross_entropy.ts";
import { SINGLE_THREADED_BACKENDS, startGradWorker } from "./grad_worker.ts";
import { inlineBatches, workerBatches } from "./pretrain_batches.ts";
import { writeAtomic } from "./run_dir.ts";
import type { PretrainSummary } from "./run_files.ts";
import { type RunOptions, TrainingRun } from "./training_run.ts";

/** One eval of every set (../eval/eval_sets.ts). */
export type EvalReports = Record<EvalSetName, EvalReport>;

/** Options and callbacks of {@linkcode pretrain}: the run's ({@linkcode RunOptions}), then the loop's. */
export interface PretrainHooks extends RunOptions {
  /** Called after every step with its metrics. */
  onStep?: (m: Metrics) => void;
}

/** Pre-training learning rate at `step` (a pure function of the step, so resume is exact). */
export function pretrainLr(
  cfg: Pick<Config, "pretrainLr" | "pretrainLrSchedule" | "pretrainSteps">,
  step: number,
): number {
  if (cfg.pretrainLrSchedule === "constant") return cfg.pretrainLr;
  const warm = Math.min(1, (step + 1) / 100);
  const progress = Math.min(1, step / Math.max(1, cfg.pretrainSteps));
  return cfg.pretrainLr * warm * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progress)));
}

export { curriculumWeights } from "./pretrain_data.ts";

/**
 * The generator's bank for pre-training: its train split and held-out behaviours, logged with
 * the check of where the suites' programs lie in the split.
 */
async function pretrainBank(
  run: TrainingRun,
  suites: readonly EvalSuite[],
  log: (line: string) => void,
) {
  const { cfg, paths } = run;
  const t0 = performance.now();
  const { bank, cached } = await configBank(cfg);
  // The time it took to enumerate (also when read back from the cache).
  const buildS = bank.signatures.reduce((s, x) => s + x.ms, 0) / 1000;
  const loadS = (performance.now() - t0) / 1000;
  const { train, heldout: held, suiteHeldOut, alsoHeldOut } = configSplit(bank, cfg, suites);
  const count = (b: Bank) => b.signatures.reduce((s, x) => s + x.programs.length, 0);
  log(
    `bank: ${count(bank)} programs (≤ ${cfg.pretrainMaxSize} tokens), enumerated in ${
      buildS.toFixed(1)
    } s${cached ? ` (read from ${cfg.runsDir}/cache in ${loadS.toFixed(1)} s)` : ""}; ` +
      `${count(held)} behaviours held out${
        cfg.pretrainHoldOutSuites ? ` (${suiteHeldOut} of them for the suites' programs)` : ""
      }`,
  );
  // The suites measure unseen behaviours only where their programs are not in the train split.
  const overlap = suiteOverlap(bank, suites, cfg, cfg.pretrainHeldOut, alsoHeldOut);
  for (const line of formatOverlap(overlap)) log(`suites: ${line}`);
  await writeAtomic(`${paths.dir}/bank.json`, JSON.stringify(bankSizes(bank), null, 2) + "\n");
  return {
    bank,
    train,
    held,
    summary: { programs: count(bank), heldOut: count(held), buildS },
    suiteOverlap: overlapCounts(overlap),
  };
}

/** The target-token count after the restored step (curves are drawn against it). */
async function tokensSoFar(metricsPath: string): Promise<number> {
  const before = (await readMetrics(metricsPath)).findLast((m) =>
    typeof m["pretrain/tokens"] === "number"
  );
  return Number(before?.["pretrain/tokens"] ?? 0);
}

/** Pre-trains the base for `pretrainSteps` steps (or `maxMinutes`); returns its summary. */
export async function pretrain(
  config: Config,
  hooks: PretrainHooks = {},
): Promise<PretrainSummary> {
  const log = hooks.log ?? (() => {});
  // ── open or resume the run: folder, backend, policy, sandbox, budget, checkpoints ──
  await using run = await TrainingRun.open(config, hooks, {
    steps: (c) => c.pretrainSteps,
    lr: (c) => c.pretrainLr,
  });
  const { cfg, paths, policy } = run;
  const suites = Object.values(loadSuites(cfg.evalSuites, cfg));
  const { bank: wholeBank, train, held, summary: bank, suiteOverlap: overlap } = await pretrainBank(
    run,
    suites,
    log,
  );
  // Three eval sets: the generator's held-out behaviours and train split, the world's suites.
  const evalSets: Record<EvalSetName, EvalSuite[]> = {
    generator: [
      generatorSuite(held, cfg.pretrainEvalTasks, "generator", generatorSetSeed("generator", cfg)),
    ],
    // Trained-on behaviours on fresh inputs (another seed): under- vs over-fitting.
    train: [generatorSuite(train, cfg.pretrainEvalTasks, "train", generatorSetSeed("train", cfg))],
    suite: suites,
  };
  let tokens = run.restored ? await tokensSoFar(paths.metrics) : 0;
  let last: EvalReports | undefined;
  await run.initWeights(cfg.pretrainInit);
  let step = run.begin();
  // The model on two threads where its backend runs on one (pretrainGradWorker).
  const backend = tf.getBackend();
  await using gradWorker = cfg.pretrainGradWorker && SINGLE_THREADED_BACKENDS.includes(backend)
    ? await startGradWorker(policy.model.spec, backend)
    : undefined;
  log(
    `model threads: ${
      gradWorker ? 2 : 1
    } (pretrainGradWorker ${cfg.pretrainGradWorker}, backend ${backend})`,
  );
  await using batches = cfg.pretrainDataWorker
    ? await workerBatches(cfg, run.rng)
    : inlineBatches(train, cfg, run.rng);
  for (; run.continues(step); step++) {
    const tStep = performance.now();
    // ── data: a batch of generated tasks in every view (the worker's: drawn during the last step) ──
    const { batch, rng } = await batches.take(step);
    run.rng = rng; // the generator's state after this batch: what a checkpoint after it saves
    // ── update: cross-entropy of the target tokens under the decoder's masks ──
    policy.optimizer.options.lr = pretrainLr(cfg, step);
    const ce = await crossEntropyStep(policy, policy.optimizer, batch, {
      ...cfg,
      microBatchTokens: cfg.ceMicroBatchTokens,
      ...(gradWorker ? { gradWorker } : {}),
    });
    tokens += ce.tokens;

    // ── log, and the held-out eval every pretrainEvalEvery steps and at the last ──
    const m: Metrics = {
      step,
      "pretrain/loss": ce.loss,
      "pretrain/grad_norm": ce.gradNorm,
      "pretrain/lr": policy.optimizer.options.lr,
      "pretrain/tokens": tokens,
      "perf/step_s": (performance.now() - tStep) / 1000,
      "perf/tokens_per_s": ce.tokens / ((performance.now() - tStep) / 1000),
      "perf/examples_per_s": batch.length / ((performance.now() - tStep) / 1000),
      // The share of the step's micro-batches the gradient worker computed (0: one thread).
      "perf/grad_worker_share": ce.microBatches.worker /
        Math.max(1, ce.microBatches.local + ce.microBatches.worker),
      "time/minutes": run.elapsedS / 60,
    };
    for (const v of cfg.pretrainViews) {
      const n = batch.filter((e) => e.view === v).reduce((s, e) => s + e.target.length, 0);
      if (n > 0) m[`pretrain/loss/${v}`] = (ce.perView[v] ?? 0) / n;
    }
    const isLast = step === cfg.pretrainSteps - 1;
    if ((cfg.pretrainEvalEvery > 0 && (step + 1) % cfg.pretrainEvalEvery === 0) || isLast) {
      last = await runEval(run, evalSets, isLast);
      Object.assign(m, evalMetrics(last, isLast));
    }
    await appendMetrics(paths.metrics, m);
    hooks.onStep?.(m);
    // ── checkpoint when due ──
    await run.stepDone(step);
  }
  await run.end(step);
  const done = step - 1;
  if (done >= 0) {
    // The base as it ships: weights only (runs/<name>/base, copied to data/base).
    const { model } = policy;
    await saveBase(`${paths.dir}/base`, {
      model,
      config: cfg,
      vocabHash: run.vocab.hash,
      step: done,
    });
  }
  // ── final eval (unless the last step just ran it), eval.json, summary, report ──
  // Also after a stop: the loop ends, the final eval runs, then the run reports the stop.
  const lastStepEvaluated = last !== undefined && done === cfg.pretrainSteps - 1;
  const final = lastStepEvaluated ? last! : await runEval(run, evalSets, true);
  if (!lastStepEvaluated && done >= 0) {
    await appendMetrics(paths.metrics, { step: done, ...evalMetrics(final, true) });
  }
  // The set beyond the bank (evalBeyond, as self-play scores it), at the end only.
  const beyond = cfg.evalBeyond > 0
    ? await greedyEval(run, [beyondSet(wholeBank, cfg.evalBeyond, cfg)], {
      limit: 0,
      search: false,
      baselines: true,
    })
    : undefined;
  if (beyond && done >= 0) {
    await appendMetrics(paths.metrics, {
      step: done,
      ...evalSetMetrics("beyond", beyond, { chance: true }),
    });
  }
  const summary: PretrainSummary = {
    name: cfg.name,
    steps: step,
    tokens,
    minutes: run.elapsedS / 60,
    bank,
    accuracy: {
      ...perSet(final, (r) => r.accuracy),
      ...(beyond ? { beyond: beyond.accuracy } : {}),
    },
    counts: perSet(final, (r) => r.counts),
    baselines: perSet(final, (r) => r.baselines),
    listLength: perSet(final, (r) => r.listLength),
    bySize: accuracyBySize(final.generator),
    bySizeTrain: accuracyBySize(final.train),
    bySizeSuite: accuracyBySize(final.suite),
    suiteOverlap: overlap,
  };
  await run.writeFinal({ step, ...final, ...(beyond ? { beyond } : {}) }, summary);
  log(`report: ${paths.report}`);
  if (run.stopping) throw run.stopped(step);
  return summary;
}

/**
 * Greedy eval of every set; chance levels only in the final one, and the enumerative search
 * (about a second per task) only on the held-out set and the suites, where it is the reference.
 */
async function runEval(
  run: TrainingRun,
  evalSets: Record<EvalSetName, EvalSuite[]>,
  final: boolean,
): Promise<EvalReports> {
  const one = (set: EvalSetName) =>
    greedyEval(run, evalSets[set], {
      limit: run.cfg.evalLimit,
      search: final && set !== "train",
      baselines: final,
    });
  return {
    generator: await one("generator"),
    train: await one("train"),
    suite: await one("suite"),
  };
}

/**
 * Greedy eval of `suites` under the run's settings: at most `limit` tasks per type and suite (0:
 * all), the enumerative search and the chance levels when asked.
 */
function greedyEval(
  run: TrainingRun,
  suites: readonly EvalSuite[],
  o: { limit: number; search: boolean; baselines: boolean },
): Promise<EvalReport> {
  const { cfg } = run;
  return evaluateSuites(run.policy, run.executor, suites, {
    ...cfg,
    greedy: true,
    limit: o.limit,
    seed: cfg.seed,
    searchEvals: o.search ? cfg.searchMaxEvals : 0,
    baselines: o.baselines,
  });
}

/** One field of each set's report. */
function perSet<T>(r: EvalReports, f: (r: EvalReport) => T): Record<EvalSetName, T> {
  return { generator: f(r.generator), train: f(r.train), suite: f(r.suite) };
}

/** Every set's metrics (`eval/<set>/…`; with `final`, the chance levels `chance/<set>/…` too). */
function evalMetrics(r: EvalReports, final: boolean): Record<string, number> {
  return Object.assign(
    {},
    ...EVAL_SETS.map((set) => evalSetMetrics(set, r[set], { chance: final })),
  );
}
