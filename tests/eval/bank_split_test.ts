import assert from "node:assert/strict";
import { configSplit, overlapCounts, suiteOverlap } from "../../lib/eval/bank_split.ts";
import type { EvalSuite } from "../../lib/eval/suite.ts";
import { loadSuites } from "../../lib/eval/suite.ts";
import { buildBank, isHeldOut, programKey } from "../../lib/lang/generate.ts";
import { parseProgram } from "../../lib/lang/parse.ts";
import { resolveConfig } from "../../lib/config.ts";

const cfg = resolveConfig({ preset: "tiny" });
const SIGS = ["(int[]) -> int[]", "(int) -> int"];
const bank = buildBank({ world: cfg, maxSize: 3, signatures: SIGS });

/** A one-task deduction suite of `program` (the examples only need to be in the world). */
function suite(id: string, program: string, signature: string, input: unknown): EvalSuite {
  return {
    name: "hand",
    path: "(test)",
    tasks: [{
      id,
      task: "deduction",
      program,
      signature,
      examples: [{ input: [input as number], output: input as number }],
      shown: 1,
    }],
  };
}

Deno.test("suiteOverlap: a program written as the bank writes it, and one written otherwise", () => {
  // The bank keeps one program per behaviour; `x - 1` computes what its `x + -1` computes.
  const bankForm = parseProgram("function f(x) { return x + -1; }");
  const otherForm = parseProgram("function f(x) { return x - 1; }");
  assert.ok(bankForm.ok && otherForm.ok);
  const inBank = new Set(
    bank.signatures.flatMap((s) => s.programs.map((p) => programKey(p.tokens))),
  );
  assert.ok(inBank.has(programKey(bankForm.tokens)), "x + -1 is the bank's form");
  assert.ok(!inBank.has(programKey(otherForm.tokens)), "x - 1 is not");
  const part = isHeldOut(bankForm.tokens, 0.1) ? "heldout" : "train";

  const rows = suiteOverlap(
    bank,
    [
      suite("as-bank", "function f(x) { return x + -1; }", "(int) -> int", 3),
      suite("other-form", "function f(x) { return x - 1; }", "(int) -> int", 3),
      // Longer than the bank's programs: no bank behaviour.
      suite("long", "function f(x) { return (x * 3 + 2) % 5 - x; }", "(int) -> int", 3),
    ],
    cfg,
    0.1,
  );
  assert.deepEqual(
    rows.map((r) => [r.id, r.written, r.behaviour]),
    [["as-bank", part, part], ["other-form", "absent", part], ["long", "absent", "absent"]],
  );
  assert.equal(rows[1]!.bankProgram, programKey(bankForm.tokens));
  assert.equal(rows[0]!.size, bankForm.tokens.length - 1);

  // Held out by name: the same program moves to the held-out part.
  const moved = suiteOverlap(
    bank,
    [suite("other-form", "function f(x) { return x - 1; }", "(int) -> int", 3)],
    cfg,
    0.1,
    new Set([programKey(bankForm.tokens)]),
  );
  assert.equal(moved[0]!.behaviour, "heldout");
});

Deno.test("configSplit with pretrainHoldOutSuites: no suite behaviour left in the train split", () => {
  const suites = Object.values(loadSuites(cfg.evalSuites, cfg));
  const off = configSplit(bank, { ...cfg, pretrainHoldOutSuites: false });
  const before = overlapCounts(suiteOverlap(bank, suites, cfg, cfg.pretrainHeldOut));
  const inTrain = Object.values(before).reduce((s, c) => s + c.trainBehaviour, 0);
  // The shipped suites do share behaviours with a ≤ 3-token bank's train split (the check's reason).
  assert.ok(inTrain > 0, JSON.stringify(before));
  assert.equal(off.suiteHeldOut, 0);

  const on = configSplit(bank, { ...cfg, pretrainHoldOutSuites: true });
  const after = overlapCounts(
    suiteOverlap(bank, suites, cfg, cfg.pretrainHeldOut, on.alsoHeldOut),
  );
  for (const [task, c] of Object.entries(after)) {
    assert.equal(c.trainBehaviour, 0, `${task}: ${JSON.stringify(c)}`);
    assert.equal(c.trainWritten, 0, task);
    assert.equal(c.parsed, before[task]!.parsed, "the same programs are checked");
  }
  // Every moved program left the train part for the held-out one; nothing is lost or duplicated.
  const count = (b: typeof bank) => b.signatures.reduce((s, x) => s + x.programs.length, 0);
  assert.equal(count(on.train) + count(on.heldout), count(bank));
  assert.equal(count(on.train), count(off.train) - on.suiteHeldOut);
  assert.ok(on.suiteHeldOut > 0);
  const train = new Set(
    on.train.signatures.flatMap((s) => s.programs.map((p) => programKey(p.tokens))),
  );
  for (const key of on.alsoHeldOut) assert.ok(!train.has(key), key);
});
