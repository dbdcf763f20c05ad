/**
 * Ablation grids: a base config plus named variants, each an ordinary set of
 * config overrides. Built-in grids answer the paper's ablation questions; a
 * grid can also be a JSON file of the same shape.
 * @module
 */
import { z } from "zod";
import { BASE_RECIPE, resolveConfig } from "../config.ts";

/** A grid: every variant runs with `base` ∪ its overrides, for each seed. */
export const GridSchema = z.strictObject({
  name: z.string().regex(/^[\w.-]+$/, "use letters, digits, '.', '_' or '-'"),
  description: z.string().default(""),
  /** Preset every run starts from. */
  preset: z.string().default("default"),
  /** Overrides shared by all variants. */
  base: z.record(z.string(), z.unknown()).default({}),
  /**
   * A variant every other one is compared with, paired: the same eval tasks, seed by seed (e.g.
   * `base`, the starting point with no updates). The summary's paired table reads it.
   */
  pairedWith: z.string().optional(),
  variants: z.array(z.strictObject({
    // Part of the run name, so the same characters as the config's `name`.
    name: z.string().regex(/^[\w.-]+$/, "use letters, digits, '.', '_' or '-'"),
    description: z.string().default(""),
    /**
     * What the cell runs: self-play (`deno task train`), or supervised pre-training (`deno task
     * pretrain`, e.g. a base trained further for the same minutes: the `pretrain_more` control).
     */
    command: z.enum(["train", "pretrain"]).default("train"),
    overrides: z.record(z.string(), z.unknown()).default({}),
  })).min(1),
});
/** A grid. */
export type Grid = z.infer<typeof GridSchema>;

type Variant = z.input<typeof GridSchema>["variants"][number];

/**
 * The `pretrain_more` control (issue 20): no self-play, the shipped base pre-trained further on
 * the generator's train split for the same minutes (its recipe at a constant rate), the strongest
 * non-self-play use of the compute; scored on the same 300 held-out generator tasks per type as
 * the self-play cells (`evalGenerator` 300).
 */
function pretrainMore(extra: Record<string, unknown>): Variant {
  return {
    name: "pretrain_more",
    description:
      "no self-play: the base pre-trained further on the generator's train split for the same minutes (its recipe at a constant rate), the strongest non-self-play use of the compute",
    command: "pretrain",
    overrides: {
      pretrainInit: "data/base",
      pretrainBatch: BASE_RECIPE.pretrainBatch,
      pretrainViewWeights: BASE_RECIPE.pretrainViewWeights,
      pretrainLrSchedule: "constant",
      pretrainEvalTasks: 300,
      // One thread for the model, as every self-play cell has: grid cells run side by side, and a
      // second thread would take its core from the neighbouring cell (and the committed results
      // were measured so).
      pretrainGradWorker: false,
      ...extra,
    },
  };
}

/**
 * The learning rate every built-in self-play grid runs at (the schema's default): the rate their
 * committed results were measured at, kept when the `default` preset's went down to 1e-4.
 */
export const GRID_LR = 3e-4;

/** The self-play question at equal wall clock, from the shipped base (issue 20). */
const IMPROVE = {
  name: "improve",
  description:
    "Does self-play improve a competent base? The paper's loop from the shipped base against its controls at equal wall clock (issue 20): the base itself, solver_only, random_tasks (the generator's tasks, same RL), pretrain_more (the base pre-trained further on the generator, no self-play), and replay (the loop with generator tasks replayed); scored on the base's own held-out generator set (300 tasks per type), on programs beyond the base's bank (300 per type, 6-7 tokens) and on the suites, each paired with the base.",
  preset: "default",
  base: {
    steps: 100_000,
    pretrainSteps: 100_000,
    maxMinutes: 8,
    // The final eval only: three sets of 900 tasks would take most of a short run's minutes
    // (the keep grid has the curves during self-play).
    evalEvery: 0,
    // The base's own world: its bank (≤ 5 tokens) and split (the shipped base was split without
    // pretrainHoldOutSuites), so the generator set is the base's held-out set and beyond is past
    // what it was taught.
    pretrainMaxSize: 5,
    pretrainHoldOutSuites: false,
    evalGenerator: 300,
    evalBeyond: 300,
    searchMaxEvals: 20_000,
    // The paper's loop unless a variant says otherwise, whatever the preset's default.
    replayBatch: 0,
    lr: GRID_LR,
    klCoef: 0,
    rejectConstant: false,
  },
  pairedWith: "base",
  variants: [
    { name: "base", description: "the shipped base, no updates", overrides: { steps: 0 } },
    { name: "azr", description: "the paper's loop (paper defaults)" },
    {
      name: "solver_only",
      description: "the paper's loop with a frozen proposer: only the solver role is updated",
      overrides: { trainProposer: false },
    },
    {
      name: "random_tasks",
      description: "the solver trained on the generator's tasks (no proposer), same RL",
      overrides: { curriculum: "random" },
    },
    {
      name: "replay",
      description: "the paper's loop + 64 generator tasks replayed per step (cross-entropy)",
      overrides: { replayBatch: 64 },
    },
    pretrainMore({ pretrainEvalEvery: 0 }),
  ],
} satisfies z.input<typeof GridSchema>;

