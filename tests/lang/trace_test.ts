/**
 * Solver traces: types and values of hand-written programs against hand-computed traces (lambda
 * bodies and lazy operands left out, the root left out), values outside the world or failing
 * sub-expressions give no trace, and decodeValues splits values written back to back.
 */
import assert from "node:assert/strict";
import { buildBank, generateTask } from "../../lib/lang/generate.ts";
import { interpretProgram } from "../../lib/lang/interpret.ts";
import { parseProgram } from "../../lib/lang/parse.ts";
import {
  decodeValues,
  traceTokens,
  traceTypes,
  traceValues,
  valuesMaxTokens,
} from "../../lib/lang/trace.ts";
import { signatureByName, WORLDS } from "../../lib/lang/types.ts";
import { encodeValue } from "../../lib/lang/values.ts";
import { LIST_CLOSE, LIST_OPEN } from "../../lib/lang/vocab.ts";
import { Rng } from "../../lib/rng.ts";

const SMALL = WORLDS.small;

function tokens(js: string, signature?: string): number[] {
  const r = parseProgram(js, signature ? { signature: signatureByName(signature)! } : {});
  if (!r.ok) throw new Error(`${js}: ${r.message}`);
  return r.tokens;
}

const cases: {
  why: string;
  js: string;
  args: unknown[];
  types: string[];
  trace: unknown[];
  signature?: string;
}[] = [
  {
    why: "the brief's example: map, then filter, then length; lambda bodies left out",
    js: "function f(xs) { return xs.map((v) => v + 1).filter((v) => v > 0).length; }",
    args: [[1, -3, 2]],
    types: ["int[]", "int[]"],
    trace: [[2, -2, 3], [2, 3]],
  },
  {
    why: "a leaf body has no trace",
    js: "function f(xs) { return xs; }",
    args: [[4, 5]],
    types: [],
    trace: [],
  },
  {
    why: "a single production over leaves has no trace",
    js: "function f(x, y) { return x + y; }",
    args: [3, 4],
    types: [],
    trace: [],
  },
  {
    why: "a lambda body is never traced, however deep",
    js: "function f(xs) { return xs.map((v) => v * 2 + 1); }",
    args: [[1, 2]],
    types: [],
    trace: [],
  },
  {
    why: "post-order, left operand first: (3 + 1) then (3 - 1), the product is the answer",
    js: "function f(x, y) { return (x + y) * (x - y); }",
    args: [3, 1],
    types: ["int", "int"],
    trace: [4, 2],
  },
  {
    why: "nested: Math.abs(x - 5) is 2, then 2 * 2 = 4, then 4 - 1 is the answer",
    js: "function f(x) { return Math.abs(x - 5) * 2 - 1; }",
    args: [3],
    types: ["int", "int", "int"],
    trace: [-2, 2, 4],
  },
  {
    why: "a fold's initial value is evaluated once (traced), its lambda is not",
    js: "function f(xs, n) { return xs.reduce((a, v) => a + v, n * 2); }",
    args: [[1, 2], 3],
    types: ["int"],
    trace: [6],
  },
  {
    why: "a condition is traced, its branches are not (JS may skip them)",
    js: "function f(xs) { return xs.length > 0 ? xs[0] : 0; }",
    args: [[5, 3]],
    types: ["int", "bool"],
    trace: [2, true],
  },
  {
    why: "on [] the skipped branch xs[0] has no value, and the trace still exists",
    js: "function f(xs) { return xs.length > 0 ? xs[0] : 0; }",
    args: [[]],
    types: ["int", "bool"],
    trace: [0, false],
  },
  {
    why: "&&: the left operand is traced, the right one (maybe skipped) is not",
    js: "function f(x) { return x > 0 && x % 2 === 0; }",
    args: [4],
    types: ["bool"],
    trace: [true],
  },
  {
    why: "a list built from ints: n + 1, then [3], then [3, 2]; the reverse is the answer",
    js: "function f(n) { return [...[...[n + 1], n]].reverse(); }",
    signature: "(int) -> int[]",
    args: [2],
    types: ["int", "int[]", "int[]"],
    trace: [3, [3], [3, 2]],
  },
  {
    why: "filter of a sort, then its last element",
    js:
      "function f(xs) { return [...xs].sort((p, q) => p - q).filter((v) => v % 2 !== 0).at(-1); }",
    args: [[7, -1, 4, 3]],
    types: ["int[]", "int[]"],
    trace: [[-1, 3, 4, 7], [-1, 3, 7]],
  },
];

for (const c of cases) {
  Deno.test(`trace: ${c.why}`, () => {
    const p = tokens(c.js, c.signature);
    assert.deepEqual(traceTypes(p), c.types);
    assert.deepEqual(traceValues(p, c.args, SMALL), c.trace);
    // the program runs on these arguments: the trace comes from a real evaluation
    assert.ok(interpretProgram(p, c.args).ok);
  });
}

