/**
 * Pre-training with `solverTrace`: the deduction view's target is the program's trace on the
 * input, then the output, accepted by the solver's constraint; a task whose trace leaves the
 * world gives no example; the prompt is the one without the flag.
 */
import assert from "node:assert/strict";
import { generateTask } from "../../lib/lang/generate.ts";
import { parseProgram } from "../../lib/lang/parse.ts";
import { traceValues } from "../../lib/lang/trace.ts";
import { Rng } from "../../lib/rng.ts";
import { decodeDeduction } from "../../lib/tasks/solve.ts";
import type { Triplet } from "../../lib/tasks/records.ts";
import { makeExample } from "../../lib/trainer/pretrain_data.ts";
import { verifiedAnswerExample } from "../../lib/trainer/cross_entropy.ts";
import { encodeValue } from "../../lib/lang/values.ts";
import { oneProgramBank, OPTS, WORLD } from "./bank_helpers.ts";

Deno.test("deduction view with solverTrace: target = the interpreter's trace, then the output", () => {
  // `xs.map(v + 1).filter(v > 0).length`: trace [map, filter] then the length
  const bank = oneProgramBank(
    "function f(xs) { return xs.map((v) => v + 1).filter((v) => v > 0).length; }",
  );
  let checked = 0;
  for (let seed = 0; seed < 30; seed++) {
    const e = makeExample(new Rng(seed), bank, "deduction", { ...OPTS, solverTrace: true });
    const t = generateTask(new Rng(seed), bank, "deduction") as Triplet; // the same draw
    const trace = traceValues(t.tokens, t.input, WORLD);
    if (trace === undefined) {
      assert.equal(e, undefined); // an element of 9 makes 10: no writable trace
      continue;
    }
    assert.ok(e, `seed ${seed}`);
    const read = decodeDeduction(t, e.target);
    assert.ok(read.ok);
    assert.deepEqual(read.value, { trace, answer: t.output });
    assert.equal(read.value.trace.length, 2);
    // the masks are the constraint's: each target token allowed
    e.target.forEach((tok, k) => assert.equal(e.masks[k]![tok], 1));
    // the same prompt as without the flag
    const plain = makeExample(new Rng(seed), bank, "deduction", OPTS)!;
    assert.deepEqual(e.prompt, plain.prompt);
    assert.deepEqual(plain.target, e.target.slice(-1)); // the answer alone: one int token
    checked++;
  }
  assert.ok(checked >= 20, `${checked} examples checked`);
});

Deno.test("deduction view with solverTrace: a trace value outside the world gives no example", () => {
  // v * 3 leaves [-9, 9] for |v| ≥ 4, while the filtered answer (3 or 6) stays inside
  const bank = oneProgramBank(
    "function f(xs) { return xs.map((v) => v * 3).filter((v) => v > 0 && v < 9); }",
  );
  let skipped = 0;
  let kept = 0;
  for (let seed = 0; seed < 40; seed++) {
    const t = generateTask(new Rng(seed), bank, "deduction") as Triplet;
    const on = makeExample(new Rng(seed), bank, "deduction", { ...OPTS, solverTrace: true });
    const off = makeExample(new Rng(seed), bank, "deduction", OPTS);
    assert.ok(off, "without the trace every draw is an example");
    const outside = (t.input[0] as number[]).some((v) => Math.abs(v * 3) > 9);
    assert.equal(on === undefined, outside, `input ${JSON.stringify(t.input)}`);
    if (outside) skipped++;
    else kept++;
  }
  assert.ok(skipped > 0 && kept > 0, `${skipped} skipped, ${kept} kept`);
});

Deno.test("other views ignore solverTrace", () => {
  const bank = oneProgramBank(
    "function f(xs) { return xs.map((v) => v + 1).filter((v) => v > 0); }",
  );
  for (const view of ["abduction", "induction", "propose_deduction"] as const) {
    const on = makeExample(new Rng(3), bank, view, { ...OPTS, solverTrace: true });
    const off = makeExample(new Rng(3), bank, view, OPTS);
    assert.deepEqual(on, off, view);
  }
});

Deno.test("solverCe's verified answer carries the trace under solverTrace (the constraint wants it)", () => {
  const js = "function f(xs) { return xs.map((v) => v + 1).filter((v) => v > 0); }";
  const p = parseProgram(js);
  if (!p.ok) throw new Error(p.message);
  const record: Triplet = {
    task: "deduction",
    program: js,
    tokens: p.tokens,
    signature: "(int[]) -> int[]",
    step: 0,
    input: [[1, -3, 2]],
    output: [2, 3],
  };
  // By hand: the map gives [2, -2, 3] (the trace), the filter [2, 3] (the answer).
  const plain = verifiedAnswerExample(record, OPTS)!;
  assert.deepEqual(plain.target, encode([2, 3]));
  const traced = verifiedAnswerExample(record, { ...OPTS, solverTrace: true });
  assert.ok(traced, "an example under solverTrace");
  assert.deepEqual(traced.target, [...encode([2, -2, 3]), ...encode([2, 3])]);
  assert.equal(traced.masks.length, traced.target.length);
});

function encode(xs: number[]): number[] {
  const r = encodeValue("int[]", xs, WORLD);
  if (!r.ok) throw new Error(r.message);
  return r.tokens;
}
