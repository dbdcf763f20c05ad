/**
 * The productions of the typed program language: each has a result type, typed child
 * slots in prefix (= rendering) order, the lambda variables a slot binds, a JS rendering
 * with correct precedence, and an evaluator that performs exactly the JS operation of
 * its rendering (so the reference interpreter agrees with the sandbox by construction).
 *
 * Lambda variables have fixed names and types (all `int`): `v` (element), `i` (index),
 * `a` (accumulator). An inner lambda that binds the same name shadows the outer one, as
 * in JS. Leaves (int literals, `true`/`false`, parameters, lambda variables) are tokens
 * of `vocab.ts`, not productions.
 *
 * | production | JS | DeepCoder |
 * |---|---|---|
 * | ADD SUB MUL | `a + b`, `a - b`, `a * b` | `+ - *` lambdas of ZIPWITH/SCANL1, INC DEC SHL MUL3 MUL4 SQR (with literals) |
 * | DIV | `Math.trunc(a / b)` | SHR DIV3 DIV4 (truncate toward zero) |
 * | MOD | `a % b` | isODD = `v % 2 !== 0`, isEVEN = `v % 2 === 0` (same as Python's on ints) |
 * | NEG | `-a` | doNEG |
 * | MAX2 MIN2 ABS | `Math.max(a, b)`, `Math.min(a, b)`, `Math.abs(a)` | MAX, MIN lambdas |
 * | COND_INT COND_LIST | `c ? a : b` | |
 * | LEN | `xs.length` | (COUNT = LEN of FILTER) |
 * | INDEX | `xs[i]` | ACCESS, HEAD = `xs[0]` |
 * | LAST | `xs.at(-1)` | LAST |
 * | MINIMUM MAXIMUM | `Math.min(...xs)`, `Math.max(...xs)` | MINIMUM, MAXIMUM |
 * | INDEX_OF | `xs.indexOf(a)` | |
 * | FOLD | `xs.reduce((a, v) => e, init)` | SUM = `xs.reduce((a, v) => a + v, 0)` |
 * | REDUCE1 | `xs.reduce((a, v) => e)` (TypeError when empty) | SCANL1 = `xs.map((v, i) => xs.slice(0, i + 1).reduce((a, v) => e))` |
 * | LT LE GT GE EQ NE | `a < b` … `a === b`, `a !== b` | isPOS isNEG (with literal 0) |
 * | AND OR NOT | `p && q`, `p \|\| q`, `!p` | |
 * | INCLUDES | `xs.includes(a)` | |
 * | SOME EVERY | `xs.some((v) => p)`, `xs.every((v) => p)` | |
 * | EMPTY SINGLETON | `[]`, `[a]` | |
 * | MAP | `xs.map((v) => e)` | MAP |
 * | MAP_I | `xs.map((v, i) => e)` | ZIPWITH = `xs.slice(0, ys.length).map((v, i) => e(v, ys[i]))` |
 * | FILTER | `xs.filter((v) => p)` | FILTER |
 * | SLICE_FROM SLICE | `xs.slice(a)`, `xs.slice(a, b)` | DROP, TAKE = `xs.slice(0, n)` (Python slicing) |
 * | CONCAT APPEND PREPEND | `xs.concat(ys)`, `[...xs, a]`, `[a, ...xs]` | |
 * | REVERSE SORT | `[...xs].reverse()`, `[...xs].sort((p, q) => p - q)` | REVERSE, SORT |
 * | UNIQUE | `[...new Set(xs)]` | |
 * | RANGE | `Array.from({ length: Math.min(n, 32) }, (_, i) => e)` | |
 *
 * RANGE clamps its length to {@linkcode RANGE_MAX} in the rendered JS itself, so the
 * sandbox and the interpreter agree and no program can allocate a huge array.
 * @module
 */
import type { LangType } from "./types.ts";

/** A lambda variable name; all are ints. */
export type BoundVar = "v" | "i" | "a";
/** Bit of each lambda variable in a scope mask. */
export const VAR_BIT: Readonly<Record<BoundVar, number>> = { v: 1, i: 2, a: 4 };
/** The lambda variables, in token order. */
export const BOUND_VARS: readonly BoundVar[] = ["v", "i", "a"];

/** Longest array RANGE may build (the clamp is part of its rendered JS). */
export const RANGE_MAX = 32;

/** A child slot: its type and the lambda variables it binds (a lambda body) if any. */
export interface Slot {
  readonly type: LangType;
  readonly binds?: readonly BoundVar[];
}

/** A rendered expression: source text and its JS precedence (higher binds tighter). */
export interface Rendered {
  readonly code: string;
  readonly prec: number;
}

