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
import { signatureByName, type ValueBounds } from "../lang/types.ts";
import { constantOnProbes } from "../tasks/constant.ts";
import { type Policy, TransformerPolicy } from "../model/policy.ts";
import {
  chanceLevel,
  computeAdvantages,
  proposerReward,
  type RewardRecord,
  rolloutSolveRate,
  shuffleRewards,
  type SolverOutcome,
  solverReward,
} from "../reward/mod.ts";
import { Rng } from "../rng.ts";
import type { Executor } from "../sandbox/mod.ts";
import { appendBufferFile, readBufferFile, TaskBuffer } from "../tasks/buffer.ts";
import {
  type Buffers,
  type Proposal,
  proposalKey,
  proposeTasks,
  type Rollout,
} from "../tasks/propose.ts";
import { randomProposals, withNaturalInputs } from "../tasks/random.ts";
import { bufferSeeds, type SeedRecords } from "../tasks/seed.ts";
import { type Attempt, checkAttempts, solveTasks } from "../tasks/solve.ts";
import { validateProposals, type Verdict } from "../tasks/validate.ts";
import type { TaskRecord } from "../tasks/records.ts";
import { formatKN } from "../eval/baselines.ts";
import { type EvalReport, evaluateSuites } from "../eval/evaluate.ts";
import { type EvalSuite, loadSuites } from "../eval/suite.ts";
import { generatorSet } from "../eval/generator_suite.ts";
import { beyondSet } from "../eval/beyond.ts";
import { type BankSplit, configSplit } from "../eval/bank_split.ts";
import { evalSetMetrics, type EvalSetName } from "../eval/eval_sets.ts";
import { loadBase } from "./init.ts";
import { configBank } from "./bank_cache.ts";
import { crossEntropyStep, verifiedAnswerExample } from "./cross_entropy.ts";
import { makeBatch } from "./pretrain_data.ts";
import { appendJsonl } from "../jsonl.ts";
import { appendMetrics, mean, type Metrics } from "./metrics.ts";
import {
  EvalStartSchema,
  type ProposalRow,
  readRunJson,
  type RunPaths,
  type RunSummary,
} from "./run_files.ts";
import { writeAtomic } from "./run_dir.ts";
import { formatDiffPoints, pairedByTaskType } from "../eval/paired.ts";
import type { TaskOutcome } from "../eval/evaluate.ts";
import { type RunOptions, TrainingRun } from "./training_run.ts";
import { policyUpdate, referenceLogprobs, type UpdateStats } from "./update.ts";

export { RunStopped } from "./training_run.ts";

