/**
 * Each role's prompt holds what the paper gives it and never what it must
 * write; each task type's answer check accepts right answers and rejects wrong
 * ones on hand examples.
 */
import assert from "node:assert/strict";
import { parseProgram } from "../../lib/lang/parse.ts";
import { encodeArgs, encodeValue } from "../../lib/lang/values.ts";
import { signatureByName } from "../../lib/lang/types.ts";
import { ANSWER, ROLE_SOLVE, TASK_INDUCTION } from "../../lib/lang/vocab.ts";
import { createSandbox } from "../../lib/sandbox/mod.ts";
import { proposerPrompt, solverPrompt } from "../../lib/tasks/prompts.ts";
import type { InductionRecord, Triplet } from "../../lib/tasks/records.ts";
import { checkAnswers, renderAnswer } from "../../lib/tasks/solve.ts";

const BOUNDS = { intMin: -999, intMax: 999, maxListLen: 16 };

function program(js: string) {
  const r = parseProgram(js);
  if (!r.ok) throw new Error(r.message);
  return { program: js, tokens: r.tokens, signature: r.signature.name };
}

const sumProgram = program("function f(xs) { return xs.reduce((a, v) => a + v, 0); }");
const triplet = (task: "deduction" | "abduction"): Triplet => ({
  task,
  ...sumProgram,
  input: [[3, 4, 50]],
  output: 57,
  step: 0,
});
const sig = signatureByName(sumProgram.signature)!;
const enc = (r: { ok: boolean; tokens?: number[] }) => r.tokens!;
const inputTokens = enc(encodeArgs(sig, [[3, 4, 50]], BOUNDS));
const outputTokens = enc(encodeValue("int", 57, BOUNDS));

/** True when `needle` occurs as a contiguous run in `hay`. */
function contains(hay: readonly number[], needle: readonly number[]): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

Deno.test("deduction solver sees program and input, never the output", () => {
  const p = solverPrompt(triplet("deduction"), BOUNDS);
  assert.ok(contains(p, sumProgram.tokens));
  assert.ok(contains(p, inputTokens));
  assert.ok(!p.includes(outputTokens[0]!), "the output token 57 must not appear");
  assert.equal(p.at(-1), ANSWER);
});

Deno.test("abduction solver sees program and output, never the input", () => {
  const p = solverPrompt(triplet("abduction"), BOUNDS);
  assert.ok(contains(p, sumProgram.tokens));
  assert.ok(contains(p, outputTokens));
  for (const t of inputTokens.slice(1, -1)) assert.ok(!p.includes(t), `input token ${t} leaked`);
});

Deno.test("induction solver sees the shown pairs only: no program, no held-out pair", () => {
  const rec: InductionRecord = {
    task: "induction",
    ...program("function f(xs) { return xs.map((v) => v * 3); }"),
    examples: [
      { input: [[1, 2]], output: [3, 6] },
      { input: [[5]], output: [15] },
      { input: [[7, 8]], output: [21, 24] },
      { input: [[40]], output: [120] },
    ],
    shown: 2,
    step: 0,
  };
  const p = solverPrompt(rec, BOUNDS);
  assert.equal(p[1], ROLE_SOLVE);
  assert.equal(p[2], TASK_INDUCTION);
  assert.ok(!contains(p, rec.tokens.slice(1)), "program body leaked");
  const s = signatureByName(rec.signature)!;
  assert.ok(contains(p, enc(encodeArgs(s, [[5]], BOUNDS))));
  for (const held of rec.examples.slice(2)) {
    assert.ok(!contains(p, enc(encodeArgs(s, held.input, BOUNDS))), "held-out input leaked");
    assert.ok(
      !contains(p, enc(encodeValue("int[]", held.output, BOUNDS))),
      "held-out output leaked",
    );
  }
});

Deno.test("proposer prompt holds its K references", () => {
  const refs = [triplet("deduction"), triplet("deduction")];
  const p = proposerPrompt("deduction", refs, BOUNDS);
  let count = 0;
  for (let i = 0; i < p.length; i++) {
    if (contains(p.slice(i, i + sumProgram.tokens.length), sumProgram.tokens)) count++;
  }
  assert.equal(count, 2);
  assert.deepEqual(proposerPrompt("deduction", [], BOUNDS).length, 4); // BOS role task ANSWER (K = 0)
});

Deno.test("answer checks: right answers pass, wrong ones fail, for each task type", async () => {
  const ex = await createSandbox({ poolSize: 1, timeoutMs: 1000 });
  try {
    const ded = triplet("deduction");
    const abd = triplet("abduction");
    const ind: InductionRecord = {
      task: "induction",
      ...program("function f(xs) { return xs.map((v) => v * 3); }"),
      examples: [{ input: [[1, 2]], output: [3, 6] }, { input: [[5]], output: [15] }, {
        input: [[7]],
        output: [21],
      }],
      shown: 1,
      step: 0,
    };
    const triple = program("function f(xs) { return xs.map((v) => v + v + v); }").tokens;
    const double = program("function f(xs) { return xs.map((v) => v * 2); }").tokens;
    const items = [
      { record: ded, answer: outputTokens }, // 57: correct
      { record: ded, answer: enc(encodeValue("int", 56, BOUNDS)) }, // wrong value
      { record: abd, answer: enc(encodeArgs(sig, [[50, 7]], BOUNDS)) }, // another input with sum 57: correct
      { record: abd, answer: enc(encodeArgs(sig, [[1]], BOUNDS)) }, // sum 1: wrong
      { record: ind, answer: triple }, // a different program that agrees on every pair: correct
      { record: ind, answer: double }, // wrong on held-out pairs
      { record: ded, answer: outputTokens, unfinished: true }, // cut off: a format error
    ];
    assert.deepEqual(await checkAnswers(ex, items), [
      "correct",
      "incorrect",
      "correct",
      "incorrect",
      "correct",
      "incorrect",
      "format_error",
    ]);
  } finally {
    await ex.close();
  }
});

Deno.test("renderAnswer: values, arguments and programs as a reader writes them", () => {
  const ind: InductionRecord = {
    task: "induction",
    ...sumProgram,
    examples: [{ input: [[1]], output: 1 }, { input: [[2]], output: 2 }],
    shown: 1,
    step: 0,
  };
  assert.equal(renderAnswer(triplet("deduction"), outputTokens), "57");
  assert.equal(renderAnswer(triplet("abduction"), inputTokens), "[3,4,50]");
  assert.equal(renderAnswer(ind, sumProgram.tokens), sumProgram.program);
  // an int where a list was expected: shown as token names, marked unreadable
  assert.match(renderAnswer(triplet("abduction"), outputTokens), /^unreadable: /);
});
