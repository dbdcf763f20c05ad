/**
 * Self-play diagnostics on hand-written proposal rows and metrics: every expected number below is
 * counted by hand from the rows.
 */
import assert from "node:assert/strict";
import {
  gridSolved,
  selfPlayStats,
  selfPlayTable,
  solvedTable,
} from "../../lib/ablate/diagnose.ts";
import { isConstantProgram } from "../../lib/tasks/constant.ts";
import { readProposals } from "../../lib/trainer/run_files.ts";
import { GridSchema } from "../../lib/ablate/grids.ts";
import type { Metrics } from "../../lib/trainer/metrics.ts";
import type { ProposalRow } from "../../lib/trainer/run_files.ts";

const BOUNDS = { intMin: -999, intMax: 999, maxListLen: 16 };

Deno.test("isConstantProgram: programs that ignore their input, and ones that do not", () => {
  assert.equal(isConstantProgram("function f(x) { return -2; }", BOUNDS), true);
  assert.equal(isConstantProgram("function f(xs, n) { return []; }", BOUNDS), true);
  assert.equal(isConstantProgram("function f(xs) { return xs.length; }", BOUNDS), false);
  assert.equal(isConstantProgram("function f(x) { return x > 0; }", BOUNDS), false);
  assert.equal(isConstantProgram("not a program", BOUNDS), undefined);
});

Deno.test("selfPlayStats: windows, rates and signatures against a hand count", () => {
  const row = (r: Partial<ProposalRow> & Pick<ProposalRow, "step" | "task">): ProposalRow => ({
    valid: true,
    programTokens: 2,
    reward: 0,
    program: "",
    ...r,
  });
  const rows: ProposalRow[] = [
    row({ step: 0, task: "deduction", program: "function f(x) { return -2; }", solveRate: 1 }),
    row({ step: 0, task: "deduction", valid: false, kind: "error", programTokens: 9 }),
    row({
      step: 1,
      task: "deduction",
      program: "function f(xs) { return xs.length; }",
      programTokens: 4,
      solveRate: 0.5,
      duplicate: true,
    }),
    row({ step: 2, task: "deduction", program: "function f(x) { return x > 0; }", solveRate: 0 }),
    row({ step: 3, task: "abduction", program: "function f(x) { return 3; }", solveRate: 1 }),
  ];
  const metrics: Metrics[] = [
    { step: 0, "acc/solve/deduction": 0.25, "policy/entropy": 2 },
    { step: 1, "acc/solve/deduction": 0.75, "policy/entropy": 1 },
    { step: 2, "acc/solve/deduction": 0.5 },
    { step: -1, "eval/acc/deduction": 0.9 }, // an eval row: ignored by every window
  ];
  const opts = { windows: 2, lastStep: 3, bounds: BOUNDS };
  const stats = selfPlayStats(rows, metrics, { ...opts, bankSize: 2 });
  assert.deepEqual(stats.map((s) => [s.task, s.fromStep, s.toStep]), [
    ["abduction", 0, 1],
    ["abduction", 2, 3],
    ["deduction", 0, 1],
    ["deduction", 2, 3],
  ]);
  const [abd0, abd1, ded0, ded1] = stats as [
    typeof stats[0],
    typeof stats[0],
    typeof stats[0],
    typeof stats[0],
  ];
  assert.equal(abd0.proposals, 0);
  assert.ok(Number.isNaN(abd0.validRate), "nothing proposed: NaN, not 0");
  assert.equal(abd1.constantRate, 1);
  assert.equal(abd1.solvedAlways, 1);
  // window 0 of deduction: 3 proposals, 2 valid (one constant), one duplicate
  assert.equal(ded0.proposals, 3);
  assert.equal(ded0.validRate, 2 / 3);
  assert.equal(ded0.constantRate, 1 / 2);
  assert.equal(ded0.programTokens, (2 + 4) / 2);
  // bodies of 1 and 3 tokens (the logged length counts the signature token): one beyond a bank of 2
  assert.equal(ded0.beyondBank, 1 / 2);
  assert.ok(Number.isNaN(selfPlayStats(rows, metrics, opts)[2]!.beyondBank), "no bank, no rate");
  assert.equal(ded0.dupRate, 1 / 3);
  assert.deepEqual([ded0.solvedNever, ded0.solvedSometimes, ded0.solvedAlways], [0, 0.5, 0.5]);
  assert.equal(ded0.solverAcc, 0.5);
  assert.equal(ded0.entropy, 1.5);
  assert.deepEqual(ded0.topSignatures.length, 2);
  assert.ok(ded0.topSignatures.every((s) => s.endsWith(" 50%")), ded0.topSignatures.join());
  // window 1: one valid, input-dependent, never solved
  assert.deepEqual([ded1.proposals, ded1.constantRate, ded1.solvedNever], [1, 0, 1]);
  assert.equal(ded1.solverAcc, 0.5);
  assert.ok(Number.isNaN(ded1.entropy));
  const table = selfPlayTable({ grid: "g", variants: [{ variant: "azr", seeds: 1, stats }] });
  assert.match(
    table,
    /\| azr \| deduction \| 0–1 \| 67 \| 50 \| 3\.0 \| 50 \| 33 \| 0 \/ 50 \/ 50 \| 50 \| 1\.50 \|/,
  );
});

