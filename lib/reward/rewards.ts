/**
 * Rewards of Absolute Zero (arXiv 2505.03335, eq. 4–6) as plain functions: numbers in, numbers out.
 *
 * - Proposer: the learnability of its task, `r = 0 if s̄ ∈ {0, 1} else 1 − s̄`, where s̄ is the
 *   mean solve rate of n solver rollouts on the proposed task. The official code's variant gives
 *   −0.5 instead of 0 to a valid task that is always or never solved.
 * - Solver: 1 if its answer is correct, else 0.
 * - Format error: −1 for a proposal that fails validation, or an answer that cannot be decoded
 *   (with the constrained decoder that cannot happen, but the function stays total).
 *
 * @example
 * ```ts
 * import { proposerReward, rolloutSolveRate, solverReward } from "./rewards.ts";
 * const rate = rolloutSolveRate([true, false, false, false]); // 0.25
 * proposerReward({ valid: true, solveRate: rate }); // 0.75
 * proposerReward({ valid: false }); // -1
 * solverReward("correct"); // 1
 * ```
 * @module
 */

/** The reward of a proposal that failed validation, or of an undecodable answer. */
export const FORMAT_ERROR_REWARD = -1;

/** `paper`: 0 for tasks always or never solved; `official`: −0.5 for those (official code). */
export type LearnabilityVariant = "paper" | "official";

/** What became of one proposal: failed validation, or valid with a measured solve rate. */
export type ProposerOutcome =
  | { valid: false }
  | { valid: true; /** Mean solve rate of the rollouts, in [0, 1]. */ solveRate: number };

/** What became of one solver answer. */
export type SolverOutcome = "correct" | "incorrect" | "format_error";

/**
 * Mean solve rate s̄ of n rollouts (each correct or not), in [0, 1].
 * Throws for zero rollouts: learnability is undefined without any (nRollouts must be ≥ 1).
 */
export function rolloutSolveRate(correct: readonly boolean[]): number {
  if (correct.length === 0) {
    throw new Error("rolloutSolveRate: no rollouts given; learnability needs nRollouts >= 1");
  }
  let k = 0;
  for (const c of correct) if (c) k++;
  return k / correct.length;
}

/**
 * Learnability of a valid task from its solve rate s̄: `1 − s̄` when 0 < s̄ < 1; for s̄ = 0 or 1,
 * 0 (`paper`) or −0.5 (`official`). Throws when s̄ is not a number in [0, 1] (a caller bug).
 */
export function learnabilityReward(rate: number, variant: LearnabilityVariant = "paper"): number {
  if (!(rate >= 0 && rate <= 1)) {
    throw new Error(`learnabilityReward: solve rate must be in [0, 1], got ${rate}`);
  }
  if (rate === 0 || rate === 1) return variant === "official" ? -0.5 : 0;
  return 1 - rate;
}

/** The proposer's reward: −1 for an invalid proposal, else the learnability of its task. */
export function proposerReward(
  outcome: ProposerOutcome,
  variant: LearnabilityVariant = "paper",
): number {
  return outcome.valid ? learnabilityReward(outcome.solveRate, variant) : FORMAT_ERROR_REWARD;
}

/** The solver's reward: 1 if correct, 0 if wrong, −1 if the answer could not be decoded. */
export function solverReward(outcome: SolverOutcome): number {
  switch (outcome) {
    case "correct":
      return 1;
    case "incorrect":
      return 0;
    case "format_error":
      return FORMAT_ERROR_REWARD;
  }
}