/** Options and callbacks of {@linkcode train}: the run's ({@linkcode RunOptions}), then the loop's. */
export interface TrainHooks extends RunOptions {
  /**
   * Called after each held-out eval with its metrics (`eval/<set>/<task>`, and `chance/<set>/<task>` at
   * the seeding eval, before any update: the starting point and the chance levels).
   */
  onEval?: (step: number, metrics: Record<string, number>) => void;
  /** Called when a stage begins: `seeding`, `eval`, or a step's `propose` … `update`. */
  onStage?: (stage: string, step: number) => void;
  /** Called after every step with its metrics. */
  onStep?: (metrics: Metrics) => void;
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

/** A step's learnability rollouts: each task's solve rate, and the attempts with their outcomes. */
interface LearnabilityRollouts {
  rates: Map<TaskRecord, number>;
  /** `nRollouts` per task, task by task; their group is the task's (`solve/<task>/<step>/<i>`). */
  attempts: Attempt[];
  outcomes: SolverOutcome[];
}

/**
 * Learnability rollouts (paper §3.2.1): `nRollouts` solver attempts at each valid task, checked
 * in the sandbox; each task's solve rate s̄ in [0, 1]. The attempts are kept: under
 * `solveOnRollouts` they are the solver's samples, one group per task.
 */
async function learnabilityRollouts(
  policy: Policy,
  executor: Executor,
  records: readonly TaskRecord[],
  rng: Rng,
  cfg: Config,
  step: number,
): Promise<LearnabilityRollouts> {
  const rates = new Map<TaskRecord, number>();
  if (records.length === 0) return { rates, attempts: [], outcomes: [] };
  const n = cfg.nRollouts;
  const repeated = records.flatMap((r) => Array.from({ length: n }, () => r));
  const groups = records.flatMap((r, i) =>
    Array.from({ length: n }, () => `solve/${r.task}/${step}/${i}`)
  );
  const attempts = await solveTasks(policy, repeated, rng, {
    ...cfg,
    temperature: cfg.solveTemperature,
    greedy: cfg.rolloutGreedy,
  }, groups);
  const outcomes = await checkAttempts(executor, attempts);
  records.forEach((r, i) => {
    rates.set(r, rolloutSolveRate(outcomes.slice(i * n, (i + 1) * n).map((o) => o === "correct")));
  });
  return { rates, attempts, outcomes };
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
 * The learning rate of self-play step `step` (0-based): `lr`, or with `lrWarmup` (not in the paper)
 * a linear rise to it, lr·(step + 1)/lrWarmup over the first lrWarmup steps. Set before each
 * step's updates (the RL step, and the solverCe and replay steps after it), so a resumed run gets
 * the same rate at the same step.
 */
export function selfPlayLr(cfg: Pick<Config, "lr" | "lrWarmup">, step: number): number {
  return cfg.lrWarmup > 0 ? cfg.lr * Math.min(1, (step + 1) / cfg.lrWarmup) : cfg.lr;
}

/**
 * Not in the paper (config `solverCe`): a cross-entropy step on the executor-verified answers of
 * the step's solver tasks, weighted by `solverCe`; returns its loss.
 */
async function verifiedAnswersStep(
  policy: TransformerPolicy,
  records: readonly TaskRecord[],
  cfg: Config,
): Promise<number> {
  const examples = [...new Set(records)].flatMap((r) => {
    const e = verifiedAnswerExample(r, cfg);
    return e ? [e] : [];
  });
  return (await crossEntropyStep(policy, policy.optimizer, examples, {
    ...cfg,
    microBatchTokens: cfg.ceMicroBatchTokens,
    weight: cfg.solverCe,
  }))
    .loss;
}

/**
 * Not in the paper (config `replayBatch`): a step that replays `replayBatch` generator tasks from
 * the bank's train split in pre-training's views and weights (cross-entropy, weight
 * `replayWeight`), as pre-training mixed into RL keeps a base's skills; undefined when off.
 * Returns the step's loss per target token.
 */
async function replaySource(
  run: TrainingRun,
  split: () => Promise<BankSplit>,
): Promise<(() => Promise<number>) | undefined> {
  const { cfg, policy, rng } = run;
  if (cfg.replayBatch === 0) return undefined;
  const { train } = await split();
  return async () => {
    const batch = makeBatch(rng, train, cfg.pretrainViews, cfg.replayBatch, cfg);
    const ce = await crossEntropyStep(policy, policy.optimizer, batch, {
      ...cfg,
      microBatchTokens: cfg.ceMicroBatchTokens,
      weight: cfg.replayWeight,
    });
    return ce.loss;
  };
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
  bounds: ValueBounds;
}): Record<string, number> {
  const { update: upd } = s;
  const m: Record<string, number> = {};
  m["loss/policy"] = upd.loss;
  m["loss/grad_norm"] = upd.gradNorm;
  if (upd.kl !== undefined) m["policy/kl_ref"] = upd.kl;
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
    m[`solve/tasks/${task}`] = outcomes.length; // the solver's rollouts of this type this step
    m[`learn/solve_rate/${task}`] = mean(rates);
    m[`learn/nonzero/${task}`] = mean(rates.map((r) => (r > 0 && r < 1 ? 1 : 0)));
    m[`propose/program_tokens/${task}`] = mean(rows.map((r) => r.programTokens));
    m[`propose/dup_rate/${task}`] = mean(rows.map((r) => (r.duplicate ? 1 : 0)));
    if (task !== "induction") {
      // Valid programs that ignore their input (one output on the gate's probes): abduction is
      // free on them, and a proposer that drifts there is collapsing.
      const constant = s.verdicts.flatMap((v) =>
        v.valid && v.record.task === task
          ? [constantOnProbes(v.record.tokens, signatureByName(v.record.signature)!, s.bounds)]
          : []
      ).filter((c) => c !== undefined);
      if (constant.length) m[`propose/constant/${task}`] = mean(constant.map((c) => (c ? 1 : 0)));
    }
    m[`buffer/size/${task}`] = s.buffers[task].size;
  }
  for (const row of s.rows) {
    if (!row.valid) m[`invalid/${row.kind}`] = (m[`invalid/${row.kind}`] ?? 0) + 1;
  }
  return m;
}