Deno.test("readProposals: a malformed line is an error naming the file and the line; a torn last line is skipped", async () => {
  const dir = await Deno.makeTempDir({ prefix: "azr-diagnose-" });
  try {
    const path = `${dir}/proposals.jsonl`;
    const good = JSON.stringify({
      step: 0,
      task: "deduction",
      valid: true,
      programTokens: 2,
      reward: 0,
      program: "function f(x) { return x; }",
    });
    await Deno.writeTextFile(path, `${good}\n\n${good}\n`);
    assert.equal((await readProposals(path)).length, 2);
    await Deno.writeTextFile(path, `${good}\n{"step": 1, "task": "deduction"}\n`);
    await assert.rejects(readProposals(path), /proposals\.jsonl:2/);
    // a run killed mid-append leaves a torn last line (no newline): not a record
    await Deno.writeTextFile(path, `${good}\n${good}\n{"step": 1, "ta`);
    assert.equal((await readProposals(path)).length, 2);
    // the same text followed by a newline was written whole: corrupt
    await Deno.writeTextFile(path, `${good}\n{"step": 1, "ta\n${good}\n`);
    await assert.rejects(readProposals(path), /Cannot read .*proposals\.jsonl:2: not JSON/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("gridSolved: the solved-task matrix and answer diversity against a hand count", async () => {
  const runsDir = await Deno.makeTempDir({ prefix: "azr-solved-" });
  try {
    const grid = GridSchema.parse({
      name: "g",
      variants: [{ name: "a" }, { name: "b" }],
    });
    const outcome = (id: string, task: string, score: number, answer: string) => ({
      suite: task,
      id,
      task,
      score,
      answer,
    });
    const runs: Record<string, ReturnType<typeof outcome>[] | undefined> = {
      // a: two seeds that both answer `true` everywhere; one task right in both
      "g-a-s0": [outcome("d1", "deduction", 1, "true"), outcome("d2", "deduction", 0, "true")],
      "g-a-s1": [outcome("d1", "deduction", 1, "true"), outcome("d2", "deduction", 0, "true")],
      // b: one seed with an eval.json, one finished without (an older run): skipped
      "g-b-s0": [outcome("d1", "deduction", 0, "7"), outcome("d2", "deduction", 1, "[1,2]")],
      "g-b-s1": undefined,
    };
    for (const [name, outcomes] of Object.entries(runs)) {
      await Deno.mkdir(`${runsDir}/${name}`);
      const summary = { name, step: 5, seconds: 1, stepsPerS: 5, eval: {} };
      await Deno.writeTextFile(`${runsDir}/${name}/summary.json`, JSON.stringify(summary));
      if (outcomes) {
        await Deno.writeTextFile(
          `${runsDir}/${name}/eval.json`,
          JSON.stringify({ step: 5, outcomes }),
        );
      }
    }
    const s = await gridSolved(grid, 2, runsDir);
    assert.deepEqual(s.variants, [{ variant: "a", seeds: 2 }, { variant: "b", seeds: 1 }]);
    assert.deepEqual(s.solved.map((r) => [r.id, r.seeds]), [["d1", { a: 2 }], ["d2", { b: 1 }]]);
    assert.deepEqual(s.answers, [
      { variant: "a", task: "deduction", tasks: 4, distinct: 1, top: "true", topShare: 1 },
      { variant: "b", task: "deduction", tasks: 2, distinct: 2, top: "7", topShare: 0.5 },
    ]);
    assert.match(solvedTable(s), /\| d1 \| deduction \| 2 \| 0 \|/);
    // a damaged eval.json is an error that names the file, not a silently smaller table
    await Deno.writeTextFile(`${runsDir}/g-b-s0/eval.json`, `{"step": 5, "outcomes": [{}]}`);
    await assert.rejects(gridSolved(grid, 2, runsDir), /g-b-s0\/eval\.json/);
  } finally {
    await Deno.remove(runsDir, { recursive: true });
  }
});