/** rl_batch's settings: improve's, scored on 1,000 tasks per type of each generator set. */
const RL_BATCH_BASE = { ...IMPROVE.base, evalGenerator: 1000, evalBeyond: 1000 };

/** The generator's tasks under RL at 128 tasks per type a step (rl_batch, rl_targets). */
const RANDOM_TASKS_B128 = {
  name: "random_tasks_b128",
  description:
    "the solver trained on the generator's tasks (no proposer), same RL, lr 1e-4, 128 tasks per type a step",
  overrides: { curriculum: "random", lr: 1e-4, batchSize: 128 },
};

/** The paper's loop with 8 proposals and 128 solver tasks per type a step (rl_batch, rl_targets). */
const AZR_S128 = {
  name: "azr_s128",
  description:
    "the paper's loop, lr 1e-4, 8 proposals and 128 solver tasks per type a step (solverBatch, not in the paper)",
  overrides: { lr: 1e-4, batchSize: 8, solverBatch: 128 },
};

// rl_batch: every RL variant loses held-out deduction or gains none, while pretrain_more on the
// base's mix loses it too and the base's own last phase (the mix) cost deduction. Is the loss the
// loop's, or the three task types sharing a 64-wide model? RL on one task type at a time.
const RL_TYPES = {
  ...IMPROVE,
  name: "rl_types",
  description:
    "Can RL improve one task type when it has the whole update? rl_batch's random_tasks_b128 and azr_s128 trained on deduction only and on abduction only (taskTypes), and pretrain_more on deduction only; then both on all three types with GRPO's per-prompt baseline instead of TRR++; paired with the shipped base on the same tasks (all three types scored: what the others lose).",
  base: RL_BATCH_BASE,
  variants: [
    ...IMPROVE.variants.filter((v) => v.name === "base"),
    // rl_batch's two cells on all three types, for pairing within this grid.
    RANDOM_TASKS_B128,
    AZR_S128,
    ...(["deduction", "abduction"] as const).flatMap((type) =>
      [RANDOM_TASKS_B128, AZR_S128].map((v) => ({
        name: `${v.name}_${type}`,
        description: `${v.description}, ${type} only`,
        overrides: { ...v.overrides, taskTypes: [type] },
      }))
    ),
    {
      ...pretrainMore({
        pretrainEvalEvery: 0,
        pretrainEvalTasks: 1000,
        pretrainViews: ["deduction"],
        pretrainViewWeights: {},
      }),
      name: "pretrain_more_deduction",
      description:
        "no self-play: the base pre-trained further on the generator's deduction only for the same minutes (constant rate)",
    },
    // Added after the cells above had run: azr_s128 loses deduction even with deduction alone
    // (−3 points), where the generator's tasks under the same RL gain 1. TRR++'s baselines are
    // per task type and role, so a task the solver always solves still pushes its answer up: does
    // a per-prompt baseline (GRPO: each task sampled nRollouts times), which gives such tasks no
    // gradient, stop the proposals' damage?
    ...[RANDOM_TASKS_B128, AZR_S128].map((v) => ({
      name: `${v.name}_grpo`,
      description:
        `${v.description}, GRPO's per-prompt baseline (estimator grpo: 16 tasks × 8 samples)`,
      overrides: { ...v.overrides, estimator: "grpo" },
    })),
    // Added after those: the base's proposals are mostly 1–3 tokens and 28% constant on the
    // probes (the generator's draws: 53% of 4–5 tokens, 9.7% constant), and the loop on
    // deduction alone loses what the generator's tasks gain. With constant and short proposals
    // refused (too small: invalid, so the proposer is also penalized for them), does it still?
    {
      name: "azr_s128_deduction_big",
      description:
        "azr_s128 on deduction only, with the constant-output gate and the size gate (minProposalSize 4, not in the paper): proposals of 1–3 tokens or one output on the probes are invalid",
      overrides: {
        ...AZR_S128.overrides,
        taskTypes: ["deduction"],
        rejectConstant: true,
        minProposalSize: 4,
      },
    },
    // Added last: the gates made it worse. Does the loop add anything when the generator's tasks
    // anchor the solver's? 8 proposals and 8 generator tasks join the buffers each step, so about
    // half the solver's 128 tasks are each's: against random_tasks_b128 (all generator) and
    // azr_s128 (all proposals).
    {
      name: "azr_s128_mix8",
      description:
        "azr_s128 with 8 generator tasks per type a step added to the buffers beside the 8 proposals (generatorTasks, not in the paper): the solver's 128 tasks about half each",
      overrides: { ...AZR_S128.overrides, generatorTasks: 8 },
    },
    // Added last: the loop's held-out deduction errors are off-by-one list lengths (`xs.length`
    // of 5 answered 6) where the base was right, and its proposals' lists are 1 or 6 long for
    // 46% of them (the generator's: 30%). Are the proposer's inputs what costs?
    {
      name: "azr_s128_deduction_natural",
      description:
        "azr_s128 on deduction only, the proposals' inputs drawn by the environment as the generator draws them (proposalInputs natural, not in the paper)",
      overrides: { ...AZR_S128.overrides, taskTypes: ["deduction"], proposalInputs: "natural" },
    },
    // Added last: is it the proposer's training (the learnability reward) that narrows the
    // proposals, or the base's proposer as it is, moved by the solver's updates?
    {
      name: "solver_only_s128_deduction",
      description:
        "azr_s128 on deduction only with the proposer role frozen (trainProposer false): the base's proposals, no learnability reward",
      overrides: { ...AZR_S128.overrides, taskTypes: ["deduction"], trainProposer: false },
    },
    // Added last: azr_s128 adds 8 tasks a step and trains on 128 from the buffer, so each task
    // is solved about 16 times over a run (about 5,000 distinct tasks), where
    // random_tasks_b128's 128 are fresh every step (about 90,000). The generator's tasks with the
    // loop's reuse: is it what the tasks are, or how few of them there are?
    {
      name: "random_tasks_s128_deduction",
      description:
        "the generator's tasks with azr_s128's reuse, deduction only: 8 new generator tasks a step, the solver's 128 from the buffer (solverBatch, not in the paper)",
      overrides: { ...AZR_S128.overrides, curriculum: "random", taskTypes: ["deduction"] },
    },
    // Added last: reuse cost the loop 2.3–2.8 points (random_tasks_s128_deduction), and fresh
    // proposals cost learnability rollouts. The rollouts are solver samples already: the solver
    // learns from them (solveOnRollouts, not in the paper), 16 tasks a step sampled 8 times each,
    // every task solved in the step it is proposed and never again; the generator's tasks alike.
    ...(["deduction", "abduction"] as const).flatMap((type) =>
      [
        { name: "azr_r16", what: "the paper's loop", own: { curriculum: "policy" } },
        { name: "random_r16", what: "the generator's tasks", own: { curriculum: "random" } },
        // Added after those two: the loop's proposals drift (longer, fewer always solved) as its
        // proposer is trained: the base's proposer, frozen, writing 16 fresh tasks a step.
        {
          name: "solver_only_r16",
          what: "the proposer frozen",
          own: { curriculum: "policy", trainProposer: false },
        },
        // Added after those: the learnability reward pays abduction proposals for length (bodies of
        // 5+ tokens earn 3× what those of ≤ 2 do) and the loop's proposals leave the base's world
        // (bodies over its bank's 5 tokens 10 → 42%), while the deduction proposer drifts to
        // harder tasks at the same length (the paper's 1 − s pays s = 1/8 most). Two levers, each
        // on both types: the proposals capped at the bank's size (maxProposalSize 5, invalid
        // beyond), and R-Zero's min(s, 1 − s), which pays s = ½ most.
        {
          name: "azr_r16_cap5",
          what:
            "the loop with proposals capped at the bank's 5 tokens (maxProposalSize, not in the paper)",
          own: { curriculum: "policy", maxProposalSize: 5 },
        },
        {
          name: "azr_r16_rzero",
          what:
            "the loop with R-Zero's learnability min(s, 1 − s) (learnability rzero, not in the paper)",
          own: { curriculum: "policy", learnability: "rzero" },
        },
        // Added after those: on the generator's own (train-split) deduction tasks the RL step
        // raises the solver's sampled accuracy (68.7 → 72.1%) and lowers its greedy accuracy
        // (77.6 → 74.5%), which the evals score. The solver sampled at temperature ½ (its
        // learnability rollouts too; the update's log-probs are the tempered policy's) trains a
        // policy nearer the greedy one.
        {
          name: "azr_r16_t05",
          what:
            "the loop with the solver sampled at temperature ½ (solveTemperature 0.5; the paper samples at 1)",
          own: { curriculum: "policy", solveTemperature: 0.5 },
        },
        {
          name: "random_r16_t05",
          what:
            "the generator's tasks with the solver sampled at temperature ½ (solveTemperature 0.5)",
          own: { curriculum: "random", solveTemperature: 0.5 },
        },
        // Added after those: at temperature ½ greedy fell further. Of the held-out deduction tasks
        // the generator's RL loses, about half are int answers turned to another (often 0), most
        // of the rest lists of the wrong length: with TRR++'s baseline per type and role, a task
        // never solved pushes all 8 of its answers down and one always solved pushes them up.
        // GRPO's per-task baseline (each task's 8 rollouts its group) gives both no gradient.
        {
          name: "azr_r16_grpo",
          what: "the loop with GRPO's per-task baseline (estimator grpo)",
          own: { curriculum: "policy", estimator: "grpo" },
        },
        {
          name: "random_r16_grpo",
          what: "the generator's tasks with GRPO's per-task baseline (estimator grpo)",
          own: { curriculum: "random", estimator: "grpo" },
        },
        // Added after those (stop 36, from the 8,000-step base): 100 steps of the generator's
        // deduction tasks cost 2.7 points of held-out greedy deduction while the sampled accuracy
        // stayed (+0.0), and the same 100 steps with the rewards shuffled cost 23: the update's
        // own motion. At half the rate the same 100 steps cost 0.6 and raised the sampled accuracy
        // 2.3 points (shuffled: 5.5); the rate warmed up over them did about as much (lrWarmup
        // 100: 0.9, +1.7; shuffled 4.3). Half the rate for the whole run.
        {
          name: "azr_r16_lr5e5",
          what: "the loop at half the rate (lr 5e-5)",
          own: { curriculum: "policy", lr: 5e-5 },
        },
        {
          name: "random_r16_lr5e5",
          what: "the generator's tasks at half the rate (lr 5e-5)",
          own: { curriculum: "random", lr: 5e-5 },
        },
      ].map((v) => ({
        name: `${v.name}_${type}`,
        description: `${v.what}, ${type} only${
          "lr" in v.own ? "" : ", lr 1e-4"
        }, 16 new tasks a step, the solver's 128 samples their 8 learnability rollouts each (solveOnRollouts, not in the paper)`,
        overrides: {
          lr: 1e-4,
          batchSize: 16,
          nRollouts: 8,
          solveOnRollouts: true,
          ...v.own,
          taskTypes: [type],
        },
      }))
    ),
  ],
};