/** Empty task buffers, one per task type. */
function emptyBuffers(): Buffers {
  return {
    deduction: new TaskBuffer("deduction"),
    abduction: new TaskBuffer("abduction"),
    induction: new TaskBuffer("induction"),
  };
}

/** Proposes `batchSize` tasks of a type for a step. */
type Propose = (task: TaskType, atStep: number) => Promise<Proposal[]>;

/**
 * Where tasks come from: the policy (G samples per prompt under GRPO), or the canonical
 * generator (config `curriculum: random`, an ablation): its train split, so the held-out
 * behaviours stay out.
 */
async function taskSource(
  run: TrainingRun,
  buffers: Buffers,
  G: number,
  split: () => Promise<BankSplit>,
): Promise<Propose> {
  const { cfg, policy, rng } = run;
  if (cfg.curriculum === "random") {
    const bank = (await split()).train;
    return (task) =>
      Promise.resolve(randomProposals(task, buffers, rng, bank, { ...cfg, n: cfg.batchSize }));
  }
  const propose: Propose = (task, atStep) =>
    proposeTasks(policy, task, buffers, rng, {
      ...cfg,
      temperature: cfg.proposeTemperature,
      groupSize: G,
    }, atStep);
  if (cfg.proposalInputs === "policy") return propose;
  // Not in the paper: the proposer's programs on inputs the environment draws.
  const world = (await split()).train.world;
  return async (task, atStep) => withNaturalInputs(await propose(task, atStep), rng, world);
}

/**
 * Self-play's held-out eval of the suites (the first `evalLimit` tasks per type and suite; a
 * generator set is scored whole); the search and the chance levels only when asked.
 */
async function suiteEval(
  run: TrainingRun,
  suites: readonly EvalSuite[],
  o: { search: boolean; chance: boolean; whole?: boolean },
): Promise<EvalReport> {
  const { cfg } = run;
  return await evaluateSuites(run.policy, run.executor, suites, {
    ...cfg,
    greedy: cfg.evalGreedy,
    limit: o.whole ? 0 : cfg.evalLimit,
    seed: cfg.seed,
    searchEvals: o.search ? cfg.searchMaxEvals : 0,
    baselines: o.chance,
  });
}

/**
 * A held-out eval during training (the suites, and the generator's held-out set when
 * `evalGenerator` > 0), logged as k/n per task type, announced to the hooks, as metrics
 * (`eval/<set>/…`, and with `chance` the levels `chance/<set>/<task>`: ../eval/eval_sets.ts),
 * with the generator set's report task by task (what the end is paired with).
 */
