/** The console formatter on its own, in-process: what each kind of argument prints as. */
import assert from "node:assert/strict";
import { types } from "node:util";
import { formatConsoleArgs } from "../../lib/sandbox/console_format.ts";

const isProxy = (v: object) => types.isProxy(v);

class Point {
  x = 1;
}
const cyclic: unknown[] = [1];
cyclic.push(cyclic);

// [label, arguments of one console.log call, the line written by hand]
const CASES: [string, unknown[], string][] = [
  ["no arguments", [], ""],
  ["strings as is, joined by a space", ["a b", "c"], "a b c"],
  ["numbers as JS writes them", [1.5, -0, NaN, -Infinity], "1.5 -0 NaN -Infinity"],
  [
    "other primitives",
    [true, null, undefined, 10n, Symbol("s")],
    "true null undefined 10n Symbol(s)",
  ],
  [
    "array with a nested string, undefined and a hole",
    [[1, "a", undefined, , 2]],
    '[1,"a",undefined,<empty>,2]',
  ],
  ["plain object, key order kept", [{ b: [1], a: { c: null } }], '{"b":[1],"a":{"c":null}}'],
  ["null prototype", [Object.assign(Object.create(null), { k: 1 })], '{"k":1}'],
  ["non-enumerable and symbol keys skipped", [
    Object.defineProperty({ [Symbol("s")]: 1, v: 2 }, "h", { value: 3, enumerable: false }),
  ], '{"v":2}'],
  ["error", [new TypeError("bad")], "TypeError: bad"],
  ["error without a message", [new RangeError()], "RangeError"],
  ["date", [new Date(Date.UTC(2020, 0, 2))], "2020-01-02T00:00:00.000Z"],
  ["invalid date", [new Date(NaN)], "Invalid Date"],
  [
    "Map, class instance, boxed number",
    [new Map([[1, 2]]), new Point(), new Number(1)],
    "[object Map] [object Point] [object Number]",
  ],
  [
    "functions",
    [function named() {}, () => 1, Point],
    "[Function named] [Function (anonymous)] [Function Point]",
  ],
  ["cycle", [cyclic], "[1,[Circular]]"],
  ["nesting deeper than 4", [[[[[[1]]]]]], "[[[[[…]]]]]"],
];

for (const [label, args, want] of CASES) {
  Deno.test(`formatConsoleArgs: ${label}`, () => {
    assert.deepEqual(formatConsoleArgs(args, 1000, isProxy), { text: want, complete: true });
  });
}

Deno.test("formatConsoleArgs never calls a getter, toString, toJSON or a proxy trap", () => {
  const calls: string[] = [];
  const getter = {
    get a() {
      calls.push("getter");
      return 1;
    },
    set b(_v: unknown) {
      calls.push("setter");
    },
  };
  const sneaky = {
    toString: () => (calls.push("toString"), "s"),
    toJSON: () => (calls.push("toJSON"), 0),
  };
  class Tagged {
    get [Symbol.toStringTag]() {
      calls.push("tag");
      return "T";
    }
  }
  const proxy = new Proxy({}, {
    ownKeys: () => (calls.push("trap"), []),
    getPrototypeOf: () => (calls.push("trap"), null),
  });
  const err = new Error("m");
  Object.defineProperty(err, "message", { get: () => (calls.push("message"), "x") });
  const line = formatConsoleArgs(
    [getter, sneaky, new Tagged(), proxy, [proxy], err],
    1000,
    isProxy,
  );
  assert.deepEqual(calls, []);
  assert.equal(
    line.text,
    '{"a":[Getter],"b":[Setter]} {"toString":[Function toString],"toJSON":[Function toJSON]} ' +
      "[object Tagged] [Proxy] [[Proxy]] [object Error]",
  );
});

Deno.test("formatConsoleArgs stops at maxChars without splitting a surrogate pair", () => {
  assert.deepEqual(formatConsoleArgs(["abcdef"], 4, isProxy), { text: "abcd", complete: false });
  assert.deepEqual(formatConsoleArgs(["ab", "cd"], 5, isProxy), { text: "ab cd", complete: true });
  assert.deepEqual(formatConsoleArgs(["ab", "cd"], 4, isProxy), { text: "ab c", complete: false });
  // "a😀" is a, high surrogate, low surrogate: a cut after 2 code units keeps only "a".
  assert.deepEqual(formatConsoleArgs(["a\u{1f600}"], 2, isProxy), { text: "a", complete: false });
  // A huge array costs at most maxChars steps.
  const big = formatConsoleArgs([new Array(1e8)], 20, isProxy);
  assert.deepEqual(big, { text: "[<empty>,<empty>,<em", complete: false });
});
