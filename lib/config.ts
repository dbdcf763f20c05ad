/**
 * Every knob of azr-kit in one zod schema, with a doc line per field, presets,
 * and the one parser shared by notebooks and the CLI.
 *
 * Keys are flat (`--lr=3e-4`, not `--model.lr`), grouped below by the module
 * that reads them. Unknown keys and bad values are errors that name the key
 * and say what to change.
 *
 * @example
 * ```ts
 * import { resolveConfig } from "./config.ts";
 * const cfg = resolveConfig({ preset: "tiny", overrides: { lr: 1e-3 } });
 * console.log(cfg.dModel, cfg.lr);
 * ```
 * @module
 */
import { z } from "zod";
import { SEARCH_MAX_EVALS } from "./lang/search.ts";
import { type WorldName, WORLDS } from "./lang/types.ts";
import { LEARNABILITY_VARIANTS } from "./reward/rewards.ts";
import { SANDBOX_DEFAULTS } from "./sandbox/options.ts";
import { InputError } from "./errors.ts";
import { TASK_TYPES } from "./task_types.ts";

// The task types are a leaf module's (every layer names them); the config re-exports them.
export { TASK_TYPES, type TaskType } from "./task_types.ts";

/** A comma-separated list on the CLI, an array in JSON. */
const taskTypeList = z.preprocess(
  (v) => (typeof v === "string" ? v.split(",").map((s) => s.trim()).filter(Boolean) : v),
  z.array(z.enum(TASK_TYPES)).min(1, "enable at least one task type, e.g. --taskTypes=deduction"),
);

/** The pre-training views (kept in sync with PRETRAIN_VIEWS in lib/trainer/pretrain_data.ts). */
export const PRETRAIN_VIEW_NAMES = [
  "deduction",
  "abduction",
  "induction",
  "propose_deduction",
  "propose_abduction",
  "propose_induction",
] as const;

const posInt = () => z.number().int().positive();
const nonNegInt = () => z.number().int().nonnegative();

