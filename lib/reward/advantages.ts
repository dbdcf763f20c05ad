/**
 * Advantages from rewards, three estimators:
 *
 * - `trr++` — Task-Relative REINFORCE++ (the paper's): six baselines, one per (task type × role);
 *   `A = (r − μ) / (σ + ε)` with μ, σ computed within each group of the batch.
 * - `reinforce++` — one global baseline: μ, σ over the whole batch.
 * - `grpo` — one baseline per prompt: μ, σ over the rollouts that share a `group` (prompt id).
 *
 * Choices, the same for all three:
 * - σ is the **population** standard deviation (divide by n, not n − 1), so it is defined for every
 *   group size; a group of size 1 then has σ = 0 and r = μ, so its advantage is 0 — one sample
 *   carries no baseline-relative signal.
 * - A group whose rewards are all equal (σ = 0) gets advantage exactly 0 for every member (set
 *   explicitly, not left to floating-point `r − μ`, which may be a rounding residue).
 * - ε (default {@linkcode DEFAULT_ADVANTAGE_EPS} = 1e-6) only guards the division; with σ ≥ the
 *   reward scale it changes advantages by about ε/σ relative.
 *
 * @example
 * ```ts
 * import { computeAdvantages } from "./advantages.ts";
 * const adv = computeAdvantages([
 *   { role: "solve", task: "deduction", reward: 1 },
 *   { role: "solve", task: "deduction", reward: 0 },
 *   { role: "propose", task: "induction", reward: 0.5 },
 * ], { estimator: "trr++" });
 * // ≈ [1, -1, 0]: the induction proposer is alone in its group
 * ```
 * @module
 */
import type { Rng } from "../rng.ts";
import type { TaskType } from "../task_types.ts";

/** The two roles of the one model. */
export type RewardRole = "propose" | "solve";

/** Which baseline the advantages are relative to. */
export type AdvantageEstimator = "trr++" | "reinforce++" | "grpo";

/** Default ε in `A = (r − μ) / (σ + ε)`. */
export const DEFAULT_ADVANTAGE_EPS = 1e-6;

/** One sampled sequence's reward, with what decides its group. */
export interface RewardRecord {
  role: RewardRole;
  task: TaskType;
  /** The sequence's scalar reward. */
  reward: number;
  /** Prompt id: rollouts of the same prompt share it (required by `grpo`, ignored otherwise). */
  group?: string;
}

/** Options of {@linkcode computeAdvantages}. */
export interface AdvantageOptions {
  estimator: AdvantageEstimator;
  /** ε added to σ before dividing (default 1e-6); must be ≥ 0. */
  eps?: number;
}

/** One baseline group: which records it holds and its statistics. */
export interface AdvantageGroup {
  /** `role/task` for trr++, `all` for reinforce++, `role/task/group` for grpo. */
  key: string;
  /** Indices into the input records, ascending. */
  indices: number[];
  /** Mean reward μ of the group. */
  mean: number;
  /** Population standard deviation σ of the group's rewards. */
  std: number;
}

/**
 * The baseline groups of a batch under an estimator, in order of first appearance, with μ and σ.
 * Throws (a caller bug) on a non-finite reward or, for `grpo`, a record without `group`.
 */
export function advantageGroups(
  records: readonly RewardRecord[],
  estimator: AdvantageEstimator,
): AdvantageGroup[] {
  const byKey = new Map<string, number[]>();
  records.forEach((rec, i) => {
    if (!Number.isFinite(rec.reward)) {
      throw new Error(`advantages: record ${i} has a non-finite reward (${rec.reward})`);
    }
    const key = groupKey(rec, i, estimator);
    const indices = byKey.get(key);
    if (indices) indices.push(i);
    else byKey.set(key, [i]);
  });
  return [...byKey].map(([key, indices]) => {
    const rewards = indices.map((i) => records[i]!.reward);
    const mean = rewards.reduce((a, b) => a + b, 0) / rewards.length;
    const variance = rewards.reduce((a, r) => a + (r - mean) ** 2, 0) / rewards.length;
    return { key, indices, mean, std: Math.sqrt(variance) };
  });
}

/**
 * Advantages `A = (r − μ) / (σ + ε)` of every record, in input order, with μ and σ taken over
 * the record's baseline group (see the module doc for the groups and the σ = 0 rule).
 */
export function computeAdvantages(
  records: readonly RewardRecord[],
  opts: AdvantageOptions,
): number[] {
  const eps = opts.eps ?? DEFAULT_ADVANTAGE_EPS;
  if (!(eps >= 0) || !Number.isFinite(eps)) {
    throw new Error(`computeAdvantages: eps must be a finite number >= 0, got ${eps}`);
  }
  const out = new Array<number>(records.length).fill(0);
  for (const g of advantageGroups(records, opts.estimator)) {
    const rewards = g.indices.map((i) => records[i]!.reward);
    if (rewards.every((r) => r === rewards[0])) continue; // σ = 0: all zeros, already filled
    for (const i of g.indices) out[i] = (records[i]!.reward - g.mean) / (g.std + eps);
  }
  return out;
}

function groupKey(rec: RewardRecord, i: number, estimator: AdvantageEstimator): string {
  switch (estimator) {
    case "trr++":
      return `${rec.role}/${rec.task}`;
    case "reinforce++":
      return "all";
    case "grpo":
      if (rec.group === undefined) {
        throw new Error(
          `computeAdvantages: estimator 'grpo' needs a 'group' (prompt id) on every record; ` +
            `record ${i} has none`,
        );
      }
      return `${rec.role}/${rec.task}/${rec.group}`;
  }
}

/**
 * A control, not in the paper: the records with their rewards permuted at random within each
 * (role × task type) group — the groups `trr++` takes its baselines over. Each group keeps its
 * rewards (so μ, σ and the share of positive advantages), each rollout gets one drawn from its
 * group's: the update keeps its mechanics (what is sampled, how sharp, how big a step) and loses
 * what the reward says about which rollout was right. Returns new records; the input is not changed.
 */
export function shuffleRewards(records: readonly RewardRecord[], rng: Rng): RewardRecord[] {
  const out = records.map((r) => ({ ...r }));
  for (const g of advantageGroups(records, "trr++")) {
    const order = rng.sample(g.indices, g.indices.length);
    g.indices.forEach((i, k) => out[i]!.reward = records[order[k]!]!.reward);
  }
  return out;
}
