import assert from "node:assert/strict";
import {
  compileProgram,
  identityProgram,
  interpretProgram,
  parseProgram,
  PRODUCTIONS,
  programSignature,
  renderProgram,
  sampleArgs,
  sampleProgram,
  signatureByName,
  SIGNATURES,
} from "../../lib/lang/mod.ts";
import { Rng } from "../../lib/rng.ts";

const BOUNDS = { intMin: -999, intMax: 999, maxListLen: 16 };

/** Parses hand-written JS (which must be in the subset) into tokens. */
function tokensOf(js: string, sig?: string): number[] {
  const r = parseProgram(js, sig ? { signature: signatureByName(sig)! } : {});
  if (!r.ok) throw new Error(`${js}: ${r.message}`);
  return r.tokens;
}

// [hand-written JS, args, expected result computed by hand]. DeepCoder semantics included.
const CASES: [string, unknown[], unknown][] = [
  ["function f(xs) { return xs.map((v) => v * 2); }", [[1, -2, 3]], [2, -4, 6]],
  ["function f(xs) { return xs.filter((v) => v % 2 === 0); }", [[1, 2, 3, 4, -6]], [2, 4, -6]],
  ["function f(xs) { return xs.reduce((a, v) => a + v * v, 0); }", [[1, 2, 3]], 14],
  ["function f(xs) { return xs.filter((v) => v % 2 !== 0).length; }", [[-3, -2, 5, 7]], 3], // COUNT isODD
  ["function f(x) { return Math.trunc(x / 2); }", [-7], -3], // SHR truncates toward zero
  ["function f(x) { return Math.trunc(x / 4); }", [7], 1],
  ["function f(xs, n) { return xs.slice(0, n); }", [[1, 2, 3, 4], -1], [1, 2, 3]], // TAKE, Python slice
  ["function f(xs, n) { return xs.slice(n); }", [[1, 2, 3, 4], -1], [4]], // DROP
  ["function f(xs, n) { return xs[n]; }", [[5, 6], 1], 6],
  ["function f(xs) { return xs.at(-1); }", [[5, 6, 9]], 9],
  ["function f(xs) { return Math.min(...xs); }", [[5, -6, 9]], -6],
  ["function f(xs) { return [...xs].sort((p, q) => p - q); }", [[10, -1, 2, 1]], [-1, 1, 2, 10]],
  ["function f(xs) { return [...xs].reverse(); }", [[1, 2, 3]], [3, 2, 1]],
  ["function f(xs) { return xs.reduce((a, v) => a + v, 0); }", [[]], 0],
  [
    "function f(xs, ys) { return xs.slice(0, ys.length).map((v, i) => v * ys[i]); }",
    [[1, 2, 3], [4, 5]],
    [4, 10],
  ], // ZIPWITH *
  [
    "function f(xs) { return xs.map((v, i) => xs.slice(0, i + 1).reduce((a, v) => Math.max(a, v))); }",
    [[1, 3, 2, 5]],
    [1, 3, 3, 5],
  ], // SCANL1 MAX
  ["function f(xs) { return [...new Set(xs)]; }", [[2, 1, 2, 3, 1]], [2, 1, 3]],
  ["function f(n) { return Array.from({ length: Math.min(n, 32) }, (_, i) => i * i); }", [4], [
    0,
    1,
    4,
    9,
  ]],
  [
    "function f(n) { return Array.from({ length: Math.min(n, 32) }, (_, i) => i).length; }",
    [1000],
    32,
  ],
  ["function f(n) { return Array.from({ length: Math.min(n, 32) }, (_, i) => i); }", [-5], []],
  ["function f(xs) { return xs.some((v) => v > 3) && !xs.includes(0); }", [[1, 4]], true],
  ["function f(xs) { return xs.every((v) => v > 3) || xs.indexOf(4) === 0; }", [[1, 4]], false],
  ["function f(x, y) { return x > y ? x - y : [x, ...[y]].length; }", [1, 5], 2],
  ["function f(xs, ys) { return [...xs.concat(ys), 7]; }", [[1], [2]], [1, 2, 7]],
  ["function f(x) { return -(3) * Math.abs(x) % 4; }", [-5], -3],
  ["function f(x) { return x - -3; }", [1], 4],
  ["function f(x) { return -x; }", [0], 0], // -0 comes back as 0, as from the sandbox
];

