import assert from "node:assert/strict";
import {
  chanceLevel,
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

Deno.test("reward: chance-corrected and variance learnability, by hand", async (t) => {
  const cases: {
    rate: number;
    variant: LearnabilityVariant;
    chance?: number;
    want: number;
    why: string;
  }[] = [
    // coin flip: a bool task solved half the time by a solver that guesses (c = ½) earns nothing
    { rate: 0.5, variant: "chance", chance: 0.5, want: 0, why: "coin flip at chance" },
    // below chance: s̃ = (0.25 − 0.5) / 0.5 < 0 → 0
    { rate: 0.25, variant: "chance", chance: 0.5, want: 0, why: "below chance" },
    // s̃ = (0.75 − 0.5) / 0.5 = 0.5 → 1 − 0.5
    { rate: 0.75, variant: "chance", chance: 0.5, want: 0.5, why: "¾ on a bool" },
    // s̃ = (0.625 − 0.25) / 0.75 = 0.5 → 0.5
    { rate: 0.625, variant: "chance", chance: 0.25, want: 0.5, why: "5/8 at c = ¼" },
    // always solved: s̃ = 1 → 0
    { rate: 1, variant: "chance", chance: 0.5, want: 0, why: "always solved" },
    // c = 0 is the paper's rule: 1 − 1/8
    { rate: 0.125, variant: "chance", chance: 0, want: 0.875, why: "c = 0 → paper" },
    // R-Zero: min(s̄, 1 − s̄)
    { rate: 0.25, variant: "rzero", want: 0.25, why: "rzero ¼" },
    { rate: 0.5, variant: "rzero", want: 0.5, why: "rzero ½ (the peak)" },
    { rate: 1, variant: "rzero", want: 0, why: "rzero 1" },
    // s̄ (1 − s̄)
    { rate: 0.5, variant: "variance", want: 0.25, why: "variance ½" },
    { rate: 0.125, variant: "variance", want: 0.109375, why: "variance 1/8 = 7/64" },
    { rate: 0, variant: "variance", want: 0, why: "variance 0" },
  ];
  for (const c of cases) {
    await t.step(c.why, () => {
      assert.ok(Math.abs(learnabilityReward(c.rate, c.variant, c.chance) - c.want) < 1e-12);
    });
  }
  assert.throws(() => learnabilityReward(0.5, "chance", 1.5), /chance level must be in \[0, 1\]/);
  assert.equal(proposerReward({ valid: false }, "chance", 0.5), -1);
  // at c = 1 nothing can beat chance
  assert.equal(learnabilityReward(1, "chance", 1), 0);
});

Deno.test("reward: the chance level is the majority answer's share among peers", () => {
  // 3 of 4 peers answer true → guessing true solves ¾
  assert.equal(chanceLevel([true, true, false, true]), 0.75);
  // lists compare by value: [1,2] twice of 5
  assert.equal(chanceLevel([[1, 2], [2, 1], [1, 2], [], [3]]), 0.4);
  assert.equal(chanceLevel([]), 0);
  assert.equal(chanceLevel([7]), 1);
});