Deno.test("trace: a value outside the world, or a failing sub-expression, gives no trace", () => {
  const times3 = tokens("function f(xs) { return xs.map((v) => v * 3).filter((v) => v < 5); }");
  assert.deepEqual(traceValues(times3, [[1, 2]], SMALL), [[3, 6]]);
  // [3, 12]: 12 is outside the small world's ints (the answer [3] is inside)
  assert.equal(traceValues(times3, [[1, 4]], SMALL), undefined);
  assert.deepEqual(interpretProgram(times3, [[1, 4]]), { ok: true, value: [3] });
  // a list longer than maxListLen 6
  const doubled = tokens("function f(xs) { return xs.concat(xs).slice(0, 2); }");
  assert.deepEqual(traceValues(doubled, [[1, 2, 3]], SMALL), [[1, 2, 3, 1, 2, 3]]);
  assert.equal(traceValues(doubled, [[1, 2, 3, 4]], SMALL), undefined);
  // reduce of an empty list throws
  const red = tokens("function f(xs) { return Math.abs(xs.reduce((a, v) => a + v)); }");
  assert.deepEqual(traceValues(red, [[2, -5]], SMALL), [-3]);
  assert.equal(traceValues(red, [[]], SMALL), undefined);
  // Math.max of an empty list is -Infinity: not a value
  const mx = tokens("function f(xs) { return Math.max(...xs) + 1; }");
  assert.deepEqual(traceValues(mx, [[4, 8]], SMALL), [8]);
  assert.equal(traceValues(mx, [[]], SMALL), undefined);
});

Deno.test("trace: the arguments are not mutated by tracing", () => {
  const p = tokens("function f(xs) { return [...xs].reverse().length; }");
  const xs = [1, 2, 3];
  assert.deepEqual(traceValues(p, [xs], SMALL), [[3, 2, 1]]);
  assert.deepEqual(xs, [1, 2, 3]);
});

Deno.test("traceTokens: the trace's values encoded back to back", () => {
  const p = tokens("function f(xs) { return xs.map((v) => v + 1).filter((v) => v > 0).length; }");
  const enc = (v: unknown) => {
    const r = encodeValue("int[]", v, SMALL);
    if (!r.ok) throw new Error(r.message);
    return r.tokens;
  };
  assert.deepEqual(traceTokens(p, [[1, -3, 2]], SMALL), [...enc([2, -2, 3]), ...enc([2, 3])]);
  assert.equal(traceTokens(p, [[9]], SMALL), undefined); // 10 is outside the world
});

Deno.test("decodeValues: values back to back by type; leftovers or type errors are rejected", () => {
  const t = (v: unknown, type: "int" | "bool" | "int[]") => {
    const r = encodeValue(type, v, SMALL);
    if (!r.ok) throw new Error(r.message);
    return r.tokens;
  };
  const seq = [...t([2, 3], "int[]"), ...t(true, "bool"), ...t(-4, "int"), ...t([], "int[]")];
  assert.deepEqual(decodeValues(["int[]", "bool", "int", "int[]"], seq), [[2, 3], true, -4, []]);
  assert.equal(decodeValues(["int[]", "bool", "int"], seq), undefined); // a value left over
  assert.equal(decodeValues(["int[]", "int", "int", "int[]"], seq), undefined); // bool where int
  assert.equal(decodeValues(["int[]"], [LIST_OPEN, ...t(1, "int")]), undefined); // no ']'
  assert.deepEqual(decodeValues([], []), []);
  assert.equal(decodeValues(["int"], [LIST_OPEN, LIST_CLOSE]), undefined);
});

Deno.test("valuesMaxTokens: ints and bools take one token, lists their longest form", () => {
  assert.equal(valuesMaxTokens(["int", "bool", "int[]"], SMALL), 1 + 1 + 8);
  assert.equal(valuesMaxTokens([], SMALL), 0);
});

Deno.test("trace over generated tasks: one value per type, each of its type, in the world", () => {
  const bank = buildBank({ world: SMALL, maxSize: 4 });
  const rng = new Rng(1);
  let traced = 0;
  let nonEmpty = 0;
  const n = 400;
  for (let k = 0; k < n; k++) {
    const t = generateTask(rng, bank, "deduction");
    if (!t || t.task === "induction") continue;
    const types = traceTypes(t.tokens);
    const vs = traceValues(t.tokens, t.input, SMALL);
    if (vs === undefined) continue;
    traced++;
    if (vs.length > 0) nonEmpty++;
    assert.equal(vs.length, types.length);
    vs.forEach((v, j) => assert.ok(encodeValue(types[j]!, v, SMALL).ok, `${t.program} ${j}`));
  }
  // most tasks have a writable trace, and many programs of size ≤ 4 have a non-empty one
  assert.ok(traced > n * 0.8 && nonEmpty > n * 0.2, `${traced} traced, ${nonEmpty} non-empty`);
});
