import assert from "node:assert/strict";
import {
  enumerativeSearch,
  interpretProgram,
  parseProgram,
  renderProgram,
  signatureByName,
} from "../../lib/lang/mod.ts";

// [task, signature, examples [input, output][], a program the search should find (by hand)]
const TASKS: [string, string, [unknown[], unknown][], string][] = [
  [
    "double each",
    "(int[]) -> int[]",
    [[[[1, 2, 3]], [2, 4, 6]], [[[5, -1]], [10, -2]]],
    "function f(xs) { return xs.map((v) => v + v); }",
  ],
  [
    "length",
    "(int[]) -> int",
    [[[[1, 2, 3]], 3], [[[]], 0]],
    "function f(xs) { return xs.length; }",
  ],
  [
    "sum",
    "(int[]) -> int",
    [[[[1, 2, 3]], 6], [[[5, -1]], 4], [[[]], 0]],
    "function f(xs) { return xs.reduce((a, v) => a + v, 0); }",
  ],
  [
    "max of two",
    "(int, int) -> int",
    [[[1, 2], 2], [[5, -1], 5]],
    "function f(x, y) { return Math.max(x, y); }",
  ],
  [
    "keep evens",
    "(int[]) -> int[]",
    [[[[1, 2, 3, 4]], [2, 4]], [[[5, -2, 6, 7]], [-2, 6]]],
    "function f(xs) { return xs.filter((v) => v % 2 < 1); }",
  ],
];

for (const [name, sig, examples, expected] of TASKS) {
  Deno.test(`enumerative search finds "${name}"`, () => {
    const ex = examples.map(([input, output]) => ({ input, output }));
    const r = enumerativeSearch({
      signature: signatureByName(sig)!,
      examples: ex,
      maxEvals: 1_000_000,
    });
    assert.ok(r.program, `not found in ${r.evals} evals`);
    // Smallest first: never larger than the known program (sizes counted by hand's parse).
    const known = parseProgram(expected);
    assert.ok(known.ok);
    assert.ok(r.program.length <= known.tokens.length, renderProgram(r.program));
    for (const e of ex) {
      assert.deepEqual(interpretProgram(r.program, e.input), { ok: true, value: e.output });
    }
  });
}

Deno.test("enumerative search finds sum of squares within a DeepCoder-sized production set", () => {
  const ex = [{ input: [[1, 2, 3]], output: 14 }, { input: [[5, -1]], output: 26 }, {
    input: [[]],
    output: 0,
  }];
  const r = enumerativeSearch({
    signature: signatureByName("(int[]) -> int")!,
    examples: ex,
    maxEvals: 1_000_000,
    productions: ["MAP", "FILTER", "FOLD", "ADD", "SUB", "MUL", "LEN", "MAXIMUM", "MINIMUM"],
  });
  assert.ok(r.program, `not found in ${r.evals} evals`);
  // Held-out check, by hand: 4 + 9 + 16 = 29.
  assert.deepEqual(
    interpretProgram(r.program, [[2, -3, 4]]),
    { ok: true, value: 29 },
    renderProgram(r.program),
  );
});

Deno.test("enumerative search reports not found for an inexpressible task within budget", () => {
  // Same input, two outputs: no function does this.
  const r = enumerativeSearch({
    signature: signatureByName("(int[]) -> int")!,
    examples: [{ input: [[1]], output: 1 }, { input: [[1]], output: 2 }],
    maxEvals: 20_000,
  });
  assert.equal(r.program, null);
  assert.ok(r.evals <= 20_000);
});
