import assert from "node:assert/strict";
import {
  FORMAT_ERROR_REWARD,
  learnabilityReward,
  type LearnabilityVariant,
  type ProposerOutcome,
  proposerReward,
  rolloutSolveRate,
  type SolverOutcome,
  solverReward,
} from "../../lib/reward/mod.ts";

Deno.test("reward: solve rate is the fraction of correct rollouts", async (t) => {
  const cases: { correct: boolean[]; want: number; why: string }[] = [
    { correct: [false, false, false, false], want: 0, why: "never solved" },
    { correct: [true, true, true, true, true, true, true, true], want: 1, why: "always solved" },
    { correct: [true, false, false, false], want: 0.25, why: "1 of 4" },
    { correct: [false, true, true, false, true, false, false, false], want: 0.375, why: "3 of 8" },
    { correct: [true], want: 1, why: "a single greedy rollout" },
  ];
  for (const c of cases) {
    await t.step(c.why, () => assert.equal(rolloutSolveRate(c.correct), c.want));
  }
  // zero rollouts is a configuration bug (nRollouts >= 1), not a zero rate
  assert.throws(() => rolloutSolveRate([]), /nRollouts >= 1/);
});

Deno.test("reward: proposer learnability, paper and official variants", async (t) => {
  const cases: {
    outcome: ProposerOutcome;
    variant: LearnabilityVariant;
    want: number;
    why: string;
  }[] = [
    // paper: a task no rollout solves teaches nothing → 0
    { outcome: { valid: true, solveRate: 0 }, variant: "paper", want: 0, why: "never solved" },
    // paper: a task every rollout solves is too easy → 0
    { outcome: { valid: true, solveRate: 1 }, variant: "paper", want: 0, why: "always solved" },
    // 1 − s̄: a task solved 1 time in 8 is the most learnable kind
    { outcome: { valid: true, solveRate: 0.125 }, variant: "paper", want: 0.875, why: "1/8" },
    // 1 − 0.5
    { outcome: { valid: true, solveRate: 0.5 }, variant: "paper", want: 0.5, why: "half" },
    // 1 − 7/8
    { outcome: { valid: true, solveRate: 0.875 }, variant: "paper", want: 0.125, why: "7/8" },
    // official code: −0.5 instead of 0 at both ends
    { outcome: { valid: true, solveRate: 0 }, variant: "official", want: -0.5, why: "off. 0" },
    { outcome: { valid: true, solveRate: 1 }, variant: "official", want: -0.5, why: "off. 1" },
    // the official variant agrees with the paper strictly inside (0, 1)
    { outcome: { valid: true, solveRate: 0.25 }, variant: "official", want: 0.75, why: "off. 1/4" },
    // a proposal that failed validation is a format error under both variants
    { outcome: { valid: false }, variant: "paper", want: -1, why: "invalid (paper)" },
    { outcome: { valid: false }, variant: "official", want: -1, why: "invalid (official)" },
  ];
  for (const c of cases) {
    await t.step(c.why, () => assert.equal(proposerReward(c.outcome, c.variant), c.want));
  }
  // the paper variant is the default
  assert.equal(proposerReward({ valid: true, solveRate: 1 }), 0);
  assert.equal(learnabilityReward(0), 0);
  assert.equal(FORMAT_ERROR_REWARD, -1);
});

Deno.test("reward: learnability rejects a solve rate outside [0, 1]", async (t) => {
  // each of these is a caller bug: rates come from rolloutSolveRate, which stays in [0, 1]
  for (const bad of [-0.1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    await t.step(String(bad), () => {
      assert.throws(() => learnabilityReward(bad), /solve rate must be in \[0, 1\]/);
    });
  }
});

Deno.test("reward: solver gets 1 / 0 / -1", async (t) => {
  const cases: { outcome: SolverOutcome; want: number; why: string }[] = [
    // the executor says the answer is right
    { outcome: "correct", want: 1, why: "correct" },
    // a well-formed but wrong answer earns nothing
    { outcome: "incorrect", want: 0, why: "incorrect" },
    // an answer that cannot be decoded (impossible under the constrained decoder) is penalised
    { outcome: "format_error", want: -1, why: "format error" },
  ];
  for (const c of cases) await t.step(c.why, () => assert.equal(solverReward(c.outcome), c.want));
});
