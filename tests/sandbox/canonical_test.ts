import assert from "node:assert/strict";
import { canonicalValue, type JsonValue, sameValue } from "../../lib/sandbox/mod.ts";

// [value, canonical text written by hand]
const CANONICAL: [JsonValue, string][] = [
  [null, "null"],
  [1.5, "1.5"],
  ["é\n", '"é\\n"'],
  [[3, [2, 1]], "[3,[2,1]]"],
  [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
  [{ 10: "x", 9: "y", a: { d: 1, c: 2 } }, '{"10":"x","9":"y","a":{"c":2,"d":1}}'],
];

for (const [v, text] of CANONICAL) {
  Deno.test(`canonicalValue ${text}`, () => assert.equal(canonicalValue(v), text));
}

// [a, b, same?]
const PAIRS: [JsonValue, JsonValue, boolean][] = [
  [1, 1, true],
  [1, "1", false],
  [0, false, false],
  [null, [], false],
  [[], {}, false],
  [[1, 2], [1, 2], true],
  [[1, 2], [2, 1], false],
  [[1], [1, 1], false],
  [{ a: 1, b: 2 }, { b: 2, a: 1 }, true],
  [{ a: 1 }, { a: 1, b: 2 }, false],
  [{ a: 1, b: 2 }, { a: 1, c: 2 }, false],
  [{ a: [{ b: null }] }, { a: [{ b: null }] }, true],
  [{ a: [{ b: null }] }, { a: [{ b: 0 }] }, false],
];

for (const [a, b, same] of PAIRS) {
  Deno.test(`sameValue ${JSON.stringify(a)} ${JSON.stringify(b)} = ${same}`, () => {
    assert.equal(sameValue(a, b), same);
    assert.equal(sameValue(b, a), same);
    assert.equal(canonicalValue(a) === canonicalValue(b), same);
  });
}
