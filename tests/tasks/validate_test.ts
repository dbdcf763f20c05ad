/** Validation gates on hand-written proposals: each invalid kind, and what a valid one becomes. */
import assert from "node:assert/strict";
import { parseProgram } from "../../lib/lang/parse.ts";
import { createSandbox } from "../../lib/sandbox/mod.ts";
import type { Proposal } from "../../lib/tasks/propose.ts";
import type { Json } from "../../lib/tasks/records.ts";
import { validateProposals } from "../../lib/tasks/validate.ts";

const BOUNDS = { intMin: -999, intMax: 999, maxListLen: 16 };

function proposal(task: Proposal["task"], js: string, inputs: Json[][]): Proposal {
  const r = parseProgram(js);
  if (!r.ok) throw new Error(`${js}: ${r.message}`);
  return { task, programTokens: r.tokens, signature: r.signature, inputs };
}

Deno.test("validation: every gate, one sandbox call for the batch", async () => {
  const ex = await createSandbox({ poolSize: 1, timeoutMs: 1000 });
  try {
    const cases: [Proposal, string][] = [
      // runs, typed, in bounds, deterministic: a triplet with the executor's output
      [
        proposal("deduction", "function f(xs) { return xs.map((v) => v * 2); }", [[[1, 2]]]),
        "valid",
      ],
      // reduce without an initial value on [] throws a TypeError
      [
        proposal("abduction", "function f(xs) { return xs.reduce((a, v) => a + v); }", [[[]]]),
        "error",
      ],
      // Math.max(...[]) is -Infinity: not a JSON value
      [
        proposal("deduction", "function f(xs) { return Math.max(...xs); }", [[[]]]),
        "invalid_value",
      ],
      // -0 is not a JSON value either (the sandbox's domain, mirrored by the interpreter)
      [
        proposal("deduction", "function f(xs) { return xs.map((v) => -v); }", [[[0, 3]]]),
        "invalid_value",
      ],
      // an int beyond the codec's ±999
      [
        proposal("deduction", "function f(xs) { return xs.map((v) => v * 10); }", [[[500]]]),
        "out_of_bounds",
      ],
      // a completion that could not be read
      [{ task: "deduction", programTokens: [], inputs: [], formatError: "unfinished" }, "format"],
      // induction needs at least two distinct inputs
      [proposal("induction", "function f(x) { return x + 1; }", [[3], [3], [3]]), "too_few_inputs"],
      // induction: distinct pairs kept, half shown
      [
        proposal("induction", "function f(x) { return x + 1; }", [[3], [4], [3], [5], [6]]),
        "valid",
      ],
    ];
    const verdicts = await validateProposals(ex, cases.map(([p]) => p), BOUNDS, 7);
    verdicts.forEach((v, i) => assert.equal(v.valid ? "valid" : v.kind, cases[i]![1], `case ${i}`));
    const first = verdicts[0]!;
    assert.ok(first.valid && first.record.task === "deduction");
    assert.deepEqual(first.record.output, [2, 4]);
    assert.equal(first.record.step, 7);
    assert.equal(first.record.program, "function f(xs) { return xs.map((v) => v * 2); }");
    const ind = verdicts[7]!;
    assert.ok(ind.valid && ind.record.task === "induction");
    assert.deepEqual(ind.record.examples.map((e) => e.input), [[3], [4], [5], [6]]);
    assert.deepEqual(ind.record.examples.map((e) => e.output), [4, 5, 6, 7]);
    assert.equal(ind.record.shown, 2);
  } finally {
    await ex.close();
  }
});