/** The schema. Every field has a default (the `default` preset) and a description. */
export const ConfigSchema = z.strictObject({
  // ── run ──────────────────────────────────────────────────────────────────
  name: z.string().regex(/^[\w.-]+$/, "use letters, digits, '.', '_' or '-'").default("azr")
    .describe("Run name: outputs go to <runsDir>/<name>/"),
  runsDir: z.string().min(1).default("runs").describe("Folder that holds one sub-folder per run"),
  seed: nonNegInt().default(0).describe(
    "Seed of every random generator (model init, sampling, buffers)",
  ),
  steps: nonNegInt().default(200).describe("Self-play steps to run"),
  checkpointEvery: posInt().default(25).describe("Write a checkpoint every N steps (atomic)"),
  evalEvery: nonNegInt().default(25).describe("Run the held-out eval every N steps (0 = never)"),
  evalSuites: z.string().default("data/eval/small")
    .describe("Folder (or one .jsonl file) of held-out eval suites (default: data/eval/<world>)"),
  evalGreedy: z.boolean().default(true).describe("Decode greedily at eval time"),
  evalLimit: nonNegInt().default(0)
    .describe("Evaluate only the first N tasks of each type per suite (0 = all)"),
  evalGenerator: nonNegInt().default(0).describe(
    "Self-play's evals also score this many tasks per type from the generator's held-out behaviours (bank of pretrainMaxSize tokens, the seed pre-training uses), as eval/generator/<task> (0 = none)",
  ),
  evalTrain: nonNegInt().default(0).describe(
    "Self-play's final eval also scores this many tasks per type from the generator's train split (trained-on behaviours, fresh inputs; the seed pre-training uses), beside the held-out set: what separates a loss of what the base knows from over-fitting to the train split (0 = none)",
  ),
  maxMinutes: z.number().nonnegative().default(0)
    .describe("Wall-clock budget of a run in minutes, then a final eval (0 = none)"),

  // ── sandbox (lib/sandbox) ─────────────────────────────────────────────────
  sandboxPoolSize: nonNegInt().default(0).describe(
    "Child processes in the pool (0 = one per core)",
  ),
  sandboxTimeoutMs: posInt().default(SANDBOX_DEFAULTS.timeoutMs).describe(
    "Wall-clock limit per job, in milliseconds",
  ),
  sandboxMemoryMb: posInt().min(64).default(SANDBOX_DEFAULTS.memoryMb)
    .describe("Memory a program may use on top of the child's own V8 (MiB)"),
  sandboxOutputCap: posInt().default(SANDBOX_DEFAULTS.outputCap).describe(
    "Largest result a job may return (bytes of JSON)",
  ),
  sandboxBatchSize: posInt().default(SANDBOX_DEFAULTS.batchSize).describe(
    "Jobs sent to a child in one message",
  ),
  sandboxCompartmentReuse: z.enum(["none", "program", "batch"]).default(
    SANDBOX_DEFAULTS.compartmentReuse,
  ).describe(
    "none: a fresh SES Compartment per run (the design); batch/program: reuse one while its global stays untouched (faster, see lib/sandbox/README.md)",
  ),
  sandboxMaxDepth: posInt().default(SANDBOX_DEFAULTS.maxDepth).describe(
    "Deepest nesting of arrays/objects a result may have (deeper is invalid_value)",
  ),

  // ── language (lib/lang) ───────────────────────────────────────────────────
  world: z.enum(["small", "wide"]).default("small").describe(
    "Value domain: small (ints -9..9, lists <= 6, literals -3..5; learns on a laptop) or wide (ints ±999, lists <= 16, literals -10..10); it sets the five keys below unless they are given",
  ),
  intMin: z.number().int().min(-999).default(-9).describe(
    "Smallest int value the codec can write (default: the world's)",
  ),
  intMax: z.number().int().max(999).default(9).describe(
    "Largest int value the codec can write (default: the world's)",
  ),
  maxListLen: posInt().default(6).describe("Longest list value (default: the world's)"),
  literalMin: z.number().int().min(-10).default(-3).describe(
    "Smallest int literal a program may use (default: the world's; grammar limit -10)",
  ),
  literalMax: z.number().int().max(10).default(5).describe(
    "Largest int literal a program may use (default: the world's; grammar limit 10)",
  ),
  programMaxTokens: posInt().default(24).describe("Token budget of one generated program"),
  inputMaxTokens: posInt().default(40).describe(
    "Token budget of one generated value (an input or output)",
  ),
  searchMaxEvals: posInt().default(SEARCH_MAX_EVALS).describe(
    "Candidate expressions the enumerative-search baseline may evaluate per task",
  ),

  // ── model (lib/model) ─────────────────────────────────────────────────────
  backend: z.enum(["auto", "tensorflow", "webgpu", "wasm", "cpu"]).default("auto")
    .describe("tfjs backend: auto picks tensorflow if installed, else wasm"),
  dModel: posInt().default(128).describe("Width of the residual stream"),
  nLayers: posInt().default(4).describe("Transformer blocks"),
  nHeads: posInt().default(4).describe("Attention heads per block (must divide dModel)"),
  mlpRatio: posInt().default(4).describe("MLP hidden width as a multiple of dModel"),
  contextLen: posInt().default(512).describe("Longest sequence (prompt + generation), in tokens"),
  tieEmbeddings: z.boolean().default(true).describe("Share token embedding and output head"),
  lr: z.number().positive().max(1).default(3e-4).describe(
    "AdamW learning rate (constant, as in the paper)",
  ),
  lrWarmup: nonNegInt().default(0).describe(
    "Not in the paper: self-play steps over which the learning rate rises linearly to lr (step s uses lr·(s+1)/lrWarmup; 0 = lr from the first step, as the paper). A fresh AdamW's first updates move every weight by about lr whatever its gradient, and self-play starts one on a trained base (measured from the shipped base: no better than the same summed rate held constant)",
  ),
  weightDecay: z.number().nonnegative().default(0.01).describe("AdamW decoupled weight decay"),
  beta1: z.number().min(0).max(1).default(0.9).describe("AdamW beta1"),
  beta2: z.number().min(0).max(1).default(0.99).describe("AdamW beta2"),
  gradClip: z.number().positive().default(1).describe("Global gradient-norm clip (paper: 1.0)"),

  // ── self-play (lib/tasks, lib/reward, lib/trainer) ────────────────────────
  taskTypes: taskTypeList.default([...TASK_TYPES])
    .describe("Task types in play, comma-separated"),
  batchSize: posInt().default(16).describe("Proposals and solver tasks per task type per step"),
  solverBatch: nonNegInt().default(0).describe(
    "Not in the paper (one batch size for both roles): solver tasks per task type per step, drawn from the buffers (this step's proposals first, then older ones; 0 = batchSize). More solver samples per step cost no proposals or learnability rollouts: the RL step's signal without the proposer's cost",
  ),
  solveOnRollouts: z.boolean().default(false).describe(
    "Not in the paper: the solver learns from the learnability rollouts (nRollouts samples of each of this step's valid tasks, one group per task) instead of a separate solve stage on buffered tasks, so every task is solved in the step it is proposed and never again (no buffer reuse) at no extra sampling; run for the random curriculum and a frozen proposer too. Needs solverBatch 0, generatorTasks 0 and sampled rollouts",
  ),
  refK: nonNegInt().default(6).describe("Reference triplets shown to a proposer (paper K = 6)"),
  inductionN: posInt().min(2).default(10).describe(
    "Inputs an induction proposer writes (paper N = 10)",
  ),
  nRollouts: posInt().default(8).describe(
    "Solver rollouts that estimate a proposal's learnability (paper n = 8)",
  ),
  rolloutGreedy: z.boolean().default(false)
    .describe("Learnability rollouts greedy (official code) instead of temperature 1 (paper)"),
  proposeTemperature: z.number().positive().default(1).describe(
    "Sampling temperature of the proposer",
  ),
  solveTemperature: z.number().positive().default(1).describe("Sampling temperature of the solver"),
  seedingFactor: nonNegInt().default(4)
    .describe("Seeding stage grows each buffer to batchSize × this many triplets (paper: 4)"),
  seedBuffers: z.enum(["identity", "generator"]).default("identity").describe(
    "What the buffers hold before seeding's proposals: 'identity' (the paper: the identity program), or, not in the paper, 'generator': seedTasks tasks per type from the generator's train split, the references pre-training's proposer views showed (a base pre-trained here never saw identity references)",
  ),
  seedTasks: posInt().default(24).describe(
    "Generator tasks per type in each buffer when seedBuffers is 'generator'",
  ),
  trainProposer: z.boolean().default(true).describe(
    "Update the proposer role (false = solver-only ablation)",
  ),
  curriculum: z.enum(["policy", "random"]).default("policy")
    .describe("Where tasks come from: the policy's proposals or the language's random sampler"),
  proposalInputs: z.enum(["policy", "natural"]).default("policy").describe(
    "Who writes a proposal's inputs: the proposer (the paper), or, not in the paper, 'natural': the environment draws them as the generator does (the proposer's program kept; its rollout, input tokens included, is rewarded by the task so made)",
  ),
  generatorTasks: nonNegInt().default(0).describe(
    "Not in the paper: generator tasks (the bank's train split) added to each trained type's buffer every step beside the proposals, so the solver's tasks mix both (curriculum policy; 0 = off)",
  ),
  rejectConstant: z.boolean().default(false).describe(
    "Not in the paper: reject deduction/abduction proposals whose program returns one value on its input and 8 fixed probe inputs (such programs make abduction free)",
  ),
  minProposalSize: nonNegInt().default(0).describe(
    "Not in the paper: reject deduction/abduction proposals whose program body has fewer tokens (0 = off): what the proposals' sizes do to the solver",
  ),
  maxProposalSize: nonNegInt().default(0).describe(
    "Not in the paper: reject deduction/abduction proposals whose program body has more tokens (0 = off): keeps the proposals in the world the base was taught (its bank's pretrainMaxSize) so the learnability reward cannot pay for longer programs",
  ),
  learnability: z.enum(LEARNABILITY_VARIANTS).default("paper").describe(
    "Proposer reward from the solve rate s: paper (1-s, 0 at 0/1), official (-0.5 at 0/1), chance (1-s~ with s~ = (s-c)/(1-c), c = majority-answer rate: a coin flip earns 0), rzero (min(s, 1-s)), variance (s(1-s))",
  ),
  solverCe: z.number().nonnegative().default(0).describe(
    "Not in the paper: weight of a cross-entropy step on the executor-verified answers of the step's own solver tasks, after the RL update (0 = RL only, as the paper)",
  ),
  klCoef: z.number().nonnegative().default(0).describe(
    "Not in the paper (which drops it): β of a KL penalty toward the starting weights (init: the base, or the run's own random init), β·mean_t KL_t with the k3 estimator, in the policy update (0 = none)",
  ),
  replayBatch: nonNegInt().default(0).describe(
    "Not in the paper: generator tasks replayed per step (pre-training's views and pretrainViewWeights, from the bank's train split), one cross-entropy step after the RL update so self-play keeps what the base knows (0 = off, as the paper)",
  ),
  replayWeight: z.number().nonnegative().default(1).describe(
    "Weight of the replay step's cross-entropy (replayBatch > 0)",
  ),
  shuffleRewards: z.boolean().default(false).describe(
    "A control, not in the paper: each step's rewards permuted within their (role × task type) groups before the advantages, so the update keeps its mechanics (samples, step size, sharpening) and loses which rollout was right; the logged rewards stay the true ones",
  ),
  estimator: z.enum(["trr++", "reinforce++", "grpo"]).default("trr++")
    .describe(
      "Advantage estimator: 6 task-relative baselines, one global, or per-prompt groups (GRPO samples each prompt nRollouts times)",
    ),
  advantageEps: z.number().nonnegative().default(1e-6)
    .describe("ε in A = (r − μ) / (σ + ε); σ is the population std of the baseline group"),
  ppoClip: z.number().positive().default(0.2).describe("PPO ratio clip (paper 0.2)"),
  ppoEpochs: posInt().default(1).describe("PPO epochs per batch (paper 1)"),
  entropyCoef: z.number().nonnegative().default(0.001).describe(
    "Entropy bonus coefficient (paper 0.001)",
  ),
  microBatchTokens: posInt().default(4096).describe(
    "Padded tokens (prompt + completion; a quarter of it in completions) per gradient micro-batch: bounds memory, not the math",
  ),

  ceMicroBatchTokens: posInt().default(768).describe(
    "Padded tokens (prompt + target) per cross-entropy micro-batch (pre-training, solverCe): on wasm, small micro-batches stay in cache and pay (768 measured fastest at the small and medium shapes; the old path used microBatchTokens, 4096); the same loss either way",
  ),
  ceBatching: z.enum(["view", "length"]).default("length").describe(
    "Cross-entropy micro-batches (pre-training, solverCe): 'view', one view each (the old path), or 'length', every view together sorted by length (less padding, fewer micro-batches); the same loss either way",
  ),
  logprobsForward: z.enum(["completion", "full"]).default("completion").describe(
    "Training forward pass: 'completion' runs the last block only on the columns that predict completion tokens, 'full' on every column (the old path); the same log-probs either way",
  ),

  // ── base model: where self-play starts, and pre-training (lib/trainer/pretrain.ts) ──
  init: z.string().min(1).default("scratch").describe(
    "Weights self-play starts from: 'scratch' (random) or a checkpoint or run folder (e.g. data/base); its world and model sizes must match",
  ),
  pretrainInit: z.string().min(1).default("scratch").describe(
    "Weights pre-training starts from: 'scratch' (random) or a checkpoint or run folder, e.g. data/base to train a base further (the pretrain_more control); its world and model sizes must match",
  ),
  pretrainSteps: nonNegInt().default(3000).describe("Pre-training steps (deno task pretrain)"),
  pretrainBatch: posInt().default(48).describe(
    "Pre-training examples per step, spread evenly over pretrainViews",
  ),
  pretrainLr: z.number().positive().max(1).default(1e-3).describe(
    "Pre-training AdamW learning rate",
  ),
  pretrainViews: z.preprocess(
    (v) => (typeof v === "string" ? v.split(",").map((s) => s.trim()).filter(Boolean) : v),
    z.array(z.enum(PRETRAIN_VIEW_NAMES)).min(1),
  ).default([...PRETRAIN_VIEW_NAMES]).describe(
    "Views pre-training teaches (solver: deduction, abduction, induction; proposer: propose_*), comma-separated",
  ),
  pretrainViewWeights: z.preprocess(
    (v) =>
      typeof v === "string"
        ? Object.fromEntries(
          v.split(",").map((s) => s.trim()).filter(Boolean).map((s) => {
            const [k, w] = s.split("=");
            return [k?.trim(), Number(w)];
          }),
        )
        : v,
    z.partialRecord(z.enum(PRETRAIN_VIEW_NAMES), z.number().nonnegative()),
  ).default({}).describe(
    "Share of each pre-training batch per view, e.g. deduction=4,abduction=3,induction=3,propose_deduction=0.3 (views of pretrainViews not named weigh 1; none named: an even split)",
  ),
  pretrainAbductionTarget: z.enum(["smallest", "drawn"]).default("smallest").describe(
    "Abduction's pre-training target: the smallest input that gives the output (a function of the prompt; exact within abductionSearchBudget inputs, else the drawn input shrunk), or the drawn input (the old behaviour)",
  ),
  pretrainInductionTarget: z.enum(["smallest", "drawn"]).default("smallest").describe(
    "Induction's pre-training target: the first bank program (smallest first) that fits every shown pair, or the drawn program (the old behaviour)",
  ),
  pretrainProposerTargets: z.enum(["all", "nonconstant"]).default("all").describe(
    "The deduction/abduction proposer views' targets: every generator draw, or only the draws that are not constant on the constant-output gate's probes (not in the paper: teaches the proposer the distribution without the programs self-play's gate would refuse)",
  ),
  abductionSearchBudget: nonNegInt().default(2000).describe(
    "Inputs searched in canonical order for abduction's smallest input before shrinking the drawn one",
  ),
  pretrainMaxSize: posInt().max(8).default(4).describe(
    "Largest program body (tokens) in the canonical generator's bank",
  ),
  pretrainHeldOut: z.number().min(0).max(0.5).default(0.1).describe(
    "Fraction of the bank's behaviours held out of pre-training (for its held-out eval)",
  ),
  pretrainHoldOutSuites: z.boolean().default(false).describe(
    "Also hold out of pre-training every bank behaviour that a hand-written suite program (evalSuites) has on the bank's probe inputs, so the suites measure unseen behaviours (off for the shipped base, which was trained before this switch)",
  ),
  pretrainEvalTasks: posInt().default(60).describe(
    "Held-out generator tasks per type in pre-training evals",
  ),
  generatorEvalSeed: nonNegInt().default(1_000_003).describe(
    "Seed of the generator's held-out eval set (eval set 'generator'): every run and deno task eval with the same seed draw the same tasks",
  ),
  evalBeyond: nonNegInt().default(0).describe(
    "Tasks per type of the eval set beyond the bank (programs 1 to beyondExtra tokens longer than pretrainMaxSize whose behaviour no bank program has): self-play scores it at every eval and at the end, pre-training at the end (0 = off)",
  ),
  beyondExtra: posInt().max(4).default(2).describe(
    "Eval set 'beyond': program sizes up to pretrainMaxSize + this many body tokens",
  ),
  beyondEvalSeed: nonNegInt().default(3_000_003).describe(
    "Seed of the eval set beyond the bank (eval set 'beyond')",
  ),
  trainEvalSeed: nonNegInt().default(2_000_003).describe(
    "Seed of the generator's train-split eval set (eval set 'train'; trained-on behaviours on fresh inputs)",
  ),
  pretrainEvalEvery: nonNegInt().default(250).describe(
    "Pre-training eval every N steps (0 = only at the end)",
  ),
  solverTrace: z.boolean().default(false).describe(
    "Deduction solver writes a trace before its answer: the value of each closed sub-expression in evaluation order (labelled by the interpreter in pre-training; free in self-play and eval, where only the answer is checked)",
  ),
  pretrainLrSchedule: z.enum(["constant", "cosine"]).default("cosine").describe(
    "Pre-training learning rate: constant, or 100 warm-up steps then a cosine decay to a tenth over pretrainSteps",
  ),
  pretrainDataWorker: z.boolean().default(true).describe(
    "Pre-training draws each batch in a worker during the previous step (data generation overlaps the model on a second core: 1.14–1.26× examples/s for the small model's solver views, bench/pretrain.ts); the same batches either way (false: on the main thread)",
  ),
  pretrainGradWorker: z.boolean().default(true).describe(
    "Pre-training computes about half of each step's micro-batches in a second thread (a twin of the model given the step's weights; its gradients join the main thread's before the one update): the same step to float tolerance, the model on two cores (bench/pretrain.ts); wasm and cpu backends only (native backends thread their own kernels), false: one thread",
  ),
  pretrainLambdaWeight: z.number().nonnegative().default(1).describe(
    "Pre-training's (and replayBatch's) draw weight of the bank programs that use a lambda variable (v, i, a: the per-element work of map, filter, reduce) against the other programs of their size (1 = uniform; they are 7% of the small world's bank); the eval sets always draw uniformly",
  ),
  pretrainSizeCurriculum: z.boolean().default(false).describe(
    "Pre-training draws small programs first: size k is unlocked after (k-1)/maxSize of the steps",
  ),

  // ── run lifecycle (lib/trainer) ───────────────────────────────────────────
  checkpointMinutes: z.number().nonnegative().default(10).describe(
    "Also write a checkpoint once this many minutes have passed since the last one (0 = steps only)",
  ),
});