for (const [js, args, expected] of CASES) {
  Deno.test(`interpreter: ${js} on ${JSON.stringify(args)}`, () => {
    const tokens = tokensOf(js);
    assert.deepEqual(interpretProgram(tokens, args), { ok: true, value: expected });
    assert.equal(renderProgram(tokensOf(renderProgram(tokens))), renderProgram(tokens));
  });
}

// [JS, args, expected error kind] — the invalid results the sandbox reports too.
const ERRORS: [string, unknown[], string][] = [
  ["function f(xs) { return Math.max(...xs); }", [[]], "invalid_value"], // -Infinity
  ["function f(xs) { return xs[5]; }", [[1]], "invalid_value"], // undefined
  ["function f(xs) { return [xs[5]]; }", [[1]], "invalid_value"],
  ["function f(x) { return x % 0; }", [3], "invalid_value"], // NaN
  ["function f(x) { return Math.trunc(x / 0); }", [3], "invalid_value"], // Infinity
  ["function f(xs) { return xs.reduce((a, v) => a + v); }", [[]], "error"], // TypeError
];
for (const [js, args, kind] of ERRORS) {
  Deno.test(`interpreter error kind ${kind}: ${js}`, () => {
    const r = interpretProgram(tokensOf(js), args);
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.kind, kind);
  });
}

Deno.test("interpreter fuel turns a blow-up into a timeout", () => {
  const js = "function f(n) { return Array.from({ length: Math.min(n, 32) }, (_, i) => " +
    "Array.from({ length: Math.min(n, 32) }, (_, i) => Array.from({ length: Math.min(n, 32) }, (_, i) => i).length).length).length; }";
  const r = compileProgram(tokensOf(js))([32], { fuel: 1000 });
  assert.equal(r.ok ? "ok" : r.kind, "timeout");
  assert.deepEqual(compileProgram(tokensOf(js))([32]), { ok: true, value: 32 });
});

Deno.test("interpreter does not let a program mutate its caller's arguments", () => {
  const xs = [3, 1, 2];
  interpretProgram(tokensOf("function f(xs) { return [...xs].sort((p, q) => p - q); }"), [xs]);
  assert.deepEqual(xs, [3, 1, 2]);
});

Deno.test("10,000 random programs: interpreter = rendered JS run in-process (new Function)", () => {
  const rng = new Rng(11);
  let valid = 0;
  for (let n = 0; n < 10_000; n++) {
    const tokens = sampleProgram(rng, { budget: 4 + (n % 20) });
    const sig = programSignature(tokens);
    const args = sampleArgs(rng, sig, BOUNDS);
    const js = renderProgram(tokens);
    const mine = interpretProgram(tokens, args);
    let theirs: { ok: true; value: unknown } | { ok: false; kind: string };
    try {
      const f = new Function(`${js}\nreturn f;`)() as (...a: unknown[]) => unknown;
      theirs = { ok: true, value: f(...structuredClone(args)) };
    } catch {
      theirs = { ok: false, kind: "error" };
    }
    if (!mine.ok && mine.kind === "timeout") continue;
    if (mine.ok) {
      valid++;
      assert.ok(theirs.ok, js);
      // JSON's view of the raw value: the interpreter, like the sandbox, returns -0 as 0.
      const json = JSON.parse(JSON.stringify([theirs.value]))[0];
      assert.deepEqual(mine.value, json, `${js} on ${JSON.stringify(args)}`);
    } else if (mine.kind === "error") {
      assert.equal(theirs.ok, false, js);
    } else {
      // invalid_value: JS returned something outside the domain (NaN, ±Infinity, undefined).
      assert.ok(theirs.ok, js);
      assert.notDeepEqual(JSON.parse(JSON.stringify([theirs.value])), [theirs.value], js);
    }
  }
  assert.ok(valid > 5000, `only ${valid} valid results`);
});

