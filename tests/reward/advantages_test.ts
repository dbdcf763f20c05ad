import assert from "node:assert/strict";
import {
  advantageGroups,
  computeAdvantages,
  type RewardRecord,
  shuffleRewards,
} from "../../lib/reward/mod.ts";
import { Rng } from "../../lib/rng.ts";

/** Asserts element-wise closeness; the expected numbers below were worked out by hand. */
function assertClose(got: number[], want: number[], tol = 1e-12) {
  assert.equal(got.length, want.length, "length");
  got.forEach((g, i) => {
    assert.ok(Math.abs(g - want[i]!) <= tol, `index ${i}: got ${g}, want ${want[i]}`);
  });
}

// A batch that exercises every TRR++ case: two groups with spread, one of size 1, one with σ = 0.
const BATCH: RewardRecord[] = [
  { role: "propose", task: "deduction", reward: 1 }, // 0  group PD
  { role: "solve", task: "deduction", reward: 1 }, // 1  group SD
  { role: "propose", task: "deduction", reward: 0 }, // 2  PD
  { role: "propose", task: "deduction", reward: 0 }, // 3  PD
  { role: "propose", task: "deduction", reward: 1 }, // 4  PD
  { role: "solve", task: "deduction", reward: 0 }, // 5  SD
  { role: "propose", task: "induction", reward: 0.7 }, // 6  PI (size 1)
  { role: "solve", task: "abduction", reward: 1 }, // 7  SA
  { role: "solve", task: "abduction", reward: 1 }, // 8  SA (all equal)
  { role: "propose", task: "abduction", reward: -1 }, // 9  PA
  { role: "propose", task: "abduction", reward: 0.5 }, // 10 PA
  { role: "propose", task: "abduction", reward: 0.5 }, // 11 PA
  { role: "propose", task: "abduction", reward: 0 }, // 12 PA
];

Deno.test("advantages: TRR++ normalises within each (task × role) group", () => {
  // PD = [1, 0, 0, 1]: μ = 0.5, σ = sqrt((4 × 0.25) / 4) = 0.5 → A = ±0.5 / 0.5 = ±1
  // SD = [1, 0]:       μ = 0.5, σ = 0.5 → ±1
  // PI = [0.7]:        size 1 → 0
  // SA = [1, 1]:       σ = 0 → 0, 0
  // PA = [-1, .5, .5, 0]: μ = 0, σ² = (1 + .25 + .25 + 0) / 4 = 3/8, 1/σ = sqrt(8/3) = 1.63299316...
  //   → A = -1.6329931618554523, 0.8164965809277261, 0.8164965809277261, 0
  const want = [
    1,
    1,
    -1,
    -1,
    1,
    -1,
    0,
    0,
    0,
    -1.6329931618554523,
    0.8164965809277261,
    0.8164965809277261,
    0,
  ];
  assertClose(computeAdvantages(BATCH, { estimator: "trr++", eps: 0 }), want);
});

Deno.test("advantages: TRR++ group statistics", () => {
  const groups = advantageGroups(BATCH, "trr++");
  // six keys would appear with solve/induction present; this batch has five, in first-seen order
  assert.deepEqual(groups.map((g) => g.key), [
    "propose/deduction",
    "solve/deduction",
    "propose/induction",
    "solve/abduction",
    "propose/abduction",
  ]);
  assert.deepEqual(groups.map((g) => g.indices), [[0, 2, 3, 4], [1, 5], [6], [7, 8], [
    9,
    10,
    11,
    12,
  ]]);
  assertClose(groups.map((g) => g.mean), [0.5, 0.5, 0.7, 1, 0]);
  // population σ: sqrt(3/8) = 0.6123724356957945 for the last group
  assertClose(groups.map((g) => g.std), [0.5, 0.5, 0, 0, 0.6123724356957945]);
});

Deno.test("advantages: ε enters as σ + ε", () => {
  // [1, 0]: μ = 0.5, σ = 0.5, ε = 1e-6 → ±0.5 / 0.500001 = ±0.999998000004 (= 1 / 1.000002)
  const recs: RewardRecord[] = [
    { role: "solve", task: "induction", reward: 1 },
    { role: "solve", task: "induction", reward: 0 },
  ];
  assertClose(computeAdvantages(recs, { estimator: "trr++" }), [0.999998000004, -0.999998000004]);
  assertClose(computeAdvantages(recs, { estimator: "trr++", eps: 1e-6 }), [
    0.999998000004,
    -0.999998000004,
  ]);
});

