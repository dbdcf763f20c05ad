/** Validation gates on hand-written proposals: each invalid kind, and what a valid one becomes. */
import assert from "node:assert/strict";
import { parseProgram } from "../../lib/lang/parse.ts";
import { createSandbox, type Executor, type SandboxJob } from "../../lib/sandbox/mod.ts";
import type { Proposal } from "../../lib/tasks/propose.ts";
import type { Json } from "../../lib/tasks/records.ts";
import { probeInputs, validateProposals } from "../../lib/tasks/validate.ts";

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
      // -0 comes back as 0 (the sandbox's domain, mirrored by the interpreter): valid
      [
        proposal("deduction", "function f(xs) { return xs.map((v) => -v); }", [[[0, 3]]]),
        "valid",
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
    const verdicts = await validateProposals(ex, cases.map(([p]) => p), 7, BOUNDS);
    verdicts.forEach((v, i) => assert.equal(v.valid ? "valid" : v.kind, cases[i]![1], `case ${i}`));
    const first = verdicts[0]!;
    assert.ok(first.valid && first.record.task === "deduction");
    assert.deepEqual(first.record.output, [2, 4]);
    assert.equal(first.record.step, 7);
    assert.equal(first.record.program, "function f(xs) { return xs.map((v) => v * 2); }");
    const negated = verdicts[3]!;
    assert.ok(negated.valid && negated.record.task === "deduction");
    assert.deepEqual(negated.record.output, [0, -3]); // strict: +0, not -0
    const ind = verdicts[7]!;
    assert.ok(ind.valid && ind.record.task === "induction");
    assert.deepEqual(ind.record.examples.map((e) => e.input), [[3], [4], [5], [6]]);
    assert.deepEqual(ind.record.examples.map((e) => e.output), [4, 5, 6, 7]);
    assert.equal(ind.record.shown, 2);
  } finally {
    await ex.close();
  }
});

Deno.test("validation: the constant-output gate (off by default) rejects programs that ignore their input", async () => {
  const ex = await createSandbox({ poolSize: 1, timeoutMs: 1000 });
  try {
    const batch = [
      proposal("deduction", "function f(x) { return -2; }", [[5]]),
      proposal("abduction", "function f(xs, n) { return []; }", [[[1, 2], 3]]),
      // depends on its input only through a comparison: still two values over the probes
      proposal("abduction", "function f(x) { return x > 0; }", [[4]]),
      proposal("deduction", "function f(xs) { return xs.length; }", [[[7, 8]]]),
      // induction is not gated: its programs come from the (gated) buffers
      proposal("induction", "function f(x) { return 1; }", [[3], [4]]),
    ];
    const off = await validateProposals(ex, batch, 0, BOUNDS);
    assert.deepEqual(off.map((v) => v.valid), [true, true, true, true, true]);
    const on = await validateProposals(ex, batch, 0, { ...BOUNDS, rejectConstant: true });
    assert.deepEqual(on.map((v) => (v.valid ? "valid" : v.kind)), [
      "constant_output",
      "constant_output",
      "valid",
      "valid",
      "valid",
    ]);
    const first = on[0]!;
    assert.ok(!first.valid && first.message.includes("-2"), "the message names the constant");
  } finally {
    await ex.close();
  }
});

Deno.test("validation: probe inputs are fixed per signature and well-typed", () => {
  const sig = parseProgram("function f(xs, n) { return n; }");
  assert.ok(sig.ok);
  const a = probeInputs(sig.signature, BOUNDS);
  assert.deepEqual(probeInputs(sig.signature, BOUNDS), a);
  assert.equal(a.length, 8);
  for (const [xs, n] of a) {
    assert.ok(Array.isArray(xs) && xs.every((v) => Number.isInteger(v)));
    assert.ok(Number.isInteger(n));
  }
  // the probes differ from each other, or they could not tell a constant from a function
  assert.ok(new Set(a.map((x) => JSON.stringify(x))).size > 1);
});

Deno.test("validation: the size gates (not in the paper) refuse short and long deduction and abduction bodies", async () => {
  await using ex = await createSandbox({ poolSize: 1, timeoutMs: 1000 });
  const batch = [
    proposal("deduction", "function f(xs) { return xs; }", [[[1, 2]]]), // body: xs
    proposal("abduction", "function f(xs) { return xs.length; }", [[[1, 2]]]), // xs .length
    proposal("deduction", "function f(x) { return x + 1; }", [[3]]), // x + 1
    proposal("abduction", "function f(x) { return x * 2 + 1; }", [[3]]), // x * 2 + 1
    // induction is not gated: its program comes from the buffers
    proposal("induction", "function f(x) { return x; }", [[3], [4]]),
  ];
  // Counts the sandbox jobs: a refused proposal's inputs are never run.
  let jobs = 0;
  const counting = { run: (js: SandboxJob[]) => (jobs += js.length, ex.run(js)), close: ex.close };
  const kinds = async (minProposalSize = 0, maxProposalSize = 0) => {
    jobs = 0;
    const opts = { ...BOUNDS, minProposalSize, maxProposalSize };
    return (await validateProposals(counting as Executor, batch, 0, opts))
      .map((v) => (v.valid ? "valid" : v.kind));
  };
  assert.deepEqual(await kinds(), ["valid", "valid", "valid", "valid", "valid"]);
  assert.equal(jobs, 6, "one input each, two for induction");
  assert.deepEqual(await kinds(3), ["too_small", "too_small", "valid", "valid", "valid"]);
  assert.equal(jobs, 4);
  assert.deepEqual(await kinds(4), ["too_small", "too_small", "too_small", "valid", "valid"]);
  assert.equal(jobs, 3);
  const [first] = await validateProposals(ex, batch, 0, { ...BOUNDS, minProposalSize: 3 });
  assert.ok(first && !first.valid && /1-token body.*needs at least 3/.test(first.message));
  // The cap refuses the longer bodies the same way, and the two gates combine.
  assert.deepEqual(await kinds(0, 3), ["valid", "valid", "valid", "too_large", "valid"]);
  assert.equal(jobs, 5);
  assert.deepEqual(await kinds(2, 3), ["too_small", "valid", "valid", "too_large", "valid"]);
  assert.equal(jobs, 4);
  const [, , , fourth] = await validateProposals(ex, batch, 0, { ...BOUNDS, maxProposalSize: 2 });
  assert.ok(fourth && !fourth.valid && /5-token body.*needs at most 2/.test(fourth.message));
});
