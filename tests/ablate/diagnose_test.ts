/**
 * Self-play diagnostics on hand-written proposal rows and metrics: every expected number below is
 * counted by hand from the rows.
 */
import assert from "node:assert/strict";
import {
  isConstantProgram,
  readProposals,
  selfPlayStats,
  selfPlayTable,
} from "../../lib/ablate/diagnose.ts";
import type { Metrics } from "../../lib/trainer/metrics.ts";
import type { ProposalRow } from "../../lib/trainer/report.ts";

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
  const stats = selfPlayStats(rows, metrics, { windows: 2, lastStep: 3, bounds: BOUNDS });
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
    /\| azr \| deduction \| 0–1 \| 67 \| 50 \| 3\.0 \| 33 \| 0 \/ 50 \/ 50 \| 50 \| 1\.50 \|/,
  );
});

Deno.test("readProposals: a malformed line is an error naming the file and the line", async () => {
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
    await Deno.writeTextFile(path, `${good}\n${good}\n{"step": 1, "ta`);
    await assert.rejects(readProposals(path), /Cannot parse .*proposals\.jsonl:3/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