/** The built-in grids. */
export const GRIDS: Record<string, z.input<typeof GridSchema>> = {
  core: {
    name: "core",
    description:
      "Does self-play improve the base? The paper's loop from the shipped base against its baselines, in the small world (2 CPU cores). Equal step budget: every variant gets the same number of solver updates.",
    preset: "default",
    // A pure step budget (the preset's 20-minute cap off); the search baseline is the same for
    // every run: 20k candidates keep each final eval short. The paper's loop: no replay (the
    // default preset's).
    base: { evalEvery: 40, searchMaxEvals: 20_000, maxMinutes: 0, replayBatch: 0, lr: GRID_LR },
    pairedWith: "base",
    variants: [
      {
        name: "untrained",
        description: "random weights, no updates",
        overrides: { init: "scratch", steps: 0 },
      },
      {
        name: "base",
        description: "the shipped base (data/base), no updates",
        overrides: { steps: 0 },
      },
      { name: "azr", description: "base + the paper's loop (paper defaults)" },
      {
        name: "solver_only",
        description: "base, frozen proposer: only the solver role is updated",
        overrides: { trainProposer: false },
      },
      {
        name: "random_tasks",
        description: "base, solver trained on the canonical generator's tasks (no proposer)",
        overrides: { curriculum: "random" },
      },
      {
        name: "azr_scratch",
        description: "random weights + the paper's loop",
        overrides: { init: "scratch" },
      },
    ],
  },
  rewards: {
    name: "rewards",
    description:
      "Reward and update variants from the base (issue 12): learnability as in the paper, chance-corrected, R-Zero's min(s, 1-s), s(1-s); the constant-output gate; RL plus cross-entropy on verified answers.",
    preset: "default",
    base: { evalEvery: 40, searchMaxEvals: 20_000, maxMinutes: 0, replayBatch: 0, lr: GRID_LR },
    variants: [
      { name: "paper", description: "learnability 1 - s (paper default)" },
      { name: "chance", overrides: { learnability: "chance" } },
      { name: "rzero", overrides: { learnability: "rzero" } },
      { name: "variance", overrides: { learnability: "variance" } },
      { name: "nonconstant", overrides: { rejectConstant: true } },
      { name: "solver_ce", overrides: { solverCe: 1 } },
    ],
  },
  tasks: {
    name: "tasks",
    description: "Which task types matter?",
    base: { replayBatch: 0, lr: GRID_LR },
    variants: [
      { name: "no_deduction", overrides: { taskTypes: ["abduction", "induction"] } },
      { name: "no_abduction", overrides: { taskTypes: ["deduction", "induction"] } },
      { name: "no_induction", overrides: { taskTypes: ["deduction", "abduction"] } },
      { name: "deduction_only", overrides: { taskTypes: ["deduction"] } },
    ],
  },
  estimator: {
    name: "estimator",
    description: "Advantage estimator: TRR++ against REINFORCE++ and GRPO.",
    base: { replayBatch: 0, lr: GRID_LR },
    variants: [
      { name: "trr_pp", description: "TRR++ (paper default)", overrides: { estimator: "trr++" } },
      { name: "reinforce_pp", description: "REINFORCE++", overrides: { estimator: "reinforce++" } },
      { name: "grpo", overrides: { estimator: "grpo" } },
    ],
  },
  references: {
    name: "references",
    description: "Do the K reference triplets shown to the proposer help?",
    base: { replayBatch: 0, lr: GRID_LR },
    variants: [
      { name: "K0", overrides: { refK: 0 } },
      { name: "K_default" },
    ],
  },
  keep: {
    name: "keep",
    description:
      "Does self-play keep what the base knows? The paper's loop from the shipped base against the fixes, each switchable (issue 20): the constant-output gate, replaying generator tasks, a KL penalty toward the base, a lower learning rate; the generator's held-out set (300 tasks per type) tracked every 200 steps and compared paired with the base. Equal wall clock: 10 minutes per run, the step counts reported.",
    preset: "default",
    base: {
      // Wall clock decides (pretrainSteps: the pre-training cell's own step count).
      steps: 100_000,
      pretrainSteps: 100_000,
      maxMinutes: 10,
      // Each eval of 900 generator tasks and the suites takes about a minute of the budget.
      evalEvery: 200,
      evalGenerator: 300,
      searchMaxEvals: 20_000,
      replayBatch: 0, // the paper's loop unless a variant adds replay
      lr: GRID_LR,
    },
    pairedWith: "base",
    variants: [
      { name: "base", description: "the shipped base, no updates", overrides: { steps: 0 } },
      { name: "azr", description: "the paper's loop (paper defaults)" },
      {
        name: "gate",
        description: "+ the constant-output gate",
        overrides: { rejectConstant: true },
      },
      {
        name: "replay",
        description: "+ 64 generator tasks replayed per step (cross-entropy, pre-training's views)",
        overrides: { replayBatch: 64 },
      },
      {
        name: "kl",
        description: "+ a KL penalty toward the base (β 0.1)",
        overrides: { klCoef: 0.1 },
      },
      {
        name: "low_lr",
        description: "learning rate 1e-4 instead of 3e-4",
        overrides: { lr: 1e-4 },
      },
      {
        name: "random_tasks",
        description: "the solver trained on the generator's tasks (no proposer), same RL",
        overrides: { curriculum: "random" },
      },
      pretrainMore({ pretrainEvalEvery: 400 }),
    ],
  },
  improve: IMPROVE,
  improve_core: {
    ...IMPROVE,
    name: "improve_core",
    description:
      "improve's question with its four central cells, for a quicker pass after a new base: the base, azr, random_tasks and pretrain_more at equal wall clock, paired with the base on the same tasks.",
    variants: IMPROVE.variants.filter((v) =>
      ["base", "azr", "random_tasks", "pretrain_more"].includes(v.name)
    ),
  },
  improve_lr: {
    ...IMPROVE,
    name: "improve_lr",
    description:
      "Is the loss of what the base knows the size of the RL step? improve_core's two RL cells (azr, random_tasks) at a tenth (3e-5) and a third (1e-4) of the learning rate, paired with the base on the same tasks.",
    variants: [
      ...IMPROVE.variants.filter((v) => v.name === "base"),
      // Rate by rate (the cells' order: the 1e-4 cells were added after the 3e-5 ones had run).
      ...["3e-5", "1e-4"].flatMap((lr) => [
        {
          name: `azr_lr${lr}`,
          description: `the paper's loop, lr ${lr}`,
          overrides: { lr: Number(lr) },
        },
        {
          name: `random_tasks_lr${lr}`,
          description: `the solver trained on the generator's tasks, same RL, lr ${lr}`,
          overrides: { curriculum: "random", lr: Number(lr) },
        },
      ]),
    ],
  },
  improve_1e4: {
    ...IMPROVE,
    name: "improve_1e4",
    description:
      "improve's question at the default preset's rate (1e-4): the base, azr, solver_only, random_tasks, replay (the default run's recipe: the loop + 64 generator tasks replayed) and pretrain_more at equal wall clock, paired with the base on the same tasks.",
    variants: [
      ...IMPROVE.variants.filter((v) => v.name === "base"),
      ...IMPROVE.variants.filter((v) =>
        ["azr", "solver_only", "random_tasks", "replay"].includes(v.name)
      ).map(
        (v) => ({
          ...v,
          name: `${v.name}_lr1e-4`,
          description: `${v.description}, lr 1e-4`,
          overrides: { ...v.overrides, lr: 1e-4 },
        }),
      ),
      ...IMPROVE.variants.filter((v) => v.name === "pretrain_more"),
    ],
  },
  rl_batch: {
    ...IMPROVE,
    name: "rl_batch",
    // 1,000 tasks per type and set: the paired intervals of improve_1e4 (300 per type) were set by
    // the tasks, not the seeds (per-seed means 1–2 points apart, the task term ±2–3.5 points).
    base: RL_BATCH_BASE,
    description:
      "Is RL's step too noisy to help? improve_1e4's RL cells (lr 1e-4) at 32 tasks per type a step (and random_tasks at 128) against the small preset's 8, at equal wall clock: the generator's tasks under RL (random_tasks), the paper's loop (azr) and the default run's recipe (replay), and the 8-task random_tasks cell with shuffled rewards (the update's mechanics alone); azr, replay and solver_only at 128, azr and replay with 128 solver tasks but 8 proposals (solverBatch), azr so with the constant-output gate, random_tasks and azr at 512 solver tasks, and pretrain_more, for the paper's question; paired with the base on the same tasks.",
    variants: [
      ...IMPROVE.variants.filter((v) => v.name === "base"),
      ...["random_tasks", "azr", "replay"].flatMap((name) => {
        const v = IMPROVE.variants.find((v) => v.name === name)!;
        return [8, 32].map((batchSize) => ({
          ...v,
          name: `${name}_b${batchSize}`,
          description: `${v.description}, lr 1e-4, ${batchSize} tasks per type a step`,
          overrides: { ...v.overrides, lr: 1e-4, batchSize },
        }));
      }),
      RANDOM_TASKS_B128,
      {
        name: "random_tasks_b8_shuffled",
        description:
          "random_tasks_b8 with each step's rewards permuted within their groups (shuffleRewards): the same update mechanics without the reward's information — what the RL step does to the base by itself",
        overrides: { curriculum: "random", lr: 1e-4, batchSize: 8, shuffleRewards: true },
      },
      // Added after the cells above had run (random_tasks gains with the batch: −6.5 / −3.2 / −1.0
      // points of held-out deduction at 8 / 32 / 128): the paper's loop, the default run's recipe
      // and the loop with a frozen proposer at 128 tasks per type a step (the paper's batch size
      // is 64).
      ...["azr", "replay", "solver_only"].map((name) => {
        const v = IMPROVE.variants.find((v) => v.name === name)!;
        return {
          ...v,
          name: `${name}_b128`,
          description: `${v.description}, lr 1e-4, 128 tasks per type a step`,
          overrides: { ...v.overrides, lr: 1e-4, batchSize: 128 },
        };
      }),
      // The paper's loop at 128 tasks a step spends it on proposals and their learnability rollouts
      // (40 steps in 5 minutes): 8 proposals per type a step, 128 solver tasks (solverBatch).
      AZR_S128,
      // azr_s128 loses deduction where random_tasks_b128 does not, and a quarter of its proposals
      // are constant programs (the generator's: a tenth): is it those?
      {
        name: "azr_s128_nonconstant",
        description:
          "azr_s128 with the constant-output gate (rejectConstant): a program with one output on the probe inputs is invalid",
        overrides: { ...AZR_S128.overrides, rejectConstant: true },
      },
      // Does the trend go on past 128 (random_tasks' deduction −6.5 / −3.2 / −1.3 at 8 / 32 / 128)?
      {
        ...RANDOM_TASKS_B128,
        name: "random_tasks_b512",
        description: RANDOM_TASKS_B128.description.replace("128 tasks", "512 tasks"),
        overrides: { ...RANDOM_TASKS_B128.overrides, batchSize: 512 },
      },
      {
        ...AZR_S128,
        name: "azr_s512",
        description: AZR_S128.description.replace("128 solver tasks", "512 solver tasks"),
        overrides: { ...AZR_S128.overrides, solverBatch: 512 },
      },
      // The default run's recipe (replay) the same way: a candidate default.
      {
        name: "replay_s128",
        description:
          "the default run's recipe (the paper's loop + 64 generator tasks replayed), lr 1e-4, 8 proposals and 128 solver tasks per type a step",
        overrides: { replayBatch: 64, lr: 1e-4, batchSize: 8, solverBatch: 128 },
      },
      // Its eval sets as the self-play cells' (pre-training scores its generator and train sets
      // with pretrainEvalTasks tasks per type).
      pretrainMore({ pretrainEvalEvery: 0, pretrainEvalTasks: 1000 }),
    ],
  },
  // Issue 20, item 4: the prediction that RL gains most where supervised targets alias, and more
  // from a base taught one drawn answer of many than from one taught the canonical answer.
  rl_targets: {
    ...IMPROVE,
    name: "rl_targets",
    description:
      "Does self-play gain more from a base trained on drawn targets? rl_batch's random_tasks_b128 and azr_s128 from a base whose last phase taught abduction's drawn input and induction's drawn program (pretrainAbductionTarget / pretrainInductionTarget 'drawn'; build it first: data/base/README.md), paired with that base on the same tasks; rl_batch has the same cells from the shipped base (canonical targets).",
    base: { ...RL_BATCH_BASE, init: "runs/targets/base-drawn" },
    variants: [
      { name: "base", description: "the drawn-target base, no updates", overrides: { steps: 0 } },
      RANDOM_TASKS_B128,
      AZR_S128,
    ],
  },
  rl_types: RL_TYPES,
  // rl_types: the loop's solver loses on the base's own proposals (28% constant on the probes,
  // 24% of one token, a fifth to a quarter longer than anything pre-training showed) where the
  // generator's tasks gain. The same deduction cells from a base whose proposer was taught further
  // (data/base/README.md, "A base taught to propose"): 13% constant, sizes like the draws. With
  // rl_types' last cell, the generator's tasks at the loop's reuse, in both grids.
  rl_propose: {
    ...RL_TYPES,
    name: "rl_propose",
    description:
      "Does the loop improve deduction once the base proposes like the generator? rl_types' deduction-only cells (the generator's tasks, the loop, the loop with the proposer frozen) from a base whose last phase weighted the proposer views and taught them only programs that are not constant on the probes (pretrainProposerTargets nonconstant; build it first: data/base/README.md), paired with that base on the same tasks.",
    base: { ...RL_TYPES.base, init: "runs/prop/base-propose" },
    variants: [
      ...RL_TYPES.variants.filter((v) =>
        [
          "base",
          "random_tasks_b128_deduction",
          "azr_s128_deduction",
          "solver_only_s128_deduction",
          "random_tasks_s128_deduction",
        ].includes(v.name)
      ),
      // Added last: the reuse costs 2–3 points; a quarter of it, at the price of the proposals'
      // learnability rollouts (a pilot, two seeds).
      {
        name: "azr_p32_s128_deduction",
        description:
          "azr_s128 on deduction only with 32 proposals a step instead of 8: each task solved about 4 times instead of 16",
        overrides: { ...AZR_S128.overrides, batchSize: 32, taskTypes: ["deduction"] },
      },
      // Added last: the frozen proposer does not drift (12–13% constant all run) and needs no
      // learnability rollouts, so it can write every step's 128 tasks fresh: the taught
      // proposer's tasks against the generator's, neither reused.
      {
        name: "solver_only_p128_deduction",
        description:
          "the base's proposer frozen, 128 fresh proposals a step for the solver's 128 tasks, deduction only: no reuse, no proposer drift",
        overrides: {
          ...AZR_S128.overrides,
          batchSize: 128,
          taskTypes: ["deduction"],
          trainProposer: false,
        },
      },
      // Added last (issue 20's positive control). From the shipped base the loop on abduction
      // alone gained +1.7 [−1.1, +4.5] where the generator's tasks gained +5.5: does it pass from
      // a base whose proposals cost nothing on deduction? And RL alone moves deduction's greedy
      // answer little (the generator's tasks fresh: +0.5) where supervised deduction gains 4 points
      // in the same minutes: the loop with a cross-entropy step on its tasks' executor-verified
      // answers (solverCe, not in the paper), still no human data.
      ...RL_TYPES.variants.filter((v) =>
        ["random_tasks_b128_abduction", "azr_s128_abduction"].includes(v.name)
      ),
      // Added last: the paper's loop as it is, on all three task types, from the taught base.
      ...RL_TYPES.variants.filter((v) => v.name === AZR_S128.name),
      {
        name: "azr_s128_deduction_ce",
        description:
          "azr_s128 on deduction only, plus a cross-entropy step on the executor-verified answers of the solver's tasks each step (solverCe 1, not in the paper)",
        overrides: { ...AZR_S128.overrides, taskTypes: ["deduction"], solverCe: 1 },
      },
    ],
  },
  // Issue 20's first must-show: the main command itself, unchanged (the default preset: 500 steps,
  // the loop + 64 replayed generator tasks, lr 1e-4), scored at its end on the grids' 1,000 tasks
  // per type and paired with the base. Run it with --minutes 20, the default's own budget.
  main: {
    name: "main",
    description:
      "Does deno task train keep what the base knows? The default preset as shipped (500 steps, the loop + 64 replayed generator tasks a step weighted as the base's recipe, lr 1e-4) and the default before (its replay spread evenly over the six views) against the base they start from, scored at their end on 1,000 tasks per type of the base's held-out set and of the set beyond its bank, paired with the base; run with --minutes 20 (the default's own budget).",
    preset: "default",
    base: {
      // The final eval only (the training is the same: evals draw their own tasks, greedily).
      evalEvery: 0,
      evalGenerator: 1000,
      evalBeyond: 1000,
      searchMaxEvals: 20_000,
    },
    pairedWith: "base",
    variants: [
      { name: "base", description: "the shipped base, no updates", overrides: { steps: 0 } },
      { name: "default", description: "deno task train as shipped" },
      // The default before this grid: its replayed tasks spread evenly over the six views (half
      // of its 64 proposer views, 11 deduction), where the base learned them weighted 4 / 3 / 3 /
      // 0.3.
      {
        name: "replay_even",
        description:
          "deno task train with its replayed tasks spread evenly over the six views (the default before the main grid)",
        overrides: { pretrainViewWeights: {} },
      },
    ],
  },
  tiny: {
    name: "tiny",
    description: "A seconds-long grid that exercises the runner (tests, notebooks).",
    preset: "tiny",
    // A generous sandbox time limit: the tests run this grid beside other runs on 2 cores, where
    // the preset's 200 ms wall clock turns load into timeouts, and two runs of one seed apart.
    base: { steps: 2, evalEvery: 1, evalLimit: 3, sandboxTimeoutMs: 2000 },
    variants: [
      { name: "azr" },
      { name: "random_tasks", overrides: { curriculum: "random" } },
    ],
  },
};

