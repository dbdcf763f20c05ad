import assert from "node:assert/strict";
import {
  gainDifference,
  gainDifferenceByTaskType,
  outcomeGroup,
  pairedByTaskType,
  pairedDifference,
  scoresByTask,
} from "../../lib/eval/paired.ts";
import type { TaskOutcome } from "../../lib/eval/evaluate.ts";
import { Rng } from "../../lib/rng.ts";

const map = (xs: readonly number[]) => new Map(xs.map((x, i) => [`t${i}`, x]));

Deno.test("pairedDifference: mean and interval over seeds and tasks; identical models differ by exactly 0", () => {
  const base = map([0, 1, 0, 0.5]);
  const v = map([1, 1, 1, 0.5]); // +1 on two tasks of four on every seed
  const d = pairedDifference([v, v, v], base, { resamples: 500 });
  assert.equal(d.seeds, 3);
  assert.equal(d.tasks, 4);
  assert.equal(d.mean, 0.5);
  assert.equal(d.variant, 0.875);
  assert.equal(d.base, 0.375);
  // Tasks resampled: the interval spans how the +1s fall, within [0, 1].
  assert.ok(d.lo >= 0 && d.hi <= 1 && d.lo < 0.5 && d.hi > 0.5, JSON.stringify(d));
  const same = pairedDifference([base], base);
  assert.deepEqual([same.mean, same.lo, same.hi], [0, 0, 0]);
});

Deno.test("pairedDifference: the interval matches the normal approximation on a large sample", () => {
  // One seed, 400 tasks: +1 on a random half, 0 elsewhere. SE of the mean = sqrt(p(1-p)/n).
  const rng = new Rng(3);
  const n = 400;
  const flips = Array.from({ length: n }, () => (rng.next() < 0.5 ? 1 : 0));
  const base = map(Array(n).fill(0));
  const d = pairedDifference([map(flips)], base, { resamples: 4000 });
  const p = d.mean;
  const half = 1.96 * Math.sqrt((p * (1 - p)) / n);
  assert.ok(Math.abs(d.hi - d.lo - 2 * half) < 0.015, `${d.lo}..${d.hi} vs ±${half}`);
  assert.ok(Math.abs((d.lo + d.hi) / 2 - p) < 0.01);
});

Deno.test("pairedDifference: pairing sees what two unpaired intervals cannot", () => {
  // 300 tasks of mixed difficulty; the variant solves what the base solves plus 3% more.
  const rng = new Rng(9);
  const n = 300;
  const base = Array.from({ length: n }, () => (rng.next() < 0.4 ? 1 : 0));
  const variant = base.map((b, i) => (b === 0 && i % 20 === 0 ? 1 : b));
  const d = pairedDifference([map(variant)], map(base));
  assert.ok(d.lo > 0, `paired interval excludes 0: ${d.lo}..${d.hi}`);
  // Unpaired 95% intervals of the two accuracies overlap.
  const se = (xs: number[]) => {
    const p = xs.reduce((a, b) => a + b, 0) / xs.length;
    return [p, 1.96 * Math.sqrt((p * (1 - p)) / xs.length)] as const;
  };
  const [pb, hb] = se(base);
  const [pv, hv] = se(variant);
  assert.ok(pb + hb > pv - hv, "the unpaired intervals overlap");
});

Deno.test("pairedDifference: the interval's seed and task parts say which factor sets its width", () => {
  const n = 200;
  const zeros = map(Array(n).fill(0));
  // Seeds disagree, tasks do not: two seeds +1 everywhere, two seeds 0 everywhere. Every task's
  // mean over seeds is 0.5, so resampling tasks alone cannot move the mean.
  const ones = map(Array(n).fill(1));
  const bySeed = pairedDifference([ones, ones, zeros, zeros], zeros, { resamples: 1000 });
  assert.equal(bySeed.taskHalfWidth, 0);
  assert.ok(bySeed.seedHalfWidth >= 0.25, JSON.stringify(bySeed));
  // Tasks disagree, seeds do not: every seed +1 on the same half of the tasks. Resampling seeds
  // alone cannot move the mean; the task part is the binomial one, 1.96 · sqrt(p(1 − p)/n).
  const half = map(Array.from({ length: n }, (_, i) => i % 2));
  const byTask = pairedDifference([half, half, half, half], zeros, { resamples: 4000 });
  assert.equal(byTask.seedHalfWidth, 0);
  const expected = 1.96 * Math.sqrt(0.25 / n);
  assert.ok(
    Math.abs(byTask.taskHalfWidth - expected) < 0.01,
    `${byTask.taskHalfWidth} vs ${expected}`,
  );
  // The crossed interval holds both: here it is the task part.
  assert.ok(Math.abs((byTask.hi - byTask.lo) / 2 - byTask.taskHalfWidth) < 0.01);
});

Deno.test("pairedDifference: per-seed bases, and tasks that do not match are an error", () => {
  const d = pairedDifference([map([1, 1]), map([0, 1])], [map([0, 1]), map([0, 0])]);
  // Seed 0: +1, 0; seed 1: 0, +1 → mean 0.5.
  assert.equal(d.mean, 0.5);
  assert.throws(
    () => pairedDifference([map([1])], map([0, 1])),
    /seed 0 is not scored on the base's tasks \(missing 't1'\)/,
  );
  assert.throws(
    () => pairedDifference([map([1, 1, 1])], map([0, 1])),
    /extra 't2'/,
  );
  assert.throws(() => pairedDifference([], map([0])), /no variant seeds/);
});