async function heldOutMetrics(
  run: TrainingRun,
  sets: {
    suites: readonly EvalSuite[];
    generator: EvalSuite | undefined;
    beyond: EvalSuite | undefined;
  },
  hooks: TrainHooks,
  atStep: number,
  chance: boolean,
): Promise<{ metrics: Record<string, number>; generator: EvalReport | undefined }> {
  hooks.onStage?.("eval", Math.max(0, atStep));
  const m: Record<string, number> = {};
  let generator: EvalReport | undefined;
  const evals: [EvalSetName, readonly EvalSuite[]][] = [["suite", sets.suites]];
  if (sets.generator) evals.push(["generator", [sets.generator]]);
  if (sets.beyond) evals.push(["beyond", [sets.beyond]]);
  for (const [set, suites] of evals) {
    const r = await suiteEval(run, suites, { search: false, chance, whole: set !== "suite" });
    // k/n (p%): how many tasks the accuracy is of (evalLimit per type and suite).
    hooks.log?.(
      `eval after ${atStep + 1} steps${SET_LABELS[set]}: ${
        Object.entries(r.counts).map(([k, c]) => `${k} ${formatKN(c.k, c.n)}`).join(", ")
      }`,
    );
    Object.assign(m, evalSetMetrics(set, r, { chance }));
    if (set === "generator") generator = r;
  }
  hooks.onEval?.(atStep, m);
  return { metrics: m, generator };
}

/** How the eval log line names each set. */
const SET_LABELS: Record<EvalSetName, string> = {
  suite: "",
  generator: " (generator held-out)",
  train: " (generator train split)",
  beyond: " (beyond the bank)",
};

/** The generator's held-out eval set of a self-play run (`evalGenerator` tasks per type). */
async function generatorEvalSet(
  cfg: Config,
  split: () => Promise<BankSplit>,
): Promise<EvalSuite | undefined> {
  if (cfg.evalGenerator === 0) return undefined;
  return generatorSet(await split(), "generator", cfg.evalGenerator, cfg);
}

/**
 * Not in the paper (config `klCoef`): the frozen reference of the KL penalty, the weights the run
 * started from (its `init`: a base, or the run's own seeded random init, rebuilt the same on
 * resume); undefined when off. The caller disposes it.
 */
async function referencePolicy(run: TrainingRun): Promise<TransformerPolicy | undefined> {
  const { cfg, vocab } = run;
  if (cfg.klCoef === 0) return undefined;
  const ref = TransformerPolicy.fromConfig(cfg, vocab.size);
  if (cfg.init !== "scratch") {
    await loadBase(cfg.init, { model: ref.model, cfg, vocabHash: vocab.hash });
  }
  return ref;
}

/**
 * Not in the paper (config `generatorTasks`): that many generator tasks per trained type from the
 * bank's train split, run in the sandbox (no gate: they are the generator's) and added to the
 * buffers at `step`, where the solver draws them beside the proposals. Returns the records added.
 */
async function generatorTasks(
  run: TrainingRun,
  buffers: Buffers,
  tasks: readonly TaskType[],
  split: () => Promise<BankSplit>,
  step: number,
): Promise<TaskRecord[]> {
  const { cfg, rng, executor, paths } = run;
  const bank = (await split()).train;
  const out: TaskRecord[] = [];
  for (const task of tasks) {
    const drawn = randomProposals(task, buffers, rng, bank, { ...cfg, n: cfg.generatorTasks });
    const verdicts = await validateProposals(executor, drawn, step, {
      ...cfg,
      rejectConstant: false,
      minProposalSize: 0,
      maxProposalSize: 0,
    });
    const valid = verdicts.flatMap((v) => (v.valid ? [v.record] : []));
    buffers[task].add(valid);
    await appendBufferFile(paths.buffer(task), valid);
    out.push(...valid);
  }
  return out;
}

/** A record's task, program and inputs as one string (which solver tasks are seeds). */
function recordKey(r: TaskRecord): string {
  return `${r.task}|${proposalKey(r)}`;
}

/**
 * Seeding (paper: batch × 4): the identity program in every buffer (or generator tasks:
 * {@linkcode bufferSeeds}), then rounds of proposals without updates until each trained task
 * type's buffer holds `batchSize × seedingFactor`.
 */
