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
import type { Config } from "../config.ts";
import { type EvalReport, evaluateSuites } from "../eval/evaluate.ts";
import { type EvalSuite, loadSuites } from "../eval/suite.ts";
import { GENERATOR_EVAL_SEEDS, generatorSuite, taskSize } from "../eval/generator_suite.ts";
import { bankSizes, splitBank } from "../lang/generate.ts";
import { configBank } from "./bank_cache.ts";
import type { Bank } from "../lang/generate.ts";
import { worldVocab } from "../lang/vocab.ts";
import { initBackend } from "../model/backend.ts";
import { TransformerPolicy } from "../model/policy.ts";
import { Rng } from "../rng.ts";
import { createSandbox, sandboxOptionsFromConfig } from "../sandbox/mod.ts";
import { restoreNewest, saveTrainer } from "./checkpoint.ts";
import { saveBase } from "./init.ts";
import { appendMetrics, mean, type Metrics, readMetrics } from "./metrics.ts";
import { crossEntropyStep } from "./cross_entropy.ts";
import { makeBatch } from "./pretrain_data.ts";
import { type OpenMode, openRunDir, truncateJsonl, writeAtomic } from "./run_dir.ts";
import { writeRunReport } from "./run_report.ts";
import { PRETRAIN_EVAL_SETS } from "./pretrain_report.ts";

const EVAL_SETS = PRETRAIN_EVAL_SETS;
/** The generator's held-out behaviours or train split, or the world's hand-written suites. */
export type EvalSet = (typeof EVAL_SETS)[number];
/** One eval of both sets. */
export type EvalReports = Record<EvalSet, EvalReport>;

/** Hooks and options of {@linkcode pretrain}. */
export interface PretrainHooks {
  /** new (default), resume or overwrite the run folder. */
  mode?: OpenMode;
  /** Keys given on the command line (resume: only these override the saved config). */
  explicitKeys?: readonly string[];
  log?: (line: string) => void;
  onStep?: (m: Metrics) => void;
  /** Checked between steps: true stops after a checkpoint (Ctrl-C). */
  shouldStop?: () => boolean;
}