/**
 * What a run saved before a setting existed ran with, where that is not the setting's default: a
 * finished grid cell whose `config.json` lacks the key ran so (`lib/ablate/cell.ts`).
 */
export const SETTING_BEFORE_ADDED: Readonly<Record<string, unknown>> = {
  pretrainGradWorker: false, // one thread for the model
};

/** A fully resolved configuration. */
export type Config = z.infer<typeof ConfigSchema>;
/** What a user may override: any subset of the fields. */
export type ConfigOverrides = Partial<z.input<typeof ConfigSchema>>;

/** The `small` model and self-play batch: what 2 CPU cores train in minutes. */
const SMALL = { dModel: 64, nLayers: 2, nHeads: 2, batchSize: 8, refK: 2, nRollouts: 4 } as const;

/** Pre-training's budget where the signal is: 256 examples a step, solver views first. */
export const BASE_RECIPE = {
  name: "base",
  pretrainBatch: 256,
  pretrainViewWeights: {
    deduction: 4,
    abduction: 3,
    induction: 3,
    propose_deduction: 0.3,
    propose_abduction: 0.3,
    propose_induction: 0.3,
  },
} as const;

/** Named presets, applied over the defaults. */
export const PRESETS = {
  /** Seconds-long runs for tests. */
  tiny: {
    steps: 3,
    checkpointEvery: 2,
    evalEvery: 0,
    sandboxPoolSize: 1,
    dModel: 32,
    nLayers: 1,
    nHeads: 2,
    mlpRatio: 2,
    contextLen: 256,
    batchSize: 2,
    refK: 2,
    inductionN: 4,
    nRollouts: 2,
    seedingFactor: 1,
    evalLimit: 10,
    searchMaxEvals: 20_000,
  },
  /**
   * The scale of the committed ablation grids: 2 CPU cores, wasm, about 6 s per full-loop step
   * (two runs side by side). Same algorithm as `default`, a smaller model and batch.
   */
  small: SMALL,
  /**
   * `deno task train` with no flags: the `small` model in the small world, starting from the
   * shipped base (`data/base`, pre-trained at this size in five phases: `--preset base_deduction`,
   * `base_anneal`, `base`, `base_induction`, then `base_remix`), 500 steps on 2 CPU cores (at most
   * 20 minutes), held-out eval every 50 steps (the suites, and 150 tasks per type of the generator's held-out
   * behaviours), the paper's loop plus 64 replayed generator tasks a step (`replayBatch`, weighted
   * over the views as the base's recipe; 0 for the paper's loop alone), at a learning rate of 1e-4.
   */
  default: {
    ...SMALL,
    init: "data/base",
    // The base's world: its bank (programs of up to 5 tokens) and split, so the generator set the
    // run scores is the base's own held-out set and the replayed tasks come from what it was
    // taught (the schema's 4 would score and replay a smaller bank's).
    pretrainMaxSize: 5,
    steps: 500,
    maxMinutes: 20,
    evalEvery: 50,
    evalGenerator: 150,
    // Not in the paper: 64 generator tasks replayed a step keep what the base knows (the paper's
    // loop alone loses it: data/results/improve); --replayBatch=0 runs the paper's loop.
    replayBatch: 64,
    // The replayed tasks weighted as the base's recipe taught its views (about 23 deduction, 18
    // abduction, 18 induction and a few proposer examples of the 64). Spread evenly over the six
    // views (half of them proposer views) the default gave up 1.9 [0.2, 3.5] points of the base's
    // held-out deduction; weighted so, −0.4 [−1.8, +1.2], abduction +0.9, induction +0.9, no
    // interval below 0 (the main grid from the three-phase base, five seeds, 1,000 tasks per type).
    // From the five-phase base shipped now: −1.4 [−3.0, +0.1], −0.4 [−1.9, +1.2], −1.1 [−2.4,
    // +0.2] (README Results); the last phase's weights (deduction 6, lambda 4), one seed: no
    // different.
    pretrainViewWeights: BASE_RECIPE.pretrainViewWeights,
    // A third of the schema's 3e-4: from the three-phase base, 500 default steps at 3e-4 lost
    // 4.7 / 5.0 points of held-out deduction / abduction (two seeds), at 1e-4 +3.3 / +1.8 / +2.0
    // with no interval below 0 (three seeds; README Results); the improve_1e4 grid's 5-minute
    // cells of this recipe (five seeds, beside another run): −0.5 / −2.9 [−5.5, −0.2] / −0.7;
    // rl_batch's, on 1,000 tasks per type (three seeds): −1.3 [−3.0, +0.4] / +1.1 / +0.3. With 128
    // solver tasks a step (solverBatch) it gains induction (+2.5) and loses deduction (−1.9 [−3.6,
    // −0.1]), so the solver keeps batchSize's 8. The built-in grids keep 3e-4, the rate they were
    // run at.
    lr: 1e-4,
  },
  /**
   * The shipped base's first phase (`deno task pretrain --preset base_deduction`): the `small`
   * model, programs of up to 5 tokens, 5,000 steps of 256 deduction examples at a constant rate
   * (deduction alone learns where the mix of views stalls: data/base/levers.md).
   */
  base_deduction: {
    ...SMALL,
    name: "base-deduction",
    pretrainBatch: 256,
    pretrainViews: ["deduction"],
    pretrainLrSchedule: "constant",
    pretrainMaxSize: 5,
    pretrainSteps: 5000,
    checkpointEvery: 500,
    pretrainEvalTasks: 300,
    pretrainEvalEvery: 1000,
  },
  /**
   * The shipped base's second phase (`deno task pretrain --preset base_anneal`, after
   * `base_deduction`): from that phase's weights (`runs/base-deduction`), 2,000 more steps of
   * deduction with the rate annealed (100 warm-up steps, then a cosine decay to a tenth): +6 points
   * of held-out deduction over the same steps at a constant rate (data/base/levers.md).
   */
  base_anneal: {
    ...SMALL,
    name: "base-anneal",
    pretrainInit: "runs/base-deduction",
    pretrainBatch: 256,
    pretrainViews: ["deduction"],
    pretrainLrSchedule: "cosine",
    pretrainMaxSize: 5,
    pretrainSteps: 2000,
    checkpointEvery: 500,
    pretrainEvalTasks: 300,
    pretrainEvalEvery: 500,
  },
  /**
   * The shipped base's third phase, the last of the three-phase base shipped before it
   * (`deno task pretrain --preset base`, after `base_anneal`): from that phase's weights
   * (`runs/base-anneal`), 800 steps of 256 examples weighted to the solver views (the proposer
   * views get what self-play's first proposals need), canonical targets, the rate warmed up again
   * and annealed (cosine), 300 eval tasks per type and set, and the set beyond the bank at the end.
   */
  base: {
    ...SMALL,
    ...BASE_RECIPE,
    pretrainInit: "runs/base-anneal",
    pretrainLrSchedule: "cosine",
    pretrainMaxSize: 5,
    pretrainSteps: 800,
    checkpointEvery: 200,
    pretrainEvalTasks: 300,
    pretrainEvalEvery: 200,
    evalBeyond: 300,
  },
  /**
   * The fourth phase of the induction-first recipe (`deno task pretrain --preset base_induction`,
   * after `base`): from that phase's weights (`runs/base`), 3,500 steps of 256 induction examples
   * at a constant rate. The three-phase base's induction is memorized (3% held-out, 16% on the
   * train split); alone, it generalizes (20.7% held-out at step 3,500, still rising) while the
   * views it does not train fall (deduction to 9%): data/base/levers.md.
   */
  base_induction: {
    ...SMALL,
    name: "base-induction",
    pretrainInit: "runs/base",
    pretrainBatch: 256,
    pretrainViews: ["induction"],
    pretrainLrSchedule: "constant",
    pretrainMaxSize: 5,
    pretrainSteps: 3500,
    checkpointEvery: 500,
    pretrainEvalTasks: 300,
    pretrainEvalEvery: 500,
    evalBeyond: 300,
  },
  /**
   * The induction-first recipe's last phase (`deno task pretrain --preset base_remix`, after
   * `base_induction`): every view again from that phase's weights (`runs/base-induction`), 8,000
   * steps weighted to deduction (6 / 3 / 3, proposers 0.3 each) with the programs that use a
   * lambda variable drawn 4 times as often (`pretrainLambdaWeight`), warm-up then cosine. The base
   * shipped at stop 33 ran it for 4,000 steps (`--pretrainSteps=4000 --pretrainEvalEvery=1000`).
   */
  base_remix: {
    ...SMALL,
    ...BASE_RECIPE,
    name: "base-remix",
    pretrainInit: "runs/base-induction",
    pretrainViewWeights: { ...BASE_RECIPE.pretrainViewWeights, deduction: 6 },
    pretrainLambdaWeight: 4,
    pretrainLrSchedule: "cosine",
    pretrainMaxSize: 5,
    pretrainSteps: 8000,
    checkpointEvery: 500,
    pretrainEvalTasks: 300,
    pretrainEvalEvery: 2000,
    evalBeyond: 300,
  },
  /**
   * A base taught to propose (`deno task pretrain --preset base_propose`; not shipped: the
   * `rl_propose` grid starts from it): from the shipped base, 1,000 more steps of the base's mix
   * with the proposer views weighted up (6 / 6 / 2 beside the solver views' 4 / 3 / 3) and taught
   * only programs that are not constant on the probes, the rate warmed up again and annealed. The
   * committed grid's was built from the three-phase base (`data/base` then), whose own proposals
   * are 28% constant, a fifth to a quarter of them longer than anything pre-training showed
   * (data/base/README.md, "A base taught to propose"); the five-phase base's are 19-20% constant.
   */
  base_propose: {
    ...SMALL,
    ...BASE_RECIPE,
    name: "base-propose",
    pretrainViewWeights: {
      ...BASE_RECIPE.pretrainViewWeights,
      propose_deduction: 6,
      propose_abduction: 6,
      propose_induction: 2,
    },
    pretrainProposerTargets: "nonconstant",
    pretrainInit: "data/base",
    pretrainLrSchedule: "cosine",
    pretrainMaxSize: 5,
    pretrainSteps: 1000,
    checkpointEvery: 250,
    pretrainEvalTasks: 300,
    pretrainEvalEvery: 500,
    evalBeyond: 300,
  },
  /**
   * The first shipped base's recipe, one phase from random weights: the mix of views for 1,600
   * steps, a cosine decay (data/base/levers.md measures its levers).
   */
  base_scratch: {
    ...SMALL,
    ...BASE_RECIPE,
    name: "base-scratch",
    pretrainMaxSize: 5,
    pretrainSteps: 1600,
    checkpointEvery: 200,
    pretrainEvalTasks: 300,
    pretrainEvalEvery: 400,
  },
  /** The base's recipe cut to about 15 minutes on 2 CPU cores (notebook 08, a first look). */
  base_quick: {
    ...SMALL,
    ...BASE_RECIPE,
    name: "base-quick",
    pretrainMaxSize: 4,
    pretrainSteps: 600,
    maxMinutes: 15,
    pretrainEvalTasks: 100,
    pretrainEvalEvery: 150,
  },
  /** The schema's own defaults: a 1M-parameter model from random weights, ~50 s per step. */
  medium: {},
  /** For users with a GPU (tensorflow or webgpu backend). */
  large: { dModel: 384, nLayers: 8, nHeads: 6, batchSize: 64, contextLen: 1024, world: "wide" },
} satisfies Record<string, ConfigOverrides>;
/** The name of a preset. */
export type PresetName = keyof typeof PRESETS;

