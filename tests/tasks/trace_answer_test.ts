/**
 * The deduction solver with `solverTrace`: its constraint accepts the trace then the answer (and
 * nothing shorter), the budget leaves the answer its own room, and checking takes the last value
 * (a right answer after a wrong trace is correct, a right trace with a wrong answer is not).
 */
import assert from "node:assert/strict";
import { parseProgram } from "../../lib/lang/parse.ts";
import { WORLDS } from "../../lib/lang/types.ts";
import { encodeValue, type LangValue } from "../../lib/lang/values.ts";
import { solverConstraint, solverMaxTokens, solverPrompt } from "../../lib/tasks/prompts.ts";
import type { Triplet } from "../../lib/tasks/records.ts";
import { checkAnswers, decodeDeduction, renderAnswer } from "../../lib/tasks/solve.ts";
import type { Executor } from "../../lib/sandbox/mod.ts";
import type { LangType } from "../../lib/lang/types.ts";

const WORLD = WORLDS.small;
const OPTS = { ...WORLD, programMaxTokens: 16, inputMaxTokens: 16 };
const TRACE = { ...OPTS, solverTrace: true };

function triplet(js: string, input: LangValue[], output: LangValue): Triplet {
  const r = parseProgram(js);
  if (!r.ok) throw new Error(r.message);
  return {
    task: "deduction",
    program: js,
    tokens: r.tokens,
    signature: r.signature.name,
    input,
    output,
    step: 0,
  };
}

/** `xs.map(v + 1).filter(v > 0).length` on [1, -3, 2]: trace [2,-2,3] [2,3], answer 2. */
const mapFilterLen = triplet(
  "function f(xs) { return xs.map((v) => v + 1).filter((v) => v > 0).length; }",
  [[1, -3, 2]],
  2,
);
const enc = (type: LangType, v: LangValue): number[] => {
  const r = encodeValue(type, v, WORLD);
  if (!r.ok) throw new Error(r.message);
  return r.tokens;
};
const rightTrace = [...enc("int[]", [2, -2, 3]), ...enc("int[]", [2, 3])];
const wrongTrace = [...enc("int[]", [0]), ...enc("int[]", [])];

/** Walks `tokens` through the constraint; true when every token is allowed and it ends done. */
function accepts(record: Triplet, opts: typeof OPTS, tokens: readonly number[]): boolean {
  const c = solverConstraint(record, opts);
  for (const t of tokens) {
    if (c.done() || c.allowed()[t] !== 1) return false;
    c.advance(t);
  }
  return c.done();
}

/** An executor that must not be called: deduction is checked without running anything. */
const noExecutor: Executor = {
  run: () => Promise.reject(new Error("deduction checks run no job")),
  close: () => Promise.resolve(),
  [Symbol.asyncDispose]: () => Promise.resolve(),
};

Deno.test("solver constraint with solverTrace: the trace then the answer, and nothing shorter", () => {
  assert.ok(accepts(mapFilterLen, TRACE, [...rightTrace, ...enc("int", 2)]));
  assert.ok(accepts(mapFilterLen, TRACE, [...wrongTrace, ...enc("int", 5)])); // free, not checked
  assert.ok(!accepts(mapFilterLen, TRACE, enc("int", 2))); // the answer alone stops too early
  assert.ok(!accepts(mapFilterLen, TRACE, [...enc("int", 2), ...rightTrace])); // wrong order
  // without the flag: the answer alone
  assert.ok(accepts(mapFilterLen, OPTS, enc("int", 2)));
  assert.ok(!accepts(mapFilterLen, OPTS, [...rightTrace, ...enc("int", 2)]));
  // a program with an empty trace: both settings write the answer alone
  const len = triplet("function f(xs) { return xs.length; }", [[1]], 1);
  assert.ok(accepts(len, TRACE, enc("int", 1)));
});

Deno.test("solver budget: two lists at their longest (8 tokens each) plus the answer's budget", () => {
  assert.equal(solverMaxTokens(mapFilterLen, TRACE), 8 + 8 + 16);
  assert.equal(solverMaxTokens(mapFilterLen, OPTS), 16);
  // lists of the world's maximum length fit in the trace, and the answer keeps its room
  const full = [...enc("int[]", [1, 2, 3, 4, 5, 6]), ...enc("int[]", [1, 2, 3, 4, 5, 6])];
  assert.ok(accepts(mapFilterLen, TRACE, [...full, ...enc("int", 6)]));
  // the prompt does not change with the flag
  assert.deepEqual(solverPrompt(mapFilterLen, TRACE), solverPrompt(mapFilterLen, OPTS));
});

Deno.test("checking takes the last value: the answer after any trace; a bare answer still counts", async () => {
  const items = [
    { record: mapFilterLen, answer: [...rightTrace, ...enc("int", 2)] }, // all right
    { record: mapFilterLen, answer: [...wrongTrace, ...enc("int", 2)] }, // wrong trace, right answer
    { record: mapFilterLen, answer: [...rightTrace, ...enc("int", 3)] }, // right trace, wrong answer
    { record: mapFilterLen, answer: enc("int", 2) }, // no trace (solverTrace off, or a baseline)
    { record: mapFilterLen, answer: [...rightTrace] }, // the trace without an answer
    { record: mapFilterLen, answer: [...enc("int[]", [2, 3]), ...enc("int", 2)] }, // one trace value short
    { record: mapFilterLen, answer: [...rightTrace, ...enc("int", 2), ...enc("int", 2)] }, // one too many
  ];
  assert.deepEqual(await checkAnswers(noExecutor, items), [
    "correct",
    "correct",
    "incorrect",
    "correct",
    "format_error",
    "format_error",
    "format_error",
  ]);
});

Deno.test("decodeDeduction: trace values and the answer, by the program's trace types", () => {
  assert.deepEqual(decodeDeduction(mapFilterLen, [...rightTrace, ...enc("int", 2)]), {
    ok: true,
    value: { trace: [[2, -2, 3], [2, 3]], answer: 2 },
  });
  assert.deepEqual(decodeDeduction(mapFilterLen, enc("int", 2)), {
    ok: true,
    value: { trace: [], answer: 2 },
  });
  // an int where the first trace list belongs
  assert.equal(decodeDeduction(mapFilterLen, [...enc("int", 1), ...enc("int[]", []), 0]).ok, false);
});

Deno.test("renderAnswer: trace values, an arrow, then the answer", () => {
  assert.equal(renderAnswer(mapFilterLen, [...rightTrace, ...enc("int", 2)]), "[2,-2,3] [2,3] → 2");
  assert.equal(renderAnswer(mapFilterLen, enc("int", 2)), "2");
  assert.match(renderAnswer(mapFilterLen, rightTrace), /^unreadable: /);
});