Deno.test("advantages: REINFORCE++ uses one global baseline", () => {
  // rewards [1, 0, 0.5, -1, 0.5] across roles and tasks, one group:
  // μ = 1 / 5 = 0.2; deviations 0.8, -0.2, 0.3, -1.2, 0.3; squares sum to
  // 0.64 + 0.04 + 0.09 + 1.44 + 0.09 = 2.3; σ = sqrt(2.3 / 5) = sqrt(0.46) = 0.6782329983125268
  // → A = 0.8/σ, -0.2/σ, 0.3/σ, -1.2/σ, 0.3/σ
  const recs: RewardRecord[] = [
    { role: "propose", task: "deduction", reward: 1 },
    { role: "solve", task: "abduction", reward: 0 },
    { role: "solve", task: "induction", reward: 0.5 },
    { role: "propose", task: "induction", reward: -1 },
    { role: "solve", task: "deduction", reward: 0.5 },
  ];
  const want = [
    1.179535649239177,
    -0.29488391230979427,
    0.4423258684646914,
    -1.7693034738587656,
    0.4423258684646914,
  ];
  assertClose(computeAdvantages(recs, { estimator: "reinforce++", eps: 0 }), want);
  // the same records under TRR++ are five groups of size 1: all zeros
  assertClose(computeAdvantages(recs, { estimator: "trr++", eps: 0 }), [0, 0, 0, 0, 0]);
});

Deno.test("advantages: GRPO uses one baseline per prompt", () => {
  // p1 = [1, 0, 0, 0] (interleaved with others): μ = 0.25, σ² = (0.5625 + 3 × 0.0625) / 4 = 0.1875,
  //   σ = sqrt(3)/4 → A = 0.75 / σ = sqrt(3) = 1.7320508075688772, -0.25 / σ = -1/sqrt(3)
  // p2 = [1, 1]: σ = 0 → 0, 0
  // p3 = [0]: size 1 → 0
  // "p1" under the propose role is a different prompt from "p1" under solve → its own group → 0
  const recs: RewardRecord[] = [
    { role: "solve", task: "deduction", reward: 1, group: "p1" },
    { role: "solve", task: "deduction", reward: 1, group: "p2" },
    { role: "solve", task: "deduction", reward: 0, group: "p1" },
    { role: "solve", task: "abduction", reward: 0, group: "p3" },
    { role: "solve", task: "deduction", reward: 0, group: "p1" },
    { role: "solve", task: "deduction", reward: 1, group: "p2" },
    { role: "solve", task: "deduction", reward: 0, group: "p1" },
    { role: "propose", task: "deduction", reward: 0.5, group: "p1" },
  ];
  const third = -0.5773502691896258;
  assertClose(computeAdvantages(recs, { estimator: "grpo", eps: 0 }), [
    1.7320508075688772,
    0,
    third,
    0,
    third,
    0,
    third,
    0,
  ]);
});

Deno.test("advantages: bad input is a loud error; empty batch is empty", async (t) => {
  await t.step("grpo without group", () => {
    assert.throws(
      () =>
        computeAdvantages([
          { role: "solve", task: "deduction", reward: 1, group: "a" },
          { role: "solve", task: "deduction", reward: 0 },
        ], { estimator: "grpo" }),
      /needs a 'group'.*record 1 has none/,
    );
  });
  await t.step("NaN reward", () => {
    assert.throws(
      () =>
        computeAdvantages([{ role: "solve", task: "deduction", reward: NaN }], {
          estimator: "trr++",
        }),
      /record 0 has a non-finite reward/,
    );
  });
  await t.step("negative eps", () => {
    assert.throws(() => computeAdvantages([], { estimator: "trr++", eps: -1 }), /eps must be/);
  });
  await t.step("empty", () => {
    assert.deepEqual(computeAdvantages([], { estimator: "reinforce++" }), []);
  });
});

Deno.test("shuffleRewards: a permutation within each (role × task) group, the input untouched", () => {
  const records: RewardRecord[] = [
    ...[1, 1, 0, 0, 0, 1, 0, 0].map((reward) => ({ role: "solve", task: "deduction", reward })),
    ...[0.5, 0, 0.25].map((reward) => ({ role: "propose", task: "deduction", reward })),
    ...[1, 0, 0, 0].map((reward) => ({ role: "solve", task: "induction", reward })),
  ] as RewardRecord[];
  const before = JSON.stringify(records);
  const rewardsOf = (rs: readonly RewardRecord[], role: string, task: string) =>
    rs.filter((r) => r.role === role && r.task === task).map((r) => r.reward);
  let moved = 0;
  for (let seed = 0; seed < 20; seed++) {
    const out = shuffleRewards(records, new Rng(seed));
    assert.equal(JSON.stringify(records), before);
    // Roles and tasks stay where they were; each group keeps its multiset of rewards.
    assert.deepEqual(out.map((r) => [r.role, r.task]), records.map((r) => [r.role, r.task]));
    for (
      const [role, task] of [["solve", "deduction"], ["propose", "deduction"], [
        "solve",
        "induction",
      ]]
    ) {
      assert.deepEqual(
        rewardsOf(out, role!, task!).toSorted(),
        rewardsOf(records, role!, task!).toSorted(),
      );
    }
    // So the advantages' group statistics are unchanged.
    assert.deepEqual(
      advantageGroups(out, "trr++").map((g) => [g.mean, g.std]),
      advantageGroups(records, "trr++").map((g) => [g.mean, g.std]),
    );
    if (out.some((r, i) => r.reward !== records[i]!.reward)) moved++;
  }
  // And which rollout holds which reward is drawn anew (20 seeds: all but a rare identity).
  assert.ok(moved >= 18, `${moved} of 20 shuffles moved a reward`);
});
