/**
 * Sampling headroom: pass@j by the unbiased estimator, checked against counting every j-subset of
 * the samples, and `sampledCorrect` with `headroomRows` on a scripted policy (it answers with programs written in
 * the test) whose answers the real sandbox scores.
 */
import assert from "node:assert/strict";
import {
  headroomRows,
  passAt,
  passAtLevels,
  sampledCorrect,
  sampledOutcomes,
} from "../../lib/eval/pass_at.ts";
import { createSandbox } from "../../lib/sandbox/mod.ts";
import type { InductionRecord } from "../../lib/tasks/records.ts";
import {
  IDENTITY,
  LIST_SIG as SIG,
  OPTS,
  REVERSE,
  scripted,
  SORT,
  SORT_RECORD,
  tokens,
} from "./scripted_policy.ts";

/** Share of the j-subsets of n samples (the first c right) that hold a right one, by counting. */
function bySubsets(n: number, c: number, j: number): number {
  let hit = 0;
  let all = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    let bits = 0;
    for (let i = 0; i < n; i++) bits += (mask >> i) & 1;
    if (bits !== j) continue;
    all++;
    if ((mask & ((1 << c) - 1)) !== 0) hit++;
  }
  return hit / all;
}

Deno.test("passAt is the share of j-subsets of the samples that hold a right answer", () => {
  for (let n = 1; n <= 8; n++) {
    for (let c = 0; c <= n; c++) {
      for (let j = 1; j <= n; j++) {
        assert.ok(
          Math.abs(passAt(n, c, j) - bySubsets(n, c, j)) < 1e-12,
          `n=${n} c=${c} j=${j}: ${passAt(n, c, j)} vs ${bySubsets(n, c, j)}`,
        );
      }
    }
  }
  assert.equal(passAt(4, 1, 1), 0.25);
  assert.throws(() => passAt(4, 5, 1), /0 ≤ c ≤ n/);
  assert.throws(() => passAt(4, 1, 0), /1 ≤ j ≤ n/);
  assert.throws(() => passAt(4, 1.5, 1), /integers/);
  assert.deepEqual(passAtLevels(8), [1, 2, 4, 8]);
  assert.deepEqual(passAtLevels(6), [1, 2, 4, 6]);
  assert.deepEqual(passAtLevels(1), [1]);
});

/** Induction records: the first is sort (hidden pairs unsorted), the second identity. */
const RECORDS: InductionRecord[] = [
  SORT_RECORD,
  {
    task: "induction",
    program: IDENTITY,
    tokens: tokens(IDENTITY),
    signature: SIG.name,
    step: -1,
    examples: [
      { input: [[1, 2]], output: [1, 2] },
      { input: [[2, 1]], output: [2, 1] },
    ],
    shown: 1,
  },
];

Deno.test("sampledCorrect and headroomRows: k samples a task, scored on the hidden pairs, pass@j averaged", async () => {
  await using executor = await createSandbox({ poolSize: 1 });
  // Each task gets the same four answers. Sort: only SORT passes its hidden pairs (REVERSE fits
  // [2,1] → [1,2] but not [3,-1,0]) → 1 of 4. Identity: the two IDENTITY answers → 2 of 4.
  const script = [SORT, IDENTITY, IDENTITY, REVERSE].map(tokens);
  const correct = await sampledCorrect(scripted(script), executor, RECORDS, {
    ...OPTS,
    k: 4,
    seed: 0,
    chunk: 3, // below k: one task per sampling call
  });
  assert.deepEqual(correct, [1, 2]);
  const rows = headroomRows(RECORDS, correct, 4);
  assert.equal(rows.length, 1);
  const [row] = rows;
  assert.equal(row!.task, "induction");
  assert.equal(row!.n, 2);
  assert.equal(row!.k, 4);
  assert.ok(Math.abs(row!.sampled - (1 / 4 + 2 / 4) / 2) < 1e-12);
  // pass@2: sort 1 − C(3,2)/C(4,2) = 1/2; identity 1 − C(2,2)/C(4,2) = 5/6.
  const want: Record<number, number> = { 1: 0.375, 2: (1 / 2 + 5 / 6) / 2, 4: 1 };
  assert.deepEqual(Object.keys(row!.passAt).map(Number), [1, 2, 4]);
  for (const [j, p] of Object.entries(want)) {
    assert.ok(Math.abs(row!.passAt[Number(j)]! - p) < 1e-12, `pass@${j} ${row!.passAt[Number(j)]}`);
  }
  // A wrong answer every time: nothing to collect.
  const never = await sampledCorrect(scripted([tokens(REVERSE)]), executor, RECORDS, {
    ...OPTS,
    k: 2,
    seed: 0,
  });
  assert.deepEqual(headroomRows(RECORDS, never, 2)[0]!.passAt, { 1: 0, 2: 0 });
  await assert.rejects(
    () => sampledCorrect(scripted(script), executor, RECORDS, { ...OPTS, k: 0, seed: 0 }),
    /positive integer/,
  );
});

