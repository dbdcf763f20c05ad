/**
 * The Absolute Zero self-play loop, top to bottom in one function (paper
 * Algorithm 1): propose → validate → learnability rollouts → solve → check →
 * rewards → TRR++ advantages → update → log → eval → checkpoint.
 *
 * Every stage is a plain function from lib/tasks, lib/reward and lib/model
 * that a notebook can call on its own; ablations are config values read where
 * they matter (`taskTypes`, `trainProposer`, `curriculum`, `refK`,
 * `learnability`, `estimator`).
 * @module
 */
import { type Config, TASK_TYPES, type TaskType } from "../config.ts";
import { worldVocab } from "../lang/vocab.ts";
import { splitBank } from "../lang/generate.ts";
import { signatureByName } from "../lang/types.ts";
import { initBackend } from "../model/backend.ts";
import type { AdamW } from "../model/optimizer.ts";
import type { Policy } from "../model/policy.ts";
import { TransformerPolicy } from "../model/policy.ts";
import {
  chanceLevel,
  computeAdvantages,
  proposerReward,
  type RewardRecord,
  rolloutSolveRate,
  type SolverOutcome,
  solverReward,
} from "../reward/mod.ts";
import { Rng } from "../rng.ts";
import { createSandbox, type Executor, sandboxOptionsFromConfig } from "../sandbox/mod.ts";
import { appendBufferFile, readBufferFile, TaskBuffer } from "../tasks/buffer.ts";
import {
  type Buffers,
  type Proposal,
  proposalKey,
  proposeTasks,
  type Rollout,
} from "../tasks/propose.ts";
import { randomProposals } from "../tasks/random.ts";
import { seedInduction, seedTriplets } from "../tasks/seed.ts";
import { type Attempt, checkAttempts, solveTasks } from "../tasks/solve.ts";
import { validateProposals, type Verdict } from "../tasks/validate.ts";
import type { TaskRecord } from "../tasks/records.ts";
import { formatKN } from "../eval/baselines.ts";
import { type EvalReport, evaluateSuites } from "../eval/evaluate.ts";
import { loadSuites } from "../eval/suite.ts";
import { restoreNewest, saveTrainer } from "./checkpoint.ts";
import { loadBase } from "./init.ts";
import { configBank } from "./bank_cache.ts";
import { crossEntropyStep, verifiedAnswerExample } from "./cross_entropy.ts";
import { appendJsonl } from "../jsonl.ts";
import { appendMetrics, mean, type Metrics } from "./metrics.ts";
import { writeRunReport } from "./run_report.ts";
import type { ProposalRow, RunSummary } from "./run_files.ts";
import {
  clearRun,
  type OpenMode,
  openRunDir,
  RunError,
  truncateJsonl,
  writeAtomic,
} from "./run_dir.ts";
import { policyUpdate, type UpdateStats } from "./update.ts";

/** Options and callbacks of {@linkcode train}; all optional. */
export interface TrainHooks {
  /**
   * Continue the run from its newest checkpoint that loads (a run without one starts over
   * with its saved config).
   */
  resume?: boolean;
  /** Continue the run from this checkpoint folder of it (implies `resume`). */
  from?: string;
  /** Replace an existing run of the same name instead of refusing to start. */
  overwrite?: boolean;
  /**
   * On resume, the config keys given explicitly (the command line's): only these override the
   * saved config. Default: every key of the config passed in.
   */
  explicitKeys?: readonly string[];
  /**
   * Stops the run after the current stage: a step not yet updated is dropped (a resumed run
   * redoes it), the last finished step is checkpointed, the report written, and `train`
   * rejects with {@linkcode RunStopped}.
   */
  signal?: AbortSignal;
  /** One-line messages (backend, seeding, eval). */
  log?: (line: string) => void;
  /** One-line warnings (a checkpoint skipped); default: stderr. */
  warn?: (line: string) => void;
  /**
   * Called once, before seeding, with the first step to run, the config the run uses (a
   * resumed run's saved one) and the wall-clock seconds it has used before.
   */
  onStart?: (step: number, run: { config: Config; elapsedS: number }) => void;
  /**
   * Called after each held-out eval with its metrics (`eval/acc/<task>`, and `chance/<task>` at
   * the seeding eval, before any update: the starting point and the chance levels).
   */
  onEval?: (step: number, metrics: Record<string, number>) => void;
  /** Called when a stage begins: `seeding`, `eval`, or a step's `propose` … `update`. */
  onStage?: (stage: string, step: number) => void;
  /** Called after every step with its metrics. */
  onStep?: (metrics: Metrics) => void;
}

