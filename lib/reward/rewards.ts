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

/**
 * How a valid task's solve rate s̄ becomes the proposer's reward:
 *
 * | variant | reward | source |
 * |---|---|---|
 * | `paper` | `1 − s̄`, 0 when s̄ ∈ {0, 1} | the paper, eq. 4 |
 * | `official` | `1 − s̄`, −0.5 when s̄ ∈ {0, 1} | the official code |
 * | `chance` | `1 − s̃` with `s̃ = (s̄ − c) / (1 − c)`, 0 when s̃ ≤ 0 or s̃ ≥ 1 | not in the paper: `c` is the solve rate without the information the task gives (see `chanceLevel`), so a coin flip earns nothing |
 * | `rzero` | `min(s̄, 1 − s̄)` | R-Zero's uncertainty reward |
 * | `variance` | `s̄ (1 − s̄)` | the variance of a Bernoulli solve |
 */
export type LearnabilityVariant = "paper" | "official" | "chance" | "rzero" | "variance";

/** The learnability variants, for the config's enum. */
export const LEARNABILITY_VARIANTS = ["paper", "official", "chance", "rzero", "variance"] as const;

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
 * Learnability of a valid task from its solve rate s̄ (see {@linkcode LearnabilityVariant}); `chance`
 * is the c of the `chance` variant (ignored by the others). Throws when s̄ or c is not a number in
 * [0, 1] (a caller bug).
 */
export function learnabilityReward(
  rate: number,
  variant: LearnabilityVariant = "paper",
  chance = 0,
): number {
  if (!(rate >= 0 && rate <= 1)) {
    throw new Error(`learnabilityReward: solve rate must be in [0, 1], got ${rate}`);
  }
  switch (variant) {
    case "paper":
    case "official":
      if (rate === 0 || rate === 1) return variant === "official" ? -0.5 : 0;
      return 1 - rate;
    case "chance": {
      if (!(chance >= 0 && chance <= 1)) {
        throw new Error(`learnabilityReward: chance level must be in [0, 1], got ${chance}`);
      }
      if (chance === 1) return 0; // nothing is learnable above certainty
      const corrected = (rate - chance) / (1 - chance);
      return corrected <= 0 || corrected >= 1 ? 0 : 1 - corrected;
    }
    case "rzero":
      return Math.min(rate, 1 - rate);
    case "variance":
      return rate * (1 - rate);
  }
}

/**
 * The solve rate a solver gets without the information a task gives it: the share of the most
 * common value among `peers`, the answers of other tasks of the same answer type (for a `bool`
 * output about ½ or more; for ints and lists usually small). Guessing the majority answer scores
 * that much, so the `chance` learnability pays only for solving above it. 0 without peers.
 */
export function chanceLevel(peers: readonly unknown[]): number {
  if (peers.length === 0) return 0;
  const counts = new Map<string, number>();
  let best = 0;
  for (const p of peers) {
    const k = JSON.stringify(p);
    const n = (counts.get(k) ?? 0) + 1;
    counts.set(k, n);
    if (n > best) best = n;
  }
  return best / peers.length;
}

/** The proposer's reward: −1 for an invalid proposal, else the learnability of its task. */
export function proposerReward(
  outcome: ProposerOutcome,
  variant: LearnabilityVariant = "paper",
  chance = 0,
): number {
  return outcome.valid
    ? learnabilityReward(outcome.solveRate, variant, chance)
    : FORMAT_ERROR_REWARD;
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