async function seedBuffers(
  run: TrainingRun,
  buffers: Buffers,
  tasks: readonly TaskType[],
  propose: Propose,
  seeds: SeedRecords,
  hooks: TrainHooks,
): Promise<void> {
  const { cfg, paths } = run;
  hooks.onStage?.("seeding", 0);
  for (const t of TASK_TYPES) buffers[t].add(seeds[t]);
  for (const t of TASK_TYPES) await appendBufferFile(paths.buffer(t), buffers[t].entries);
  const target = cfg.batchSize * cfg.seedingFactor;
  for (
    let round = 0;
    round < SEEDING_ROUNDS && tasks.some((t) => buffers[t].size < target);
    round++
  ) {
    for (const t of tasks) {
      if (buffers[t].size >= target || run.stopping) continue;
      const proposals = await propose(t, SEEDING_STEP);
      const verdicts = await validateProposals(run.executor, proposals, SEEDING_STEP, cfg);
      const valid = verdicts.flatMap((v) => (v.valid ? [v.record] : []));
      buffers[t].add(valid);
      await appendBufferFile(paths.buffer(t), valid);
    }
  }
  hooks.log?.(`seeded buffers: ${tasks.map((t) => `${t} ${buffers[t].size}`).join(", ")}`);
}

/** Each task type's proposals in turn (one RNG, so the order is fixed). */
async function proposeEach(
  propose: Propose,
  tasks: readonly TaskType[],
  step: number,
): Promise<Proposal[]> {
  const out: Proposal[] = [];
  for (const task of tasks) out.push(...await propose(task, step));
  return out;
}

/** A run's buffers as its checkpoint after `step` left them. */
async function restoreBuffers(paths: RunPaths, buffers: Buffers, step: number): Promise<void> {
  for (const t of TASK_TYPES) buffers[t].add(await readBufferFile(paths.buffer(t), t, step));
}

/**
 * The stage timer of a step's metrics: runs a stage and records its wall-clock seconds as
 * `perf/<stage>_s`.
 */
function stageTimer(m: Metrics) {
  return async <T>(stage: string, f: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const out = await f();
    m[`perf/${stage}_s`] = (performance.now() - t) / 1000;
    return out;
  };
}

/** What `summary.json` holds of a finished self-play run. */
function runSummary(
  name: string,
  step: number,
  seconds: number,
  final: EvalReport,
  generator: EvalReport | undefined,
  beyond: EvalReport | undefined,
): RunSummary {
  return {
    name,
    step,
    seconds,
    stepsPerS: step / seconds,
    eval: final.accuracy,
    evalSearch: final.searchAccuracy,
    ...(generator ? { evalGenerator: generator.accuracy } : {}),
    ...(beyond ? { evalBeyond: beyond.accuracy } : {}),
  };
}

/** A generator set's part of eval.json (held-out, or beyond the bank): its tables and outcomes. */
function setTables(r: EvalReport) {
  const { accuracy, counts, baselines, listLength, outcomes } = r;
  return { accuracy, counts, baselines, listLength, outcomes };
}