/** A built-in grid by name, or a grid JSON file; throws with what to fix. */
export async function loadGrid(nameOrPath: string): Promise<Grid> {
  let raw: unknown = GRIDS[nameOrPath];
  if (raw === undefined) {
    if (!nameOrPath.endsWith(".json")) {
      throw new Error(
        `Unknown grid '${nameOrPath}': use one of ${Object.keys(GRIDS).join(", ")} or a .json file`,
      );
    }
    try {
      raw = JSON.parse(await Deno.readTextFile(nameOrPath));
    } catch (e) {
      throw new Error(`Cannot read grid file '${nameOrPath}': ${(e as Error).message}`);
    }
  }
  const parsed = GridSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`Cannot parse grid '${nameOrPath}':\n${z.prettifyError(parsed.error)}`);
  }
  const { pairedWith } = parsed.data;
  if (pairedWith !== undefined && !parsed.data.variants.some((v) => v.name === pairedWith)) {
    throw new Error(
      `Cannot use grid '${nameOrPath}': pairedWith '${pairedWith}' is not one of its variants (${
        parsed.data.variants.map((v) => v.name).join(", ")
      })`,
    );
  }
  // Check every variant's config now, not minutes into the grid when its trainer refuses it.
  for (const v of parsed.data.variants) {
    try {
      resolveConfig({
        preset: parsed.data.preset,
        overrides: { ...parsed.data.base, ...v.overrides },
      });
    } catch (e) {
      throw new Error(
        `Cannot use grid '${nameOrPath}', variant '${v.name}': ${(e as Error).message}`,
      );
    }
  }
  return parsed.data;
}

/**
 * The grid with only the named variants (`deno task ablate --variants a,b`), in the grid's order,
 * and the variant it pairs with, which is kept unnamed: a subset is a grid of its own cells, and
 * a run of it is the same run as in the whole grid (finished cells are shared). Throws on a name
 * the grid does not have.
 */
export function selectVariants(grid: Grid, names: readonly string[]): Grid {
  const known = new Set(grid.variants.map((v) => v.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new Error(
      `Grid '${grid.name}' has no variant ${unknown.map((n) => `'${n}'`).join(", ")}; it has ${
        [...known].join(", ")
      }`,
    );
  }
  const keep = new Set([...names, ...(grid.pairedWith !== undefined ? [grid.pairedWith] : [])]);
  const variants = grid.variants.filter((v) => keep.has(v.name));
  // The summary says it is a subset (its header is the grid's name and description).
  const description =
    `${grid.description} (A subset: ${variants.length} of its ${grid.variants.length} variants, --variants.)`;
  return { ...grid, description, variants };
}
