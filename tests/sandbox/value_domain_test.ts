import assert from "node:assert/strict";
import { checkJsonValue, encodeJsonValue, isJsonValue } from "../../lib/sandbox/mod.ts";

const LIMITS = { maxDepth: 8, maxChars: 200, isProxy: () => false };

// Values in the domain, with their JSON text written by hand.
const VALID: [string, unknown, string][] = [
  ["null", null, "null"],
  ["true", true, "true"],
  ["int", 42, "42"],
  ["negative float", -1.5, "-1.5"],
  ["exponent", 1e21, "1e+21"],
  ["string with quote and newline", 'a"b\n', '"a\\"b\\n"'],
  ["lone surrogate is escaped", "\ud800", '"\\ud800"'],
  ["empty array", [], "[]"],
  ["nested", { b: [1, { c: null }], a: "x" }, '{"b":[1,{"c":null}],"a":"x"}'],
  ["integer keys come first", { b: 1, 2: 2 }, '{"2":2,"b":1}'],
  ["null prototype", Object.assign(Object.create(null), { k: 1 }), '{"k":1}'],
  // -0 is written as JSON writes it, so it comes back as 0 (README: value domain).
  ["-0", -0, "0"],
  ["-0 nested", { a: [-0, 1] }, '{"a":[0,1]}'],
];

for (const [name, value, text] of VALID) {
  Deno.test(`encodeJsonValue accepts ${name}`, () => {
    assert.deepEqual(encodeJsonValue(value, LIMITS), { ok: true, text });
    assert.equal(isJsonValue(value), true);
  });
}

class Point {
  x = 1;
}
const cyclic: unknown[] = [];
cyclic.push(cyclic);
const extraProp = Object.assign([1], { extra: 2 });
const symbolKey = { [Symbol("k")]: 1 };
const hidden = Object.defineProperty({}, "h", { value: 1, enumerable: false });
let deep: unknown = 0;
for (let i = 0; i < 10; i++) deep = [deep];

// Values outside the domain, with the word the message must contain.
const INVALID: [string, unknown, string][] = [
  ["NaN", NaN, "NaN"],
  ["Infinity", Infinity, "Infinity"],
  ["-Infinity", -Infinity, "-Infinity"],
  ["undefined", undefined, "undefined"],
  ["undefined in array", [1, undefined], "$[1]"],
  ["undefined in object", { a: undefined }, '$["a"]'],
  ["bigint", 1n, "BigInt"],
  ["function", () => 1, "function"],
  ["symbol", Symbol("s"), "Symbol"],
  ["Map", new Map(), "non-plain"],
  ["Set", new Set([1]), "non-plain"],
  ["Date", new Date(0), "non-plain"],
  ["typed array", new Uint8Array(2), "non-plain"],
  ["class instance", new Point(), "non-plain"],
  ["boxed number", new Number(1), "non-plain"],
  ["RegExp", /a/, "non-plain"],
  ["Error", new Error("e"), "non-plain"],
  ["Promise", Promise.resolve(1), "Promise"],
  ["cycle", cyclic, "cycle"],
  ["hole", [1, , 3], "hole"],
  ["array extra property", extraProp, "extra"],
  ["accessor", {
    get a() {
      return 1;
    },
  }, "accessor"],
  ["symbol key", symbolKey, "symbol key"],
  ["non-enumerable", hidden, "non-enumerable"],
  ["too deep", deep, "deeper"],
];

for (const [name, value, word] of INVALID) {
  Deno.test(`encodeJsonValue rejects ${name}`, () => {
    const r = encodeJsonValue(value, LIMITS);
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.kind, "invalid_value");
    assert.ok(r.message.includes(word), `message "${r.message}" should mention ${word}`);
  });
}

Deno.test("encodeJsonValue never calls a getter", () => {
  let called = false;
  const v = {
    get a() {
      called = true;
      return 1;
    },
  };
  encodeJsonValue(v, LIMITS);
  assert.equal(called, false);
});

Deno.test("checkJsonValue detects a Proxy without running its traps", () => {
  let trapped = false;
  const p = new Proxy({}, {
    ownKeys() {
      trapped = true;
      return [];
    },
  });
  const r = checkJsonValue({ p });
  assert.equal(r.ok, false);
  assert.equal(trapped, false);
});

Deno.test("output cap: output_too_large", () => {
  const r = encodeJsonValue("x".repeat(300), LIMITS);
  assert.equal(r.ok ? "ok" : r.kind, "output_too_large");
  const big = encodeJsonValue(new Array(1000).fill(0), LIMITS);
  assert.equal(big.ok ? "ok" : big.kind, "output_too_large");
});

Deno.test("checkJsonValue returns the value itself", () => {
  const v = { a: [1, 2] };
  const r = checkJsonValue(v);
  assert.ok(r.ok && r.value === v);
});

Deno.test("checkJsonValue returns 0 for -0, as the sandbox does", () => {
  assert.ok(Object.is((checkJsonValue(-0) as { value: unknown }).value, 0));
  const v = { a: [1, -0], b: "x" };
  const r = checkJsonValue(v);
  assert.ok(r.ok && r.value !== v);
  // deepEqual (strict) tells -0 from 0.
  assert.deepEqual(r.ok && r.value, { a: [1, 0], b: "x" });
  assert.deepEqual(v, { a: [1, -0], b: "x" }, "the caller's value is left as it was");
});

Deno.test("lone surrogates round-trip through the JSON text", () => {
  const s = "a\udc00b\ud83d";
  const r = encodeJsonValue(s, LIMITS);
  assert.ok(r.ok);
  if (r.ok) assert.equal(JSON.parse(r.text), s);
});