/** JS precedence levels used by the renderer. */
export const PREC = {
  primary: 20,
  member: 18,
  unary: 14,
  mul: 12,
  add: 11,
  rel: 9,
  eq: 8,
  and: 5,
  or: 4,
  cond: 3,
  arrow: 2,
} as const;

/** Evaluation environment: parameter values, lambda variables, and shared fuel. */
export interface Env {
  readonly params: readonly unknown[];
  readonly v?: unknown;
  readonly i?: unknown;
  readonly a?: unknown;
  readonly fuel: { left: number };
}
/** A compiled expression. */
export type Compiled = (env: Env) => unknown;

/** One production of the grammar. */
export interface Production {
  /** Token name (stable: it fixes the token id). */
  readonly name: string;
  readonly result: LangType;
  /** Children in prefix order, which is also their left-to-right order in the JS. */
  readonly children: readonly Slot[];
  /** JS shape, for documentation tables. */
  readonly js: string;
  /**
   * The call this production is written as, when it is a plain one: a method of its first
   * child (`xs.indexOf(a)`: `{ method: "indexOf" }`) or a function of all its children
   * (`Math.max(a, b)`: `{ fn: "Math.max" }`; an `int[]` child is spread, `Math.max(...xs)`).
   * The parser (./parse.ts) finds productions by it, the number of arguments and, for a
   * lambda child, the arrow's parameter count.
   */
  readonly calls?: { method: string } | { fn: string };
  /** The binary operator this production is written with (`a + b`: `"+"`), found by the parser. */
  readonly infix?: string;
  /** DeepCoder function or lambda this production implements directly, if any. */
  readonly deepcoder?: string;
  readonly render: (kids: readonly Rendered[]) => Rendered;
  /** Builds the evaluator from the children's; children are thunks (short-circuit, lazy). */
  readonly compile: (kids: readonly Compiled[]) => Compiled;
}

/** Parenthesises `r` unless it binds at least as tightly as `min`. */
export function wrap(r: Rendered, min: number): string {
  return r.prec >= min ? r.code : `(${r.code})`;
}

const I: Slot = { type: "int" };
const B: Slot = { type: "bool" };
const L: Slot = { type: "int[]" };
const lam = (type: LangType, ...binds: BoundVar[]): Slot => ({ type, binds });

type Num = number;
type Arr = number[];
const num = (c: Compiled, e: Env) => c(e) as Num;
const arr = (c: Compiled, e: Env) => c(e) as Arr;
const bool = (c: Compiled, e: Env) => c(e) as boolean;

function binop(
  name: string,
  op: string,
  prec: number,
  result: LangType,
  argType: Slot,
  f: (x: Num, y: Num) => unknown,
  deepcoder?: string,
): Production {
  return {
    name,
    result,
    children: [argType, argType],
    js: `a ${op} b`,
    infix: op,
    ...(deepcoder ? { deepcoder } : {}),
    render: ([x, y]) => ({ code: `${wrap(x!, prec)} ${op} ${wrap(y!, prec + 1)}`, prec }),
    compile: ([x, y]) => (e) => f(num(x!, e), num(y!, e)),
  };
}

function call(name: string, result: LangType, fn: string, children: Slot[]): Pick<
  Production,
  "name" | "result" | "children" | "js" | "calls" | "render"
> {
  return {
    name,
    result,
    children,
    calls: { fn },
    js: `${fn}(${children.map((_, k) => "abc"[k]).join(", ")})`,
    render: (kids) => ({
      code: `${fn}(${kids.map((k) => wrap(k, PREC.arrow)).join(", ")})`,
      prec: PREC.member,
    }),
  };
}

function method(name: string, result: LangType, m: string, children: Slot[]): Pick<
  Production,
  "name" | "result" | "children" | "js" | "calls" | "render"
> {
  return {
    name,
    result,
    children,
    calls: { method: m },
    js: `xs.${m}(${children.slice(1).map((_, k) => "ab"[k]).join(", ")})`,
    render: ([o, ...args]) => ({
      code: `${wrap(o!, PREC.member)}.${m}(${args.map((k) => wrap(k, PREC.arrow)).join(", ")})`,
      prec: PREC.member,
    }),
  };
}

function lambdaMethod(
  name: string,
  result: LangType,
  m: string,
  params: string,
  body: LangType,
  binds: BoundVar[],
): Pick<Production, "name" | "result" | "children" | "js" | "calls" | "render"> {
  return {
    name,
    result,
    children: [L, lam(body, ...binds)],
    calls: { method: m },
    js: `xs.${m}(${params} => e)`,
    render: ([o, b]) => ({
      code: `${wrap(o!, PREC.member)}.${m}(${params} => ${wrap(b!, PREC.arrow)})`,
      prec: PREC.member,
    }),
  };
}