Deno.test("scoresByTask: outcomes keyed by suite and id, per task type", () => {
  const m = scoresByTask([
    { suite: "a", id: "x", task: "deduction", score: 1, answer: "" },
    { suite: "b", id: "x", task: "deduction", score: 0, answer: "" },
    { suite: "a", id: "y", task: "induction", score: 0.5, answer: "" },
  ]);
  assert.deepEqual([...m.get("deduction")!], [["a/x", 1], ["b/x", 0]]);
  assert.deepEqual([...m.get("induction")!], [["a/y", 0.5]]);
});

Deno.test("pairedByTaskType --by size / signature: the rows split a task type, means by hand", () => {
  const o = (
    id: string,
    task: TaskOutcome["task"],
    score: number,
    size?: number,
    signature?: string,
  ) =>
    ({
      suite: "g",
      id,
      task,
      score,
      answer: "",
      ...(size === undefined ? {} : { size }),
      ...(signature === undefined ? {} : { signature }),
    }) as TaskOutcome;
  const base = [
    o("a", "deduction", 1, 2, "(int) -> int"),
    o("b", "deduction", 0, 2, "(int[]) -> int"),
    o("c", "deduction", 0, 5, "(int) -> int"),
    o("d", "abduction", 1, 3, "(int) -> bool"),
    o("e", "abduction", 1), // written before sizes and signatures were kept
  ];
  // Two seeds: a gains nothing, b gains on one seed, c gains on both; d loses on one, e on both.
  const seeds = [
    [1, 1, 1, 0, 0],
    [1, 0, 1, 1, 0],
  ].map((scores) => base.map((t, i) => ({ ...t, score: scores[i]! })));
  assert.equal(outcomeGroup(base[0]!, "size"), "deduction size 2");
  assert.equal(outcomeGroup(base[1]!, "signature"), "deduction (int[]) -> int");
  assert.equal(outcomeGroup(base[4]!, "size"), "abduction ?");
  const rows = (by: "type" | "size" | "signature") =>
    pairedByTaskType(seeds, [base], by).map((r) => [r.task, r.diff.mean, r.diff.tasks]);
  // by type: deduction (0 + 1/2 + 1) / 3, abduction (−1/2 − 1) / 2
  assert.deepEqual(rows("type"), [["deduction", 0.5, 3], ["abduction", -0.75, 2]]);
  // size 2: a 0, b +1/2; size 5: c +1; size 3: d −1/2; unknown: e −1. Sizes in numeric order.
  assert.deepEqual(rows("size"), [
    ["deduction size 2", 0.25, 2],
    ["deduction size 5", 1, 1],
    ["abduction size 3", -0.5, 1],
    ["abduction ?", -1, 1],
  ]);
  assert.deepEqual(rows("signature"), [
    ["deduction (int) -> int", 0.5, 2],
    ["deduction (int[]) -> int", 0.5, 1],
    ["abduction (int) -> bool", -0.5, 1],
    ["abduction ?", -1, 1],
  ]);
  // Two gains on the same groups: a variant against itself gains 0 in every group.
  const same = gainDifferenceByTaskType(
    { variant: seeds, base: [base] },
    { variant: seeds, base: [base] },
    "size",
  );
  assert.equal(same.length, 4);
  for (const r of same) assert.equal(r.diff.mean, 0);
});

Deno.test("gainDifference: the difference of two gains on the same tasks, by hand", () => {
  const m = (...xs: number[]) => new Map(xs.map((x, i) => [`t${i}`, x]));
  // Arm a gains on t0 and t1 (+2/4), arm b on t2 only (+1/4): the gains differ by +1/4.
  const a = { variant: [m(1, 1, 1, 1)], base: m(0, 0, 1, 1) };
  const b = { variant: [m(0, 1, 1, 1)], base: m(0, 1, 0, 1) };
  const d = gainDifference(a, b);
  assert.equal(d.variant, 0.5);
  assert.equal(d.base, 0.25);
  assert.equal(d.mean, 0.25);
  assert.ok(d.lo <= 0.25 && d.hi >= 0.25 && d.lo < d.hi);
  // The same gain on both sides differs by exactly 0.
  const same = gainDifference(a, a);
  assert.deepEqual([same.mean, same.lo, same.hi], [0, 0, 0]);
  // Seed counts and task sets must match.
  assert.throws(
    () => gainDifference({ ...a, variant: [m(1, 1, 1, 1), m(1, 1, 1, 1)] }, b),
    /2 seeds/,
  );
  assert.throws(
    () => gainDifference(a, { variant: [m(0, 1, 1)], base: m(0, 1, 0) }),
    /scores 4 tasks on one side and 3/,
  );
});

Deno.test("gainDifference: with one shared base, the two gains' difference is the variants' own paired difference", () => {
  const rng = new Rng(7);
  const scores = (p: number) =>
    new Map(Array.from({ length: 200 }, (_, i) => [`t${i}`, rng.next() < p ? 1 : 0]));
  const base = scores(0.5);
  const [va, vb] = [[scores(0.6), scores(0.55), scores(0.6)], [
    scores(0.5),
    scores(0.45),
    scores(0.5),
  ]];
  const did = gainDifference({ variant: va, base }, { variant: vb, base });
  const direct = pairedDifference(va, vb);
  assert.ok(Math.abs(did.mean - direct.mean) < 1e-12);
  assert.deepEqual([did.lo, did.hi], [direct.lo, direct.hi]);
});