/** How {@linkcode train} ends when its `signal` aborts: after the checkpoint and the report. */
export class RunStopped extends Error {
  override name = "RunStopped";
  constructor(
    /** Steps finished (the next run step is this one). */
    readonly step: number,
    /** The checkpoint to resume from, or undefined when no step finished. */
    readonly checkpoint: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The step seeding's proposals and buffer records carry (and the eval after seeding is logged
 * under): before step 0, so that a buffer's newest-first order and the logs keep them apart.
 */
const SEEDING_STEP = -1;
/** Rounds of proposals seeding makes at most: a proposer that rarely writes valid tasks gives up. */
const SEEDING_ROUNDS = 20;

/**
 * The `chance` learnability's c for a valid task: the share of the most common answer among the
 * buffered tasks whose answer has the same type — outputs of the same return type (deduction),
 * inputs of the same signature (abduction) — so a solver that guesses the majority answer scores
 * c. 0 for induction (a program is not guessed).
 */
function chanceOf(record: TaskRecord, buffers: Buffers): number {
  if (record.task === "induction") return 0;
  const returns = signatureByName(record.signature)?.returns;
  const peers = buffers[record.task].entries.flatMap((e) => {
    if (e.task === "induction") return [];
    if (record.task === "abduction") return e.signature === record.signature ? [e.input] : [];
    return signatureByName(e.signature)?.returns === returns ? [e.output] : [];
  });
  return chanceLevel(peers);
}

/**
 * Learnability rollouts (paper §3.2.1): `nRollouts` solver attempts at each valid task, checked
 * in the sandbox; returns each task's solve rate s̄ in [0, 1].
 */
async function learnabilityRollouts(
  policy: Policy,
  executor: Executor,
  records: readonly TaskRecord[],
  rng: Rng,
  cfg: Config,
): Promise<Map<TaskRecord, number>> {
  const rates = new Map<TaskRecord, number>();
  if (records.length === 0) return rates;
  const n = cfg.nRollouts;
  const repeated = records.flatMap((r) => Array.from({ length: n }, () => r));
  const attempts = await solveTasks(policy, repeated, rng, {
    ...cfg,
    temperature: cfg.solveTemperature,
    greedy: cfg.rolloutGreedy,
  });
  const outcomes = await checkAttempts(executor, attempts);
  records.forEach((r, i) => {
    rates.set(r, rolloutSolveRate(outcomes.slice(i * n, (i + 1) * n).map((o) => o === "correct")));
  });
  return rates;
}

/**
 * Each proposal's reward: −1 invalid (format or validation), else the configured learnability
 * of its solve rate (0 when no rollouts ran: the proposer is not trained).
 */
function proposerRewards(
  verdicts: readonly Verdict[],
  solveRates: ReadonlyMap<TaskRecord, number>,
  buffers: Buffers,
  cfg: Config,
): number[] {
  return verdicts.map((v) =>
    proposerReward(
      v.valid ? { valid: true, solveRate: solveRates.get(v.record) ?? 0 } : { valid: false },
      cfg.learnability,
      v.valid && cfg.learnability === "chance" ? chanceOf(v.record, buffers) : 0,
    )
  );
}

/** The step's `proposals.jsonl` rows; a proposal repeating an earlier one of the batch is flagged. */
function proposalRows(
  step: number,
  proposals: readonly Proposal[],
  verdicts: readonly Verdict[],
  solveRates: ReadonlyMap<TaskRecord, number>,
  rewards: readonly number[],
): ProposalRow[] {
  const seen = new Set<string>();
  return proposals.map((p, i) => {
    const v = verdicts[i]!;
    const rate = v.valid ? solveRates.get(v.record) : undefined;
    const key = proposalKey(p);
    const duplicate = seen.has(key);
    seen.add(key);
    return {
      step,
      task: p.task,
      valid: v.valid,
      ...(v.valid ? {} : { kind: v.kind }),
      programTokens: p.programTokens.length,
      ...(rate !== undefined ? { solveRate: rate } : {}),
      reward: rewards[i]!,
      program: v.valid ? v.record.program : "",
      ...(duplicate ? { duplicate: true } : {}),
    };
  });
}

/**
 * The solver's tasks: `batchSize` per task type from its buffer (this step's proposals first),
 * each prompt repeated G times under GRPO; `groups` names each task's prompt group.
 */
function solverTasks(
  buffers: Buffers,
  tasks: readonly TaskType[],
  rng: Rng,
  s: { batchSize: number; G: number; step: number },
): { records: TaskRecord[]; groups: string[] } {
  const records: TaskRecord[] = [];
  const groups: string[] = [];
  for (const task of tasks) {
    const picked = buffers[task].solverBatch(rng, Math.ceil(s.batchSize / s.G), s.step);
    for (let i = 0; i < s.batchSize; i++) {
      records.push(picked[Math.floor(i / s.G)]!);
      groups.push(`solve/${task}/${s.step}/${Math.floor(i / s.G)}`);
    }
  }
  return { records, groups };
}

/**
 * Not in the paper (config `solverCe`): a cross-entropy step on the executor-verified answers of
 * the step's solver tasks, weighted by `solverCe`; returns its loss.
 */
async function verifiedAnswersStep(
  policy: Policy,
  optimizer: AdamW,
  records: readonly TaskRecord[],
  cfg: Config,
): Promise<number> {
  const examples = [...new Set(records)].flatMap((r) => {
    const e = verifiedAnswerExample(r, cfg);
    return e ? [e] : [];
  });
  return (await crossEntropyStep(policy, optimizer, examples, { ...cfg, weight: cfg.solverCe }))
    .loss;
}

/** The step's learning metrics: the update's, then per task type rewards, accuracy, proposals. */
function stepMetrics(s: {
  tasks: readonly TaskType[];
  verdicts: readonly Verdict[];
  rows: readonly ProposalRow[];
  rewards: readonly RewardRecord[];
  attempts: readonly Attempt[];
  outcomes: readonly SolverOutcome[];
  buffers: Buffers;
  update: UpdateStats;
}): Record<string, number> {
  const { update: upd } = s;
  const m: Record<string, number> = {};
  m["loss/policy"] = upd.loss;
  m["loss/grad_norm"] = upd.gradNorm;
  if (Number.isFinite(upd.entropy)) m["policy/entropy"] = upd.entropy; // absent when the step was skipped
  m["update/skipped"] = upd.tokens > 0 && upd.gradNorm === 0 ? 1 : 0;
  m["policy/clip_frac"] = upd.clipFrac;
  m["valid_rate/all"] = m["sandbox/valid_rate"] = mean(s.verdicts.map((v) => (v.valid ? 1 : 0)));
  for (const task of s.tasks) {
    const rows = s.rows.filter((r) => r.task === task);
    const solveRewards = s.rewards.filter((r) => r.task === task && r.role === "solve");
    const outcomes = s.outcomes.filter((_, i) => s.attempts[i]!.record.task === task);
    const rates = rows.flatMap((r) => (r.solveRate !== undefined ? [r.solveRate] : []));
    m[`valid_rate/${task}`] = mean(rows.map((r) => (r.valid ? 1 : 0)));
    m[`reward/propose/${task}`] = mean(rows.map((r) => r.reward));
    m[`reward/solve/${task}`] = mean(solveRewards.map((r) => r.reward));
    m[`acc/solve/${task}`] = mean(outcomes.map((o) => (o === "correct" ? 1 : 0)));
    m[`learn/solve_rate/${task}`] = mean(rates);
    m[`learn/nonzero/${task}`] = mean(rates.map((r) => (r > 0 && r < 1 ? 1 : 0)));
    m[`propose/program_tokens/${task}`] = mean(rows.map((r) => r.programTokens));
    m[`propose/dup_rate/${task}`] = mean(rows.map((r) => (r.duplicate ? 1 : 0)));
    m[`buffer/size/${task}`] = s.buffers[task].size;
  }
  for (const row of s.rows) {
    if (!row.valid) m[`invalid/${row.kind}`] = (m[`invalid/${row.kind}`] ?? 0) + 1;
  }
  return m;
}

/** Runs self-play for `config.steps` steps (or `maxMinutes`); returns the run's summary. */
export async function train(config: Config, hooks: TrainHooks = {}): Promise<RunSummary> {
  const log = hooks.log ?? (() => {});
  const warn = hooks.warn ?? ((line: string) => console.error(line));
  const stopping = () => hooks.signal?.aborted === true;
  const resuming = hooks.resume === true || hooks.from !== undefined;
  if (resuming && hooks.overwrite) {
    throw new RunError("Pass either --resume (or --from) or --overwrite, not both");
  }
  const mode: OpenMode = resuming ? "resume" : hooks.overwrite ? "overwrite" : "new";
  let started = performance.now(); // moved back on resume by the time the run had already used

  // ── setup: run folder, backend, model, optimizer, sandbox, buffers ──────────
  const { cfg, paths } = await openRunDir(config, {
    mode,
    ...(hooks.explicitKeys ? { explicitKeys: hooks.explicitKeys } : {}),
  });
  // The run's own budget: a resumed run's saved maxMinutes unless given again.
  const timeUp = () => cfg.maxMinutes > 0 && performance.now() - started > cfg.maxMinutes * 60_000;
  const backend = await initBackend(cfg.backend, { log: false });
  log(`backend: ${backend.name} (${backend.reason})`);
  const vocab = worldVocab(cfg);
  const policy = TransformerPolicy.fromConfig(cfg, vocab.size);
  const { model, optimizer } = policy;
  // Before the sandbox starts: a bad suites path is an error with nothing to close.
  const suites = Object.values(loadSuites(cfg.evalSuites, cfg));
  const executor = await createSandbox(sandboxOptionsFromConfig(cfg));
  const buffers: Buffers = {
    deduction: new TaskBuffer("deduction"),
    abduction: new TaskBuffer("abduction"),
    induction: new TaskBuffer("induction"),
  };
  const tasks = TASK_TYPES.filter((t) => cfg.taskTypes.includes(t));
  let rng = new Rng(cfg.seed);
  let step = 0;
  // GRPO's baseline is per prompt: each prompt is sampled G = nRollouts times (batch size kept).
  const G = cfg.estimator === "grpo" ? Math.min(cfg.nRollouts, cfg.batchSize) : 1;
  // Where tasks come from: the policy, or the canonical generator (an ablation): its train
  // split, so the held-out behaviours stay out.
  const bank = cfg.curriculum === "random"
    ? splitBank((await configBank(cfg)).bank, "train", cfg.pretrainHeldOut)
    : undefined;
  const propose = async (task: TaskType, atStep: number): Promise<Proposal[]> =>
    bank
      ? randomProposals(task, buffers, rng, bank, { ...cfg, n: cfg.batchSize })
      : await proposeTasks(policy, task, buffers, rng, {
        ...cfg,
        temperature: cfg.proposeTemperature,
        groupSize: G,
      }, atStep);

  // The newest checkpoint of this run; the checkpointMinutes cadence counts from its time.
  let lastCheckpoint: { step: number; at: number; path?: string } = {
    step: -1,
    at: performance.now(),
  };
  let rngAtStepStart = rng.state(); // a step dropped by a stop is redone from this state
  let dropped = false; // a stop came before the current step's update

  try {
    // ── resume: weights, optimizer, RNG, and every log cut back to the checkpoint ──
    const restored = resuming
      ? await restoreNewest(paths.checkpoints, { model, optimizer, vocabHash: vocab.hash }, {
        ...(hooks.from !== undefined ? { from: hooks.from } : {}),
        warn,
      })
      : undefined;
    if (resuming && !restored) {
      log(`no checkpoint in ${paths.checkpoints}: starting '${cfg.name}' over from step 0`);
      await clearRun(paths, { keepConfig: true });
      await Deno.mkdir(paths.buffers, { recursive: true });
      await Deno.mkdir(paths.checkpoints, { recursive: true });
    }
    if (restored) {
      rng = Rng.fromState(restored.rngState);
      lastCheckpoint = { step: restored.step, at: performance.now(), path: restored.path };
      step = restored.step + 1;
      started -= restored.elapsedS * 1000;
      for (const path of [paths.metrics, paths.proposals, ...TASK_TYPES.map(paths.buffer)]) {
        await truncateJsonl(path, restored.step);
      }
      for (const t of TASK_TYPES) {
        buffers[t].add(await readBufferFile(paths.buffer(t), t, restored.step));
      }
      log(`resumed '${cfg.name}' after step ${restored.step} from ${restored.path}`);
    }
    hooks.onStart?.(step, { config: cfg, elapsedS: (performance.now() - started) / 1000 });
    if (!restored && cfg.init !== "scratch") {
      // ── init: a base model's weights (config `init`), in this world and at these sizes ──
      const base = await loadBase(cfg.init, { model, cfg, vocabHash: vocab.hash });
      log(`initial weights: ${base.path} (pre-trained for ${base.step + 1} steps)`);
    }
    if (!restored) {
      // ── seed: the identity program, then proposals without updates (paper: batch × 4) ──
      const seeds: TaskRecord[][] = [
        seedTriplets("deduction"),
        seedTriplets("abduction"),
        seedInduction(),
      ];
      TASK_TYPES.forEach((t, i) => buffers[t].add(seeds[i]!));
      for (const t of TASK_TYPES) await appendBufferFile(paths.buffer(t), buffers[t].entries);
      const target = cfg.batchSize * cfg.seedingFactor;
      hooks.onStage?.("seeding", step);
      for (
        let round = 0;
        round < SEEDING_ROUNDS && tasks.some((t) => buffers[t].size < target);
        round++
      ) {
        for (const t of tasks) {
          if (buffers[t].size >= target || stopping()) continue;
          const proposals = await propose(t, SEEDING_STEP);
          const verdicts = await validateProposals(executor, proposals, SEEDING_STEP, cfg);
          const valid = verdicts.flatMap((v) => (v.valid ? [v.record] : []));
          buffers[t].add(valid);
          await appendBufferFile(paths.buffer(t), valid);
        }
      }
      log(`seeded buffers: ${tasks.map((t) => `${t} ${buffers[t].size}`).join(", ")}`);
      if (cfg.evalEvery > 0 && !stopping()) {
        hooks.onStage?.("eval", step);
        await logEval(SEEDING_STEP);
      }
    }

    /** Announces a stage of the current step; true when a stop drops the step (before its update). */
    const enter = (stage: string): boolean => {
      if (stopping()) return (dropped = true);
      hooks.onStage?.(stage, step);
      return false;
    };
    while (step < cfg.steps && !timeUp() && !stopping()) {
      rngAtStepStart = rng.state();
      const t0 = performance.now();
      const m: Metrics = { step };
      const timer = (
        stage: string,
        since: number,
      ) => (m[`perf/${stage}_s`] = (performance.now() - since) / 1000);
      const rollouts: Rollout[] = []; // proposer's, then solver's: one PPO batch
      const rewards: RewardRecord[] = []; // one per rollout, same order

      // ── 1. propose: each task type's proposer writes batchSize tasks ──────────
      if (enter("propose")) break;
      let t = performance.now();
      const all: Proposal[] = [];
      for (const task of tasks) all.push(...await propose(task, step));
      timer("propose", t);

      // ── 2. validate in the sandbox: runs, typed, in bounds, deterministic ───────
      if (enter("validate")) break;
      t = performance.now();
      const verdicts = await validateProposals(executor, all, step, cfg);
      timer("validate", t);

      // ── 3. learnability: n solver rollouts per valid proposal → proposer reward ──
      if (enter("rollouts")) break;
      t = performance.now();
      const trainProposer = cfg.trainProposer && cfg.curriculum === "policy";
      const valid = verdicts.flatMap((v) => (v.valid ? [v.record] : []));
      const solveRates = trainProposer
        ? await learnabilityRollouts(policy, executor, valid, rng, cfg)
        : new Map<TaskRecord, number>();
      timer("rollouts", t);
      // Before this step's tasks join the buffers: the chance level counts the older ones.
      const proposeRewards = proposerRewards(verdicts, solveRates, buffers, cfg);
      all.forEach((p, i) => {
        if (!p.rollout || !trainProposer) return;
        rollouts.push(p.rollout);
        rewards.push({
          role: "propose",
          task: p.task,
          reward: proposeRewards[i]!,
          group: p.rollout.group,
        });
      });
      const rows = proposalRows(step, all, verdicts, solveRates, proposeRewards);
      for (const task of tasks) {
        const added = valid.filter((r) => r.task === task);
        buffers[task].add(added);
        await appendBufferFile(paths.buffer(task), added);
      }

      // ── 4. solve: batchSize tasks per type from the buffers (newest first) ──────
      if (enter("solve")) break;
      t = performance.now();
      const solver = solverTasks(buffers, tasks, rng, { batchSize: cfg.batchSize, G, step });
      const attempts = await solveTasks(policy, solver.records, rng, {
        ...cfg,
        temperature: cfg.solveTemperature,
      }, solver.groups);
      timer("solve", t);

      // ── 5. check answers in the sandbox → solver reward ─────────────────────────
      if (enter("check")) break;
      t = performance.now();
      const outcomes = await checkAttempts(executor, attempts);
      attempts.forEach((a, i) => {
        rollouts.push(a.rollout);
        const reward = solverReward(outcomes[i]!);
        rewards.push({ role: "solve", task: a.record.task, reward, group: a.rollout.group });
      });
      timer("check", t);

      // ── 6. advantages: TRR++ (6 baselines), REINFORCE++ (1) or GRPO (per prompt) ──
      const advantages = computeAdvantages(rewards, {
        estimator: cfg.estimator,
        eps: cfg.advantageEps,
      });

      // ── 7. update: one PPO-clip step on proposer and solver rollouts together ───
      if (enter("update")) break;
      t = performance.now();
      const update = await policyUpdate(policy, optimizer, rollouts, advantages, cfg);
      if (cfg.solverCe > 0) {
        m["loss/solver_ce"] = await verifiedAnswersStep(policy, optimizer, solver.records, cfg);
      }
      timer("update", t);

      // ── 8. log: flat namespaced metrics, proposals, report ──────────────────────
      m["perf/step_s"] = (performance.now() - t0) / 1000;
      m["perf/tokens_per_s"] = rollouts.reduce((s, r) => s + r.completion.length, 0) /
        m["perf/step_s"];
      Object.assign(
        m,
        stepMetrics({ tasks, verdicts, rows, rewards, attempts, outcomes, buffers, update }),
      );

      // ── 9. eval: held-out suites every evalEvery steps ──────────────────────────
      // Also when stopping: the step is finished whole, so a resumed run logs what an
      // uninterrupted one would.
      if (cfg.evalEvery > 0 && (step + 1) % cfg.evalEvery === 0) {
        hooks.onStage?.("eval", step);
        Object.assign(m, await evalMetrics(step));
      }

      await appendMetrics(paths.metrics, m);
      await appendJsonl(paths.proposals, rows);
      hooks.onStep?.(m);

      // ── 10. checkpoint: weights, optimizer, RNG (atomic) ────────────────────────
      // Also every checkpointMinutes, and the last step, whether the run ends on its step
      // count, its time budget or a stop.
      const minutesDue = cfg.checkpointMinutes > 0 &&
        performance.now() - lastCheckpoint.at >= cfg.checkpointMinutes * 60_000;
      if (
        (step + 1) % cfg.checkpointEvery === 0 || step + 1 === cfg.steps || timeUp() ||
        minutesDue || stopping()
      ) {
        await checkpoint(step);
      }
      step++;
    }

    // ── stopped (signal): checkpoint the last finished step, report, no final eval ──────
    if (stopping()) {
      // A dropped step is redone on resume from the RNG state it started with.
      if (step - 1 > lastCheckpoint.step) await checkpoint(step - 1, Rng.fromState(rngAtStepStart));
      await writeReport();
      const ckpt = lastCheckpoint.step >= 0 ? lastCheckpoint.path : undefined;
      throw new RunStopped(
        step,
        ckpt,
        `Stopped${dropped ? ` during step ${step + 1}` : ""} after ${step} of ${cfg.steps} steps${
          ckpt ? `; checkpoint ${ckpt}` : " (no step finished: no checkpoint)"
        }; report ${paths.report}; --name ${cfg.name} --resume continues it`,
      );
    }

    // ── end: final eval, summary.json, report.html ──────────────────────────────────
    const final = await runEval();
    const seconds = (performance.now() - started) / 1000;
    const summary: RunSummary = {
      name: cfg.name,
      step,
      seconds,
      stepsPerS: step / seconds,
      eval: final.accuracy,
      evalSearch: final.searchAccuracy,
    };
    // Task by task first: a run with summary.json is finished, so everything else is written before it.
    await writeAtomic(paths.evalFinal, JSON.stringify({ step, ...final }, null, 2) + "\n");
    await writeAtomic(paths.summary, JSON.stringify(summary, null, 2) + "\n");
    await writeReport();
    return summary;
  } finally {
    await executor.close();
    policy.dispose();
  }

  async function checkpoint(atStep: number, atRng: Rng = rng): Promise<void> {
    const elapsedS = (performance.now() - started) / 1000;
    const path = await saveTrainer(paths.checkpoints, {
      model,
      optimizer,
      config: cfg,
      vocabHash: vocab.hash,
      step: atStep,
      rng: atRng,
      elapsedS,
    });
    lastCheckpoint = { step: atStep, at: performance.now(), path };
  }
  // The search and the chance levels do not change during training: final eval only.
  async function runEval(final = true, chance = final): Promise<EvalReport> {
    return await evaluateSuites(policy, executor, suites, {
      ...cfg,
      greedy: cfg.evalGreedy,
      limit: cfg.evalLimit,
      seed: cfg.seed,
      searchEvals: final ? cfg.searchMaxEvals : 0,
      baselines: chance,
    });
  }
  /**
   * Held-out accuracy as `eval/acc/<task>`; with `chance`, also each task type's best trivial
   * baseline on the same tasks as `chance/<task>` (the seeding eval: they never change).
   */
  async function evalMetrics(atStep: number, chance = false): Promise<Record<string, number>> {
    const r = await runEval(false, chance);
    // k/n (p%): how many tasks the accuracy is of (evalLimit per type and suite).
    log(
      `eval after ${atStep + 1} steps: ${
        Object.entries(r.counts).map(([k, c]) => `${k} ${formatKN(c.k, c.n)}`).join(", ")
      }`,
    );
    const m: Record<string, number> = Object.fromEntries(
      Object.entries(r.accuracy).map(([k, v]) => [`eval/acc/${k}`, v]),
    );
    if (chance) {
      for (const [task, scores] of Object.entries(r.baselines)) {
        const trivial = scores.filter((b) => !b.name.startsWith("search") && b.n > 0);
        if (trivial.length) m[`chance/${task}`] = Math.max(...trivial.map((b) => b.k / b.n));
      }
    }
    hooks.onEval?.(atStep, m);
    return m;
  }
  async function logEval(atStep: number): Promise<void> {
    await appendMetrics(paths.metrics, { step: atStep, ...(await evalMetrics(atStep, true)) });
  }
  async function writeReport(): Promise<void> {
    // From the run folder's files: metrics, proposals and (a finished run) eval.json.
    await writeRunReport(paths.dir);
  }
}