/** Raised for any config that cannot be used; the message says what to change. */
export class ConfigError extends InputError {
  override name = "ConfigError";
}

/** Options of {@linkcode resolveConfig}. */
export interface ResolveOptions {
  /** Preset applied first (default "default"). */
  preset?: string;
  /** Values from a JSON file, applied over the preset. */
  file?: Record<string, unknown>;
  /** Values applied last (from `--key=value` or a notebook). */
  overrides?: Record<string, unknown>;
}

const KEYS = Object.keys(ConfigSchema.shape) as (keyof Config)[];

/** Resolves preset → file → overrides into a validated config, or throws ConfigError. */
export function resolveConfig(opts: ResolveOptions = {}): Config {
  const presetName = opts.preset ?? "default";
  if (!Object.hasOwn(PRESETS, presetName)) {
    throw new ConfigError(
      `Cannot parse config: unknown preset '${presetName}'; use one of ${
        Object.keys(PRESETS).join(", ")
      }`,
    );
  }
  const given: Record<string, unknown> = {
    ...PRESETS[presetName as PresetName],
    ...opts.file,
    ...opts.overrides,
  };
  const worldName = given.world ?? "small";
  const world = Object.hasOwn(WORLDS, String(worldName))
    ? WORLDS[worldName as WorldName]
    : undefined;
  // The world supplies the domain keys that were not given one by one.
  const merged = { ...world, evalSuites: `data/eval/${String(worldName)}`, ...given };
  for (const key of Object.keys(merged)) {
    if (!KEYS.includes(key as keyof Config)) {
      throw new ConfigError(`Cannot parse config: unknown key '${key}'${suggest(key)}`);
    }
  }
  const parsed = ConfigSchema.safeParse(merged);
  if (!parsed.success) {
    throw new ConfigError(`Cannot parse config:\n${z.prettifyError(parsed.error)}`);
  }
  const cfg = parsed.data;
  if (cfg.dModel % cfg.nHeads !== 0) {
    throw new ConfigError(
      `Cannot parse config: 'nHeads' (${cfg.nHeads}) must divide 'dModel' (${cfg.dModel})`,
    );
  }
  if (cfg.intMin >= cfg.intMax) {
    throw new ConfigError(`Cannot parse config: 'intMin' must be below 'intMax'`);
  }
  if (cfg.literalMin > cfg.literalMax) {
    throw new ConfigError(`Cannot parse config: 'literalMin' must not be above 'literalMax'`);
  }
  if (cfg.literalMin < cfg.intMin || cfg.literalMax > cfg.intMax) {
    throw new ConfigError(
      `Cannot parse config: literals [${cfg.literalMin}, ${cfg.literalMax}] must lie inside the ints [${cfg.intMin}, ${cfg.intMax}]`,
    );
  }
  if (cfg.maxProposalSize > 0 && cfg.minProposalSize > cfg.maxProposalSize) {
    throw new ConfigError(
      `Cannot parse config: 'minProposalSize' (${cfg.minProposalSize}) is above 'maxProposalSize' (${cfg.maxProposalSize}): every proposal would be refused`,
    );
  }
  if (cfg.solveOnRollouts) {
    // The solver's tasks are then the step's own: a buffer draw's size, buffered generator tasks
    // and greedy (untrainable) rollouts have no place in it.
    const clash = cfg.solverBatch > 0
      ? "'solverBatch' (the solver's tasks are the step's own)"
      : cfg.generatorTasks > 0
      ? "'generatorTasks' (buffered tasks are not solved)"
      : cfg.rolloutGreedy
      ? "'rolloutGreedy' (greedy rollouts are not samples to learn from)"
      : undefined;
    if (clash) {
      throw new ConfigError(`Cannot parse config: 'solveOnRollouts' excludes ${clash}`);
    }
  }
  return cfg;
}