function tick(e: Env): void {
  if (--e.fuel.left < 0) throw new FuelExhausted();
}

/** Thrown by compiled code when the interpreter's fuel runs out (caught by the interpreter). */
export class FuelExhausted extends Error {
  constructor() {
    super("interpreter fuel exhausted");
  }
}

/** The productions, in token order. Append new ones at the end (ids are stable). */
export const PRODUCTIONS: readonly Production[] = [
  binop("ADD", "+", PREC.add, "int", I, (x, y) => x + y, "+"),
  binop("SUB", "-", PREC.add, "int", I, (x, y) => x - y, "-"),
  binop("MUL", "*", PREC.mul, "int", I, (x, y) => x * y, "*"),
  {
    // Not a plain call: its two children are the operands of the `/` inside Math.trunc.
    name: "DIV",
    result: "int",
    children: [I, I],
    js: "Math.trunc(a / b)",
    deepcoder: "SHR DIV3 DIV4",
    render: ([x, y]) => ({
      code: `Math.trunc(${wrap(x!, PREC.mul)} / ${wrap(y!, PREC.mul + 1)})`,
      prec: PREC.member,
    }),
    compile: ([x, y]) => (e) => Math.trunc(num(x!, e) / num(y!, e)),
  },
  binop("MOD", "%", PREC.mul, "int", I, (x, y) => x % y),
  {
    name: "NEG",
    result: "int",
    children: [I],
    js: "-a",
    deepcoder: "doNEG",
    // A literal operand keeps its parentheses so `-(3)` is not read back as the literal -3.
    render: ([x]) => ({
      code: x!.prec === PREC.primary && /^\d/.test(x!.code) || x!.code.startsWith("-")
        ? `-(${x!.code})`
        : `-${wrap(x!, PREC.unary)}`,
      prec: PREC.unary,
    }),
    compile: ([x]) => (e) => -num(x!, e),
  },
  {
    ...call("MAX2", "int", "Math.max", [I, I]),
    deepcoder: "MAX",
    compile: ([x, y]) => (e) => Math.max(num(x!, e), num(y!, e)),
  },
  {
    ...call("MIN2", "int", "Math.min", [I, I]),
    deepcoder: "MIN",
    compile: ([x, y]) => (e) => Math.min(num(x!, e), num(y!, e)),
  },
  { ...call("ABS", "int", "Math.abs", [I]), compile: ([x]) => (e) => Math.abs(num(x!, e)) },
  ...(["int", "int[]"] as const).map((t): Production => ({
    name: t === "int" ? "COND_INT" : "COND_LIST",
    result: t,
    children: [B, { type: t }, { type: t }],
    js: "c ? a : b",
    render: ([c, x, y]) => ({
      code: `${wrap(c!, PREC.or)} ? ${wrap(x!, PREC.or)} : ${wrap(y!, PREC.cond)}`,
      prec: PREC.cond,
    }),
    compile: ([c, x, y]) => (e) => bool(c!, e) ? x!(e) : y!(e),
  })),
  {
    name: "LEN",
    result: "int",
    children: [L],
    js: "xs.length",
    render: ([o]) => ({ code: `${wrap(o!, PREC.member)}.length`, prec: PREC.member }),
    compile: ([o]) => (e) => arr(o!, e).length,
  },
  {
    name: "INDEX",
    result: "int",
    children: [L, I],
    js: "xs[a]",
    deepcoder: "ACCESS HEAD",
    render: ([o, k]) => ({ code: `${wrap(o!, PREC.member)}[${k!.code}]`, prec: PREC.member }),
    compile: ([o, k]) => (e) => {
      const xs = arr(o!, e);
      return xs[num(k!, e)];
    },
  },
  {
    name: "LAST",
    result: "int",
    children: [L],
    js: "xs.at(-1)",
    deepcoder: "LAST",
    render: ([o]) => ({ code: `${wrap(o!, PREC.member)}.at(-1)`, prec: PREC.member }),
    compile: ([o]) => (e) => arr(o!, e).at(-1),
  },
  {
    ...call("MINIMUM", "int", "Math.min", [L]),
    js: "Math.min(...xs)",
    deepcoder: "MINIMUM",
    render: ([o]) => ({ code: `Math.min(...${wrap(o!, PREC.arrow)})`, prec: PREC.member }),
    compile: ([o]) => (e) => Math.min(...arr(o!, e)),
  },
  {
    ...call("MAXIMUM", "int", "Math.max", [L]),
    js: "Math.max(...xs)",
    deepcoder: "MAXIMUM",
    render: ([o]) => ({ code: `Math.max(...${wrap(o!, PREC.arrow)})`, prec: PREC.member }),
    compile: ([o]) => (e) => Math.max(...arr(o!, e)),
  },
  {
    ...method("INDEX_OF", "int", "indexOf", [L, I]),
    compile: ([o, k]) => (e) => {
      const xs = arr(o!, e);
      return xs.indexOf(num(k!, e));
    },
  },
  {
    name: "FOLD",
    result: "int",
    children: [L, lam("int", "a", "v"), I],
    js: "xs.reduce((a, v) => e, init)",
    calls: { method: "reduce" },
    deepcoder: "SUM",
    render: ([o, b, init]) => ({
      code: `${wrap(o!, PREC.member)}.reduce((a, v) => ${wrap(b!, PREC.arrow)}, ${
        wrap(init!, PREC.arrow)
      })`,
      prec: PREC.member,
    }),
    compile: ([o, b, init]) => (e) => {
      const xs = arr(o!, e);
      const start = init!(e);
      return xs.reduce((acc: unknown, x) => b!({ ...e, a: acc, v: x }), start);
    },
  },
  {
    name: "REDUCE1",
    result: "int",
    children: [L, lam("int", "a", "v")],
    js: "xs.reduce((a, v) => e)",
    calls: { method: "reduce" },
    deepcoder: "SCANL1 (with MAP_I and SLICE)",
    render: ([o, b]) => ({
      code: `${wrap(o!, PREC.member)}.reduce((a, v) => ${wrap(b!, PREC.arrow)})`,
      prec: PREC.member,
    }),
    compile: ([o, b]) => (e) => {
      const xs = arr(o!, e) as unknown[];
      return xs.reduce((acc: unknown, x: unknown) => b!({ ...e, a: acc, v: x }));
    },
  },
  binop("LT", "<", PREC.rel, "bool", I, (x, y) => x < y, "isNEG"),
  binop("LE", "<=", PREC.rel, "bool", I, (x, y) => x <= y),
  binop("GT", ">", PREC.rel, "bool", I, (x, y) => x > y, "isPOS"),
  binop("GE", ">=", PREC.rel, "bool", I, (x, y) => x >= y),
  binop("EQ", "===", PREC.eq, "bool", I, (x, y) => x === y, "isEVEN"),
  binop("NE", "!==", PREC.eq, "bool", I, (x, y) => x !== y, "isODD"),
  {
    name: "AND",
    result: "bool",
    children: [B, B],
    js: "p && q",
    infix: "&&",
    render: ([x, y]) => ({
      code: `${wrap(x!, PREC.and)} && ${wrap(y!, PREC.and + 1)}`,
      prec: PREC.and,
    }),
    compile: ([x, y]) => (e) => bool(x!, e) && bool(y!, e),
  },
  {
    name: "OR",
    result: "bool",
    children: [B, B],
    js: "p || q",
    infix: "||",
    render: ([x, y]) => ({
      code: `${wrap(x!, PREC.or)} || ${wrap(y!, PREC.or + 1)}`,
      prec: PREC.or,
    }),
    compile: ([x, y]) => (e) => bool(x!, e) || bool(y!, e),
  },
  {
    name: "NOT",
    result: "bool",
    children: [B],
    js: "!p",
    render: ([x]) => ({ code: `!${wrap(x!, PREC.unary)}`, prec: PREC.unary }),
    compile: ([x]) => (e) => !bool(x!, e),
  },
  {
    ...method("INCLUDES", "bool", "includes", [L, I]),
    compile: ([o, k]) => (e) => {
      const xs = arr(o!, e);
      return xs.includes(num(k!, e));
    },
  },
  {
    ...lambdaMethod("SOME", "bool", "some", "(v)", "bool", ["v"]),
    compile: ([o, b]) => (e) => arr(o!, e).some((x) => bool(b!, { ...e, v: x })),
  },
  {
    ...lambdaMethod("EVERY", "bool", "every", "(v)", "bool", ["v"]),
    compile: ([o, b]) => (e) => arr(o!, e).every((x) => bool(b!, { ...e, v: x })),
  },
  {
    name: "EMPTY",
    result: "int[]",
    children: [],
    js: "[]",
    render: () => ({ code: "[]", prec: PREC.primary }),
    compile: () => () => [],
  },
  {
    name: "SINGLETON",
    result: "int[]",
    children: [I],
    js: "[a]",
    render: ([x]) => ({ code: `[${wrap(x!, PREC.arrow)}]`, prec: PREC.primary }),
    compile: ([x]) => (e) => [x!(e)],
  },
  {
    ...lambdaMethod("MAP", "int[]", "map", "(v)", "int", ["v"]),
    deepcoder: "MAP",
    compile: ([o, b]) => (e) => arr(o!, e).map((x) => b!({ ...e, v: x })),
  },
  {
    ...lambdaMethod("MAP_I", "int[]", "map", "(v, i)", "int", ["v", "i"]),
    deepcoder: "ZIPWITH (with SLICE and INDEX)",
    compile: ([o, b]) => (e) => arr(o!, e).map((x, k) => b!({ ...e, v: x, i: k })),
  },
  {
    ...lambdaMethod("FILTER", "int[]", "filter", "(v)", "bool", ["v"]),
    deepcoder: "FILTER (COUNT = LEN of FILTER)",
    compile: ([o, b]) => (e) => arr(o!, e).filter((x) => bool(b!, { ...e, v: x })),
  },
  {
    ...method("SLICE_FROM", "int[]", "slice", [L, I]),
    deepcoder: "DROP",
    compile: ([o, k]) => (e) => {
      const xs = arr(o!, e);
      return xs.slice(num(k!, e));
    },
  },
  {
    ...method("SLICE", "int[]", "slice", [L, I, I]),
    deepcoder: "TAKE = xs.slice(0, n)",
    compile: ([o, k, m]) => (e) => {
      const xs = arr(o!, e);
      const from = num(k!, e);
      return xs.slice(from, num(m!, e));
    },
  },
  {
    ...method("CONCAT", "int[]", "concat", [L, L]),
    compile: ([o, k]) => (e) => {
      const xs = arr(o!, e);
      return xs.concat(arr(k!, e));
    },
  },
  {
    name: "APPEND",
    result: "int[]",
    children: [L, I],
    js: "[...xs, a]",
    render: ([o, x]) => ({
      code: `[...${wrap(o!, PREC.arrow)}, ${wrap(x!, PREC.arrow)}]`,
      prec: PREC.primary,
    }),
    compile: ([o, x]) => (e) => {
      const xs = arr(o!, e);
      return [...xs, x!(e)];
    },
  },
  {
    name: "PREPEND",
    result: "int[]",
    children: [I, L],
    js: "[a, ...xs]",
    render: ([x, o]) => ({
      code: `[${wrap(x!, PREC.arrow)}, ...${wrap(o!, PREC.arrow)}]`,
      prec: PREC.primary,
    }),
    compile: ([x, o]) => (e) => {
      const v = x!(e);
      return [v, ...arr(o!, e)];
    },
  },
  {
    name: "REVERSE",
    result: "int[]",
    children: [L],
    js: "[...xs].reverse()",
    deepcoder: "REVERSE",
    render: ([o]) => ({ code: `[...${wrap(o!, PREC.arrow)}].reverse()`, prec: PREC.member }),
    compile: ([o]) => (e) => [...arr(o!, e)].reverse(),
  },
  {
    name: "SORT",
    result: "int[]",
    children: [L],
    js: "[...xs].sort((p, q) => p - q)",
    deepcoder: "SORT",
    render: ([o]) => ({
      code: `[...${wrap(o!, PREC.arrow)}].sort((p, q) => p - q)`,
      prec: PREC.member,
    }),
    compile: ([o]) => (e) => [...arr(o!, e)].sort((p, q) => p - q),
  },
  {
    name: "UNIQUE",
    result: "int[]",
    children: [L],
    js: "[...new Set(xs)]",
    render: ([o]) => ({ code: `[...new Set(${wrap(o!, PREC.arrow)})]`, prec: PREC.primary }),
    compile: ([o]) => (e) => [...new Set(arr(o!, e))],
  },
  {
    name: "RANGE",
    result: "int[]",
    children: [I, lam("int", "i")],
    js: `Array.from({ length: Math.min(n, ${RANGE_MAX}) }, (_, i) => e)`,
    render: ([n, b]) => ({
      code: `Array.from({ length: Math.min(${wrap(n!, PREC.arrow)}, ${RANGE_MAX}) }, (_, i) => ${
        wrap(b!, PREC.arrow)
      })`,
      prec: PREC.member,
    }),
    compile: ([n, b]) => (e) =>
      Array.from({ length: Math.min(num(n!, e), RANGE_MAX) }, (_, k) => b!({ ...e, i: k })),
  },
];

/** Wraps every compiled node so each evaluation spends one unit of fuel. */
export function fueled(c: Compiled): Compiled {
  return (e) => {
    tick(e);
    return c(e);
  };
}