Deno.test("sampledOutcomes: a task's share of right samples over all its queries, keyed as greedy outcomes", () => {
  // Task a has two queries (3 and 1 of 4 samples right), task b one (0 of 4).
  const a = {
    suite: "gen",
    id: "a",
    task: "deduction" as const,
    size: 3,
    signature: "(int) -> int",
  };
  const b = { suite: "gen", id: "b", task: "deduction" as const };
  const out = sampledOutcomes([a, a, b], [3, 1, 0], 4);
  assert.deepEqual(out, [
    { ...a, score: 0.5, answer: "4 of 8 samples right" },
    { suite: "gen", id: "b", task: "deduction", score: 0, answer: "0 of 4 samples right" },
  ]);
  assert.throws(() => sampledOutcomes([a, b], [1], 4), /1 counts for 2 records/);
  assert.throws(() => headroomRows(RECORDS, [1], 4), /1 counts for 2 records/);
});

Deno.test("deno task eval --passAt: the shipped base's samples beside its greedy answers", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "lib/eval/main.ts",
      "--checkpoint=data/base",
      "--limit=3",
      "--passAt=4",
      "--search=0",
      "--json",
    ],
    cwd: new URL("../../", import.meta.url).pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  assert.equal(out.code, 0, text(out.stderr));
  const report = JSON.parse(text(out.stdout)) as {
    counts: Record<string, { k: number; n: number }>;
    passAt: {
      task: string;
      n: number;
      k: number;
      sampled: number;
      passAt: Record<string, number>;
    }[];
    outcomes: { suite: string; id: string; task: string; size?: number }[];
    sampledOutcomes: {
      suite: string;
      id: string;
      task: string;
      score: number;
      answer: string;
      size?: number;
    }[];
  };
  // Per task, keyed (and sized) as the greedy outcomes; weighted by its samples, the tasks' shares
  // give back each type's sampled accuracy, which averages over queries.
  const key = (o: { suite: string; id: string; size?: number }) => `${o.suite}/${o.id}/${o.size}`;
  assert.deepEqual(report.sampledOutcomes.map(key), report.outcomes.map(key));
  for (const r of report.passAt) {
    let right = 0;
    let samples = 0;
    for (const o of report.sampledOutcomes.filter((o) => o.task === r.task)) {
      const m = /^(\d+) of (\d+) samples right$/.exec(o.answer);
      assert.ok(m, o.answer);
      assert.ok(Math.abs(o.score - Number(m[1]) / Number(m[2])) < 1e-12, o.answer);
      right += Number(m[1]);
      samples += Number(m[2]);
    }
    assert.equal(samples, r.n * r.k, r.task);
    assert.ok(Math.abs(right / samples - r.sampled) < 1e-12, r.task);
  }
  // One row per task type, over the same queries the greedy eval scored.
  assert.deepEqual(report.passAt.map((r) => r.task), ["deduction", "abduction", "induction"]);
  for (const r of report.passAt) {
    assert.equal(r.n, report.counts[r.task]!.n, r.task);
    assert.equal(r.k, 4);
    assert.deepEqual(Object.keys(r.passAt), ["1", "2", "4"]);
    assert.ok(
      Math.abs(r.passAt["1"]! - r.sampled) < 1e-12,
      `${r.task}: pass@1 is the sampled mean`,
    );
    assert.ok(r.passAt["1"]! <= r.passAt["2"]! && r.passAt["2"]! <= r.passAt["4"]!, r.task);
    // Each task's pass@4 is 0 or 1: a multiple of 1/n.
    assert.ok(Math.abs(r.passAt["4"]! * r.n - Math.round(r.passAt["4"]! * r.n)) < 1e-9, r.task);
  }
});