/** The result of {@linkcode parseConfigArgs}. */
export interface ParsedConfigArgs {
  config: Config;
  /**
   * The config keys that were given, by the preset, the config file or `--key=value` (a
   * resumed run takes only these over its saved config).
   */
  explicitKeys: string[];
  /** Flags that are not config keys (e.g. `--resume`, `--checkpoint=…`), for the caller. */
  flags: Record<string, string | true>;
  /** Positional arguments. */
  positional: string[];
}

/**
 * Parses `--preset NAME`, `--config FILE.json` and `--key=value` overrides.
 * Values are read as the field's type: a string field keeps the raw text,
 * other fields read it as JSON (`3`, `1e-4`, `true`). Flags named in
 * `extraFlags` are passed through instead of being config keys (those also in
 * `valueFlags` take a value: `--from DIR` or `--from=DIR`). A config file may
 * name its own `"preset"`; `--preset` on the command line wins.
 */
export function parseConfigArgs(
  argv: readonly string[],
  extraFlags: readonly string[] = [],
  valueFlags: readonly string[] = [],
): ParsedConfigArgs {
  const flags: Record<string, string | true> = {};
  const positional: string[] = [];
  const overrides: Record<string, unknown> = {};
  let preset: string | undefined;
  let file: Record<string, unknown> | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const key = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    let raw: string | undefined = eq < 0 ? undefined : arg.slice(eq + 1);
    const takesValue = key === "preset" || key === "config" ||
      (KEYS.includes(key as keyof Config) && !isBooleanField(key)) ||
      (extraFlags.includes(key) && valueFlags.includes(key));
    if (raw === undefined && takesValue) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--")) {
        throw new ConfigError(`Cannot parse config: '--${key}' needs a value, e.g. --${key}=…`);
      }
      raw = next;
      i++;
    }
    if (key === "preset") preset = raw;
    else if (key === "config") file = readConfigFile(raw!);
    else if (KEYS.includes(key as keyof Config)) overrides[key] = readValue(key, raw ?? "true");
    else if (extraFlags.includes(key)) flags[key] = raw ?? true;
    else throw new ConfigError(`Cannot parse config: unknown key '${key}'${suggest(key)}`);
  }
  const opts: ResolveOptions = { overrides };
  const { preset: filePreset, ...fileValues } = file ?? {};
  if (preset === undefined && filePreset !== undefined) preset = String(filePreset);
  if (preset !== undefined) opts.preset = preset;
  if (file !== undefined) opts.file = fileValues;
  const config = resolveConfig(opts);
  const fromPreset = preset !== undefined && Object.hasOwn(PRESETS, preset)
    ? Object.keys(PRESETS[preset as PresetName])
    : [];
  const explicitKeys = [
    ...new Set([...fromPreset, ...Object.keys(fileValues), ...Object.keys(overrides)]),
  ];
  return { config, explicitKeys, flags, positional };
}