// [JS outside the subset, construct named, column of the construct]
const UNSUPPORTED: [string, RegExp, number][] = [
  ["function f(x) { return x / 2; }", /operator '\/'/, 23],
  ["function f(xs) { return xs.push(1); }", /method \.push/, 24],
  ["function f(x) { return x == 1; }", /operator '=='/, 23],
  ["function f(x) { return x + 100; }", /literal 100/, 27],
  ["function f(x) { let y = x; return y; }", /VariableDeclaration/, 16],
  ["function f(xs) { return xs.map(function (v) { return v; }); }", /FunctionExpression/, 31],
  ["function f(x) { return x ? 1 : 2; }", /type/, 23],
  ["function f(xs) { return Array.from({ length: xs.length }, (_, i) => i); }", /Array\.from/, 24],
  ["function f(x) { return (", /syntax/, 24],
];
for (const [js, construct, column] of UNSUPPORTED) {
  Deno.test(`parser rejects ${js}`, () => {
    const r = parseProgram(js);
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.match(r.construct, construct);
    assert.equal(r.position.line, 1);
    assert.equal(r.position.column, column);
  });
}

// [source with any names and spacing, canonical rendering written by hand]
const CANONICAL: [string, string][] = [
  ["function g(a) {return a.map(x=>x+1)}", "function f(xs) { return xs.map((v) => v + 1); }"],
  ["function f(x) { return ((x + 1)) * 2; }", "function f(x) { return (x + 1) * 2; }"],
  ["function f(x) { return x - (1 - x); }", "function f(x) { return x - (1 - x); }"],
  ["function f(x) { return -(-x); }", "function f(x) { return -(-x); }"],
  ["function f(x) { return -(3); }", "function f(x) { return -(3); }"],
  ["function f(x) { return -3; }", "function f(x) { return -3; }"],
  [
    "function f(xs) { return xs.reduce((s, e) => s + e, 0); }",
    "function f(xs) { return xs.reduce((a, v) => a + v, 0); }",
  ],
];
for (const [src, canonical] of CANONICAL) {
  Deno.test(`canonical rendering of ${src}`, () => {
    assert.equal(renderProgram(tokensOf(src)), canonical);
  });
}

Deno.test("a lambda variable shadowed by an inner lambda cannot be reached", () => {
  const r = parseProgram("function f(xs) { return xs.map((u) => xs.map((w) => u + w).length); }");
  assert.equal(r.ok, false);
});

Deno.test("identity seed program per signature", () => {
  const rendered = SIGNATURES.map((s) => {
    const p = identityProgram(s);
    return p ? renderProgram(p) : null;
  });
  assert.deepEqual(rendered, [
    "function f(x) { return x; }",
    null,
    null,
    "function f(xs) { return xs; }",
    null,
    null,
    "function f(xs, n) { return xs; }",
    "function f(xs, n) { return n; }",
    "function f(x, y) { return x; }",
    "function f(xs, ys) { return xs; }",
    null,
  ]);
});

Deno.test("every DeepCoder function and lambda is reachable (grammar table)", () => {
  const names = PRODUCTIONS.flatMap((p) => (p.deepcoder ?? "").split(/[\s(),=]+/));
  for (
    const dc of [
      "ACCESS",
      "HEAD",
      "LAST",
      "MINIMUM",
      "MAXIMUM",
      "REVERSE",
      "SORT",
      "SUM",
      "MAP",
      "FILTER",
      "COUNT",
      "ZIPWITH",
      "SCANL1",
      "TAKE",
      "DROP",
    ]
  ) {
    assert.ok(names.includes(dc), dc);
  }
});

Deno.test("parser: `xs.slice()` before an in-place sort/reverse is the same copy as `[...xs]`", () => {
  const pairs = [
    [
      "function f(xs) { return xs.slice().sort((a, b) => a - b); }",
      "function f(xs) { return [...xs].sort((p, q) => p - q); }",
    ],
    [
      "function f(xs) { return xs.slice().reverse(); }",
      "function f(xs) { return [...xs].reverse(); }",
    ],
  ];
  for (const [a, b] of pairs) {
    const ra = parseProgram(a!);
    const rb = parseProgram(b!);
    assert.ok(ra.ok && rb.ok, a ?? "");
    assert.deepEqual(ra.tokens, rb.tokens);
  }
  // a bare copy is not a production: still outside the language
  const bare = parseProgram("function f(xs) { return xs.slice(); }");
  assert.ok(!bare.ok);
  assert.match(bare.message, /\.slice with 0 arguments/);
});