/** What a finished pre-training run reports. */
export interface PretrainSummary {
  name: string;
  steps: number;
  tokens: number;
  minutes: number;
  bank: { programs: number; heldOut: number; buildS: number };
  /** Final greedy accuracy per eval set and task type: `{ generator: {deduction: …}, suite: … }`. */
  accuracy: Record<EvalSet, Record<string, number>>;
  /** The same as correct/total counts. */
  counts: Record<EvalSet, EvalReport["counts"]>;
  /** Chance levels of each set (majority answer, copy an argument, …), as k/n. */
  baselines: Record<EvalSet, EvalReport["baselines"]>;
  /** List-valued deduction answers of the right length. */
  listLength: Record<EvalSet, EvalReport["listLength"]>;
  /** Generator held-out accuracy per task type and program size. */
  bySize: Record<string, Record<string, number>>;
  /** Generator train-split accuracy per task type and program size. */
  bySizeTrain: Record<string, Record<string, number>>;
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

/** Size weights of the curriculum at `progress` ∈ [0, 1): sizes unlock one by one. */
export function curriculumWeights(maxSize: number, progress: number): number[] {
  const unlocked = 1 + Math.floor(progress * maxSize);
  return Array.from({ length: maxSize + 1 }, (_, k) => (k >= 1 && k <= unlocked ? 1 : 0));
}

/** Pre-trains the base for `pretrainSteps` steps (or `maxMinutes`); returns its summary. */
export async function pretrain(
  config: Config,
  hooks: PretrainHooks = {},
): Promise<PretrainSummary> {
  const log = hooks.log ?? (() => {});
  let started = performance.now();

  // ── setup: run folder, backend, model, bank and its split, held-out sets ──
  const { cfg, paths } = await openRunDir(config, {
    mode: hooks.mode ?? "new",
    ...(hooks.explicitKeys ? { explicitKeys: hooks.explicitKeys } : {}),
  });
  const backend = await initBackend(cfg.backend, { log: false });
  log(`backend: ${backend.name} (${backend.reason})`);
  const vocab = worldVocab(cfg);
  const policy = TransformerPolicy.fromConfig({ ...cfg, lr: cfg.pretrainLr }, vocab.size);
  const { model, optimizer } = policy;
  const t0 = performance.now();
  const { bank, cached } = await configBank(cfg);
  // The time it took to enumerate (also when read back from the cache).
  const buildS = bank.signatures.reduce((s, x) => s + x.ms, 0) / 1000;
  const loadS = (performance.now() - t0) / 1000;
  const train = splitBank(bank, "train", cfg.pretrainHeldOut);
  const held = splitBank(bank, "heldout", cfg.pretrainHeldOut);
  const count = (b: Bank) => b.signatures.reduce((s, x) => s + x.programs.length, 0);
  log(
    `bank: ${count(bank)} programs (≤ ${cfg.pretrainMaxSize} tokens), enumerated in ${
      buildS.toFixed(1)
    } s${cached ? ` (read from ${cfg.runsDir}/cache in ${loadS.toFixed(1)} s)` : ""}; ` +
      `${count(held)} behaviours held out`,
  );
  await writeAtomic(`${paths.dir}/bank.json`, JSON.stringify(bankSizes(bank), null, 2) + "\n");
  // Three eval sets: the generator's held-out behaviours and train split, the world's suites.
  const evalSets: Record<EvalSet, EvalSuite[]> = {
    generator: [generatorSuite(held, cfg.pretrainEvalTasks, GENERATOR_EVAL_SEEDS.generator)],
    // Trained-on behaviours on fresh inputs (another seed): under- vs over-fitting.
    train: [generatorSuite(train, cfg.pretrainEvalTasks, GENERATOR_EVAL_SEEDS.train, "train")],
    suite: Object.values(loadSuites(cfg.evalSuites, cfg)),
  };
  const executor = await createSandbox(sandboxOptionsFromConfig(cfg));

  let rng = new Rng(cfg.seed);
  let step = 0;
  let tokens = 0;
  try {
    if (hooks.mode === "resume") {
      // ── resume: weights, optimizer, RNG; metrics cut back to the checkpoint ──
      const r = await restoreNewest(
        paths.checkpoints,
        { model, optimizer, vocabHash: vocab.hash },
        {
          warn: log,
        },
      );
      if (r) {
        rng = Rng.fromState(r.rngState);
        step = r.step + 1;
        started -= r.elapsedS * 1000;
        await truncateJsonl(paths.metrics, r.step);
        // The token count carries on from the restored step (curves are drawn against it).
        const before = (await readMetrics(paths.metrics)).findLast((m) =>
          typeof m["pretrain/tokens"] === "number"
        );
        tokens = Number(before?.["pretrain/tokens"] ?? 0);
        log(`resumed '${cfg.name}' after step ${r.step} from ${r.path}`);
      }
    }
    const timeUp = () =>
      cfg.maxMinutes > 0 && performance.now() - started > cfg.maxMinutes * 60_000;
    let last: EvalReports | undefined;
    let lastCkpt = performance.now();
    for (; step < cfg.pretrainSteps && !timeUp() && !hooks.shouldStop?.(); step++) {
      const tStep = performance.now();
      // ── data: a batch of generated tasks in every view ──
      const sizeWeights = cfg.pretrainSizeCurriculum
        ? curriculumWeights(cfg.pretrainMaxSize, step / cfg.pretrainSteps)
        : undefined;
      const batch = makeBatch(rng, train, cfg.pretrainViews, cfg.pretrainBatch, {
        ...cfg,
        ...(sizeWeights ? { sizeWeights } : {}),
      });
      // ── update: cross-entropy of the target tokens under the decoder's masks ──
      optimizer.options.lr = pretrainLr(cfg, step);
      const { loss, gradNorm, perView, tokens: nTok } = await crossEntropyStep(
        policy,
        optimizer,
        batch,
        cfg,
      );
      tokens += nTok;

      // ── log ──
      const m: Metrics = {
        step,
        "pretrain/loss": loss,
        "pretrain/grad_norm": gradNorm,
        "pretrain/lr": optimizer.options.lr,
        "pretrain/tokens": tokens,
        "perf/step_s": (performance.now() - tStep) / 1000,
        "perf/tokens_per_s": nTok / ((performance.now() - tStep) / 1000),
        "perf/examples_per_s": batch.length / ((performance.now() - tStep) / 1000),
        "time/minutes": (performance.now() - started) / 60_000,
      };
      for (const v of cfg.pretrainViews) {
        const n = batch.filter((e) => e.view === v).reduce((s, e) => s + e.target.length, 0);
        if (n > 0) m[`pretrain/loss/${v}`] = (perView[v] ?? 0) / n;
      }
      const isLast = step === cfg.pretrainSteps - 1;
      if ((cfg.pretrainEvalEvery > 0 && (step + 1) % cfg.pretrainEvalEvery === 0) || isLast) {
        last = await runEval(isLast);
        Object.assign(m, evalMetrics(last));
      }
      await appendMetrics(paths.metrics, m);
      hooks.onStep?.(m);
      if (
        (step + 1) % cfg.checkpointEvery === 0 ||
        (cfg.checkpointMinutes > 0 && performance.now() - lastCkpt > cfg.checkpointMinutes * 60_000)
      ) {
        await checkpoint(step);
        lastCkpt = performance.now();
      }
    }
    const done = step - 1;
    if (done >= 0) {
      await checkpoint(done);
      // The base as it ships: weights only (runs/<name>/base, copied to data/base).
      await saveBase(`${paths.dir}/base`, {
        model,
        config: cfg,
        vocabHash: vocab.hash,
        step: done,
      });
    }
    // ── final eval (unless the last step just ran it) and summary ──
    const lastStepEvaluated = last !== undefined && done === cfg.pretrainSteps - 1;
    const final = lastStepEvaluated ? last! : await runEval(true);
    if (!lastStepEvaluated && done >= 0) {
      await appendMetrics(paths.metrics, { step: done, ...evalMetrics(final) });
    }
    const summary: PretrainSummary = {
      name: cfg.name,
      steps: step,
      tokens,
      minutes: (performance.now() - started) / 60_000,
      bank: { programs: count(bank), heldOut: count(held), buildS },
      accuracy: perSet(final, (r) => r.accuracy),
      counts: perSet(final, (r) => r.counts),
      baselines: perSet(final, (r) => r.baselines),
      listLength: perSet(final, (r) => r.listLength),
      bySize: accuracyBySize(final.generator),
      bySizeTrain: accuracyBySize(final.train),
    };
    await writeAtomic(paths.evalFinal, JSON.stringify({ step, ...final }, null, 2) + "\n");
    await writeAtomic(paths.summary, JSON.stringify(summary, null, 2) + "\n");
    // From the files just written (also after a stop: the loop ends, the final eval runs).
    log(`report: ${await writeRunReport(paths.dir)}`);
    return summary;
  } finally {
    await executor.close();
    policy.dispose();
  }

  async function checkpoint(atStep: number): Promise<void> {
    await saveTrainer(paths.checkpoints, {
      model,
      optimizer,
      config: cfg,
      vocabHash: vocab.hash,
      step: atStep,
      rng,
      elapsedS: (performance.now() - started) / 1000,
    });
  }
  /**
   * Greedy eval of every set; chance levels only in the final one, and the enumerative search
   * (about a second per task) only on the held-out set and the suites, where it is the reference.
   */
  async function runEval(final: boolean): Promise<EvalReports> {
    const one = (set: EvalSet) =>
      evaluateSuites(policy, executor, evalSets[set], {
        ...cfg,
        greedy: true,
        limit: cfg.evalLimit,
        seed: cfg.seed,
        searchEvals: final && set !== "train" ? cfg.searchMaxEvals : 0,
        baselines: final,
      });
    return {
      generator: await one("generator"),
      train: await one("train"),
      suite: await one("suite"),
    };
  }
}

/** One field of each set's report. */
function perSet<T>(r: EvalReports, f: (r: EvalReport) => T): Record<EvalSet, T> {
  return { generator: f(r.generator), train: f(r.train), suite: f(r.suite) };
}

/** `acc/<set>/<type>`, `acc/<set>/list_length` and generator accuracy by size. */
function evalMetrics(r: EvalReports): Record<string, number> {
  const m: Record<string, number> = {};
  for (const set of EVAL_SETS) {
    for (const [type, a] of Object.entries(r[set].accuracy)) m[`acc/${set}/${type}`] = a;
    const ll = r[set].listLength;
    if (ll.n > 0) m[`acc/${set}/list_length`] = ll.k / ll.n;
  }
  for (const set of ["generator", "train"] as const) {
    for (const [type, bySize] of Object.entries(accuracyBySize(r[set]))) {
      for (const [size, a] of Object.entries(bySize)) m[`acc/${set}/${type}/size${size}`] = a;
    }
  }
  return m;
}

/** A generated set's accuracy per task type and program size (from the task ids). */
export function accuracyBySize(r: EvalReport): Record<string, Record<string, number>> {
  const acc: Record<string, Record<string, number[]>> = {};
  for (const o of r.outcomes) {
    const size = taskSize(o.id);
    if (size === undefined) continue;
    ((acc[o.task] ??= {})[size] ??= []).push(o.score);
  }
  return Object.fromEntries(
    Object.entries(acc).map(([t, bySize]) => [
      t,
      Object.fromEntries(
        Object.entries(bySize).map(([s, xs]) => [s, mean(xs)]),
      ),
    ]),
  );
}