function isBooleanField(key: string): boolean {
  const field = ConfigSchema.shape[key as keyof Config];
  return field.safeParse(true).success && !field.safeParse("x").success &&
    !field.safeParse(1).success;
}

/** A field that accepts the raw text keeps it; otherwise the text is read as JSON. */
function readValue(key: string, raw: string): unknown {
  const field = ConfigSchema.shape[key as keyof Config];
  if (field.safeParse(raw).success) return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return raw; // let the schema report the type error with the key's name
  }
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    throw new ConfigError(`Cannot read config file '${path}': ${(e as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`Cannot parse config file '${path}': ${(e as Error).message}`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new ConfigError(`Cannot parse config file '${path}': expected a JSON object of settings`);
  }
  // Each key and value is checked here, where the file's name can still be given.
  for (const [key, value] of Object.entries(data)) {
    if (key === "preset") {
      if (typeof value !== "string" || !Object.hasOwn(PRESETS, value)) {
        throw new ConfigError(
          `Cannot parse config file '${path}': unknown preset ${
            JSON.stringify(value)
          }; use one of ${Object.keys(PRESETS).join(", ")}`,
        );
      }
      continue;
    }
    if (!KEYS.includes(key as keyof Config)) {
      throw new ConfigError(
        `Cannot parse config file '${path}': unknown key '${key}'${suggest(key)}`,
      );
    }
    const r = ConfigSchema.shape[key as keyof Config].safeParse(value);
    if (!r.success) {
      throw new ConfigError(
        `Cannot parse config file '${path}': '${key}': ${r.error.issues[0]?.message ?? "invalid"}`,
      );
    }
  }
  return data as Record<string, unknown>;
}

/** " (did you mean 'lr'?)" for the closest key within edit distance 3, else a hint. */
function suggest(key: string): string {
  let best: string | undefined;
  let bestD = 4;
  for (const k of KEYS) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best ? ` (did you mean '${best}'?)` : "; see ConfigSchema in lib/config.ts for the keys";
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(
        prev[j]! + 1,
        cur[j - 1]! + 1,
        prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** Describes every field: key, default, description (for notebooks and `--help`). */
export function describeConfig(): { key: string; default: unknown; description: string }[] {
  const defaults = resolveConfig();
  return KEYS.map((key) => ({
    key,
    default: defaults[key],
    description: ConfigSchema.shape[key].description ?? "",
  }));
}

/** `--help`'s settings block: every key with the default preset's value and its description. */
export function settingsHelp(): string[] {
  const lines = ["Settings (--key=value; the default preset's values):"];
  for (const f of describeConfig()) {
    lines.push(`  --${f.key}=${JSON.stringify(f.default)}`, `      ${f.description}`);
  }
  return lines;
}
