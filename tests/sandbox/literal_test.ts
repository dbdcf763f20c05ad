import assert from "node:assert/strict";
import { parseJsArgs, parseJsLiteral } from "../../lib/sandbox/mod.ts";

// [source, expected value]
const OK: [string, unknown][] = [
  ["1", 1],
  ["-2.5", -2.5],
  ['"a\\"b"', 'a"b'],
  ["'single'", "single"],
  ["`tpl`", "tpl"],
  ["[1, [true, null]]", [1, [true, null]]],
  ['{5: 1, "abc": 2, 87.29: 3, x: []}', { "5": 1, abc: 2, "87.29": 3, x: [] }],
  ["undefined", undefined],
  ["[NaN, -Infinity]", [NaN, -Infinity]],
];

for (const [src, want] of OK) {
  Deno.test(`parseJsLiteral ${src}`, () => {
    assert.deepEqual(parseJsLiteral(src), { ok: true, value: want });
  });
}

const BAD = ["f()", "[...xs]", "{a}", "{[k]: 1}", "1 + 2", "[1,,2]", "/re/", "`${x}`", "1 2", "x"];
for (const src of BAD) {
  Deno.test(`parseJsLiteral rejects ${src}`, () => assert.equal(parseJsLiteral(src).ok, false));
}

Deno.test("parseJsArgs splits an argument list", () => {
  assert.deepEqual(parseJsArgs('"bcksrut", "q"'), { ok: true, value: ["bcksrut", "q"] });
  assert.deepEqual(parseJsArgs("[1, 3], {}"), { ok: true, value: [[1, 3], {}] });
  assert.deepEqual(parseJsArgs(""), { ok: true, value: [] });
});

Deno.test("parseJsLiteral keeps __proto__ as an own key, not a prototype", () => {
  const r = parseJsLiteral('{"__proto__": {"polluted": 1}}');
  assert.ok(r.ok);
  if (!r.ok) return;
  const v = r.value as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(v), Object.prototype);
  assert.deepEqual(Object.keys(v), ["__proto__"]);
});