/** Runs self-play for `config.steps` steps (or `maxMinutes`); returns the run's summary. */
export async function train(config: Config, hooks: TrainHooks = {}): Promise<RunSummary> {
  // ── open or resume the run: folder, backend, policy, sandbox, budget, checkpoints ──
  await using run = await TrainingRun.open(config, hooks, {
    steps: (c) => c.steps,
    logs: (p) => [p.proposals, ...TASK_TYPES.map(p.buffer)],
  });
  const { cfg, paths, policy, executor, rng } = run;
  const suites = Object.values(loadSuites(cfg.evalSuites, cfg));
  // The generator bank and its split (read and split once, only if a part of the run needs it).
  let bankOnce: ReturnType<typeof configBank> | undefined;
  const bank = () => bankOnce ??= configBank(cfg);
  let splitOnce: Promise<BankSplit> | undefined;
  const split = () => splitOnce ??= bank().then(({ bank }) => configSplit(bank, cfg));
  const generator = await generatorEvalSet(cfg, split);
  const beyond = cfg.evalBeyond > 0
    ? beyondSet((await bank()).bank, cfg.evalBeyond, cfg)
    : undefined;
  const buffers = emptyBuffers();
  const tasks = TASK_TYPES.filter((t) => cfg.taskTypes.includes(t));
  // GRPO's baseline is per prompt: each prompt is sampled G = nRollouts times (batch size kept).
  // The solver's tasks per type a step (solverBatch, not in the paper; 0: batchSize, as the paper).
  const solveBatch = cfg.solverBatch || cfg.batchSize;
  const G = cfg.estimator === "grpo" ? Math.min(cfg.nRollouts, solveBatch) : 1;
  const propose = await taskSource(run, buffers, G, split);
  const replay = await replaySource(run, split);
  using reference = disposing(await referencePolicy(run));
  const heldOut = (atStep: number, chance: boolean) =>
    heldOutMetrics(run, { suites, generator, beyond }, hooks, atStep, chance);
  const seeds = await bufferSeeds(cfg, async () => (await split()).train);
  const seedKeys = new Set(TASK_TYPES.flatMap((t) => seeds[t].map(recordKey)));
  const generatorKeys = new Set<string>();
  let step = run.begin();

  // ── buffers: the checkpoint's, or a base's weights, seeding and the starting eval ──
  if (run.restored) await restoreBuffers(paths, buffers, run.restored.step);
  else {
    await run.initWeights(cfg.init);
    await seedBuffers(run, buffers, tasks, propose, seeds, hooks);
    if (cfg.evalEvery > 0 && !run.stopping) {
      const start = await heldOut(SEEDING_STEP, true);
      await appendMetrics(paths.metrics, { step: SEEDING_STEP, ...start.metrics });
      // The start's held-out tasks one by one, for the end's paired difference (a resumed run
      // reads them back).
      if (start.generator) {
        await writeAtomic(
          paths.evalStart,
          JSON.stringify({ generator: setTables(start.generator) }) + "\n",
        );
      }
    }
  }

  let rngAtStepStart = rng.state(); // a step dropped by a stop is redone from this state
  let dropped = false; // a stop came before the current step's update
  /** Announces a stage of the current step; true when a stop drops the step (before its update). */
  const enter = (stage: string): boolean => {
    if (run.stopping) return (dropped = true);
    hooks.onStage?.(stage, step);
    return false;
  };
  while (run.continues(step)) {
    rngAtStepStart = rng.state();
    const t0 = performance.now();
    const m: Metrics = { step };
    const timed = stageTimer(m);
    const rollouts: Rollout[] = []; // proposer's, then solver's: one PPO batch
    const rewards: RewardRecord[] = []; // one per rollout, same order

    // ── 1. propose: each task type's proposer writes batchSize tasks ──────────
    if (enter("propose")) break;
    const all = await timed("propose", () => proposeEach(propose, tasks, step));

    // ── 2. validate in the sandbox: runs, typed, in bounds, deterministic ───────
    if (enter("validate")) break;
    const verdicts = await timed("validate", () => validateProposals(executor, all, step, cfg));

    // ── 3. learnability: n solver rollouts per valid proposal → proposer reward ──
    if (enter("rollouts")) break;
    const trainProposer = cfg.trainProposer && cfg.curriculum === "policy";
    const valid = verdicts.flatMap((v) => (v.valid ? [v.record] : []));
    // No rollouts when the proposer is not trained, unless they are the solver's samples.
    const rated = trainProposer || cfg.solveOnRollouts ? valid : [];
    const learn = await timed(
      "rollouts",
      () => learnabilityRollouts(policy, executor, rated, rng, cfg, step),
    );
    const solveRates = learn.rates;
    // Before this step's tasks join the buffers: the chance level counts the older ones.
    const proposeRewards = proposerRewards(
      verdicts,
      trainProposer ? solveRates : new Map(),
      buffers,
      cfg,
    );
    all.forEach((p, i) => {
      if (!p.rollout || !trainProposer) return;
      rollouts.push(p.rollout);
      const reward = proposeRewards[i]!;
      rewards.push({ role: "propose", task: p.task, reward, group: p.rollout.group });
    });
    const rows = proposalRows(step, all, verdicts, solveRates, proposeRewards);
    for (const task of tasks) {
      const added = valid.filter((r) => r.task === task);
      buffers[task].add(added);
      await appendBufferFile(paths.buffer(task), added);
    }
    // Not in the paper (generatorTasks): the generator's tasks join the buffers beside them.
    if (cfg.generatorTasks > 0 && cfg.curriculum === "policy") {
      const added = await timed(
        "generator",
        () => generatorTasks(run, buffers, tasks, split, step),
      );
      for (const r of added) generatorKeys.add(recordKey(r));
    }

    // ── 4. solve: solverBatch (= batchSize) tasks per type from the buffers (newest first), or
    //    under solveOnRollouts (not in the paper) the learnability rollouts of this step's tasks ──
    if (enter("solve")) break;
    const solver = cfg.solveOnRollouts
      ? { records: rated, groups: [] }
      : solverTasks(buffers, tasks, rng, { batchSize: solveBatch, G, step });
    // The share of the solver's tasks that are the buffers' seeds (identity or generator tasks).
    m["solve/seed_share"] = solver.records.filter((r) => seedKeys.has(recordKey(r))).length /
      Math.max(1, solver.records.length);
    if (cfg.generatorTasks > 0) {
      // Counted from the tasks added since this process started (a resumed run's older ones are
      // not known as the generator's).
      m["solve/generator_share"] = solver.records.filter((r) =>
        generatorKeys.has(recordKey(r))
      ).length /
        Math.max(1, solver.records.length);
    }
    const attempts = cfg.solveOnRollouts
      ? learn.attempts
      : await timed("solve", () =>
        solveTasks(policy, solver.records, rng, {
          ...cfg,
          temperature: cfg.solveTemperature,
        }, solver.groups));

    // ── 5. check answers in the sandbox → solver reward (the rollouts' are checked already) ──
    if (enter("check")) break;
    const outcomes = cfg.solveOnRollouts
      ? learn.outcomes
      : await timed("check", () => checkAttempts(executor, attempts));
    attempts.forEach((a, i) => {
      rollouts.push(a.rollout);
      const reward = solverReward(outcomes[i]!);
      rewards.push({ role: "solve", task: a.record.task, reward, group: a.rollout.group });
    });

    // ── 6. advantages: TRR++ (6 baselines), REINFORCE++ (1) or GRPO (per prompt) ──
    // The shuffled-reward control permutes a copy (its own stream, one per step: a resumed run
    // draws the same), so the metrics log the true rewards.
    const advantaged = cfg.shuffleRewards
      ? shuffleRewards(rewards, new Rng(cfg.seed * 100_003 + step))
      : rewards;
    const advantages = computeAdvantages(advantaged, {
      estimator: cfg.estimator,
      eps: cfg.advantageEps,
    });

    // ── 7. update: one PPO-clip step on proposer and solver rollouts together ───
    if (enter("update")) break;
    policy.optimizer.options.lr = m["update/lr"] = selfPlayLr(cfg, step);
    const update = await timed("update", async () => {
      const ref = reference.value && referenceLogprobs(reference.value, rollouts, cfg);
      const u = await policyUpdate(policy, policy.optimizer, rollouts, advantages, cfg, ref);
      if (cfg.solverCe > 0) {
        m["loss/solver_ce"] = await verifiedAnswersStep(policy, solver.records, cfg);
      }
      if (replay) m["loss/replay"] = await replay();
      return u;
    });

    // ── 8. log: flat namespaced metrics, proposals ──────────────────────────────
    m["perf/step_s"] = (performance.now() - t0) / 1000;
    m["perf/tokens_per_s"] = rollouts.reduce((s, r) => s + r.completion.length, 0) /
      m["perf/step_s"];
    Object.assign(
      m,
      stepMetrics({
        tasks,
        verdicts,
        rows,
        rewards,
        attempts,
        outcomes,
        buffers,
        update,
        bounds: cfg,
      }),
    );

    // ── 9. eval: held-out suites every evalEvery steps ──────────────────────────
    // Also when stopping: the step is finished whole, so a resumed run logs what an
    // uninterrupted one would.
    if (cfg.evalEvery > 0 && (step + 1) % cfg.evalEvery === 0) {
      Object.assign(m, (await heldOut(step, false)).metrics);
    }
    await appendMetrics(paths.metrics, m);
    await appendJsonl(paths.proposals, rows);
    hooks.onStep?.(m);

    // ── 10. checkpoint when due: weights, optimizer, RNG (atomic) ───────────────
    await run.stepDone(step);
    step++;
  }
  // A step a stop dropped is redone on resume from the RNG state it started with.
  await run.end(step, dropped ? Rng.fromState(rngAtStepStart) : rng);

  // ── stopped (signal): the report, no final eval ────────────────────────────────
  if (run.stopping) {
    await run.writeReport();
    throw run.stopped(step, dropped);
  }
  // ── end: final eval (with the search and the chance levels), eval.json, summary, report ──
  const final = await suiteEval(run, suites, { search: true, chance: true });
  // The generator's set too, task by task: what a paired comparison with the base reads.
  const wholeSet = (set: EvalSuite | undefined) =>
    set ? suiteEval(run, [set], { search: false, chance: true, whole: true }) : undefined;
  const finalGenerator = await wholeSet(generator);
  const finalBeyond = await wholeSet(beyond);
  // The train split at the end only (evalTrain): beside the held-out set, it tells a loss of what
  // the base knows from over-fitting to the behaviours trained on.
  const finalTrain = await wholeSet(
    cfg.evalTrain > 0 ? generatorSet(await split(), "train", cfg.evalTrain, cfg) : undefined,
  );
  // The start's held-out set (seeding eval), paired with the end's on the same tasks.
  const start = finalGenerator ? await readRunJson(paths.evalStart, EvalStartSchema) : undefined;
  if (start && finalGenerator) {
    hooks.log?.(againstStart(finalGenerator, start.generator.outcomes as TaskOutcome[]));
  }
  const summary = runSummary(cfg.name, step, run.elapsedS, final, finalGenerator, finalBeyond);
  await run.writeFinal({
    step,
    ...final,
    ...(finalGenerator ? { generator: setTables(finalGenerator) } : {}),
    ...(finalBeyond ? { beyond: setTables(finalBeyond) } : {}),
    ...(finalTrain ? { train: setTables(finalTrain) } : {}),
    ...(start ? { start: start.generator } : {}),
  }, summary);
  return summary;
}

/**
 * The log line of the end against the start on the generator's held-out set: per task type the
 * paired difference in points with its 95% interval (over the tasks: one run).
 */
function againstStart(end: EvalReport, start: readonly TaskOutcome[]): string {
  const diffs = pairedByTaskType([end.outcomes], [start]);
  const n = diffs[0]?.diff.tasks ?? 0;
  return `held-out (generator) against the start, paired on the same ${n} tasks per type: ${
    diffs.map(({ task, diff }) => `${task} ${formatDiffPoints(diff)}`).join(", ")
  } points`;
}

/** A value that `using` frees with its own `dispose` (nothing when undefined). */
function disposing<T extends { dispose(): void }>(value: T | undefined) {
  return { value, [Symbol.dispose]: () => value?.dispose() };
}
