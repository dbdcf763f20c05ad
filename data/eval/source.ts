/**
 * The hand-written source of the held-out eval suites: every program and every input below was
 * written by hand (nothing is sampled). `build.ts` runs each program on its inputs to fill in the
 * outputs and writes `wide/deduction.jsonl`, `wide/abduction.jsonl` and `wide/induction.jsonl`:
 * the suites of the `wide` world (ints ±999, lists ≤ 16, literals −10..10). The small world's
 * suites are written in `source_small.ts`.
 *
 * Programs use the JS vocabulary of the kit's typed language (lib/lang) and cover the DeepCoder
 * operations (HEAD, LAST, TAKE, DROP, ACCESS, MINIMUM, MAXIMUM, REVERSE, SORT, SUM, MAP, FILTER,
 * COUNT, ZIPWITH, SCANL1 and their lambdas); entries marked `outside` are deliberately written
 * outside the language (loops, `let`, strings, bitwise operators, recursion) so that the eval can
 * report them as "not expressible".
 * @module
 */
import type { TaskType } from "../../lib/config.ts";

/** The entry signatures of the language (the wide suites use the first six). */
export type SourceSignature =
  | "(int) -> int"
  | "(int[]) -> int[]"
  | "(int[]) -> int"
  | "(int[]) -> bool"
  | "(int[], int) -> int[]"
  | "(int, int) -> int"
  | "(int) -> bool"
  | "(int) -> int[]"
  | "(int[], int) -> int"
  | "(int[], int[]) -> int[]"
  | "(int[], int[]) -> int";

/** An argument value. */
export type SourceValue = number | boolean | number[];

/** One task before its outputs are computed. */
export interface SourceTask {
  id: string;
  task: TaskType;
  signature: SourceSignature;
  /** Full JS source declaring `function f`. */
  program: string;
  /** Argument lists, one per example. */
  inputs: SourceValue[][];
  /** Induction: examples shown to the solver. */
  shown?: number;
  /** Why the program is outside the typed language, when it deliberately is. */
  outside?: string;
}

const PARAMS: Record<SourceSignature, string> = {
  "(int) -> int": "n",
  "(int[]) -> int[]": "xs",
  "(int[]) -> int": "xs",
  "(int[]) -> bool": "xs",
  "(int[], int) -> int[]": "xs, n",
  "(int, int) -> int": "a, b",
  "(int) -> bool": "n",
  "(int) -> int[]": "n",
  "(int[], int) -> int": "xs, n",
  "(int[], int[]) -> int[]": "xs, ys",
  "(int[], int[]) -> int": "xs, ys",
};

const II = "(int) -> int" as const;
const LL = "(int[]) -> int[]" as const;
const LI = "(int[]) -> int" as const;
const LB = "(int[]) -> bool" as const;
const LN = "(int[], int) -> int[]" as const;
const NN = "(int, int) -> int" as const;

/** `function f(<params>) { return <body>; }` for a one-expression program. */
function fn(sig: SourceSignature, body: string): string {
  return `function f(${PARAMS[sig]}) { return ${body}; }`;
}

type Row = [id: string, sig: SourceSignature, body: string, input: SourceValue[]];
type OutsideRow = [
  id: string,
  sig: SourceSignature,
  source: string,
  input: SourceValue[],
  why: string,
];

function single(task: TaskType, prefix: string, rows: Row[], outside: OutsideRow[]): SourceTask[] {
  return [
    ...rows.map(([id, signature, body, input]): SourceTask => ({
      id: `${prefix}-${id}`,
      task,
      signature,
      program: fn(signature, body),
      inputs: [input],
    })),
    ...outside.map(([id, signature, program, input, why]): SourceTask => ({
      id: `${prefix}-${id}`,
      task,
      signature,
      program,
      inputs: [input],
      outside: why,
    })),
  ];
}

// ── shared lambdas ─────────────────────────────────────────────────────────────────────────────
const SUM = "xs.reduce((a, b) => a + b, 0)";
const SORT_UP = "xs.slice().sort((a, b) => a - b)";
const SORT_DOWN = "[...xs.slice().sort((a, b) => a - b)].reverse()";

// ── deduction: the solver sees (program, input) and answers the output ────────────────────────
const DEDUCTION_ROWS: Row[] = [
  ["map-inc", LL, "xs.map((v) => v + 1)", [[3, -2, 0, 7]]],
  ["map-dec", LL, "xs.map((v) => v - 1)", [[10, 0, -5]]],
  ["map-double", LL, "xs.map((v) => v * 2)", [[4, -7, 12, 0, 1]]],
  ["map-halve", LL, "xs.map((v) => Math.trunc(v / 2))", [[7, -7, 8, -3, 0]]],
  ["map-negate", LL, "xs.map((v) => -v)", [[5, -3, 8, 12]]],
  ["map-triple", LL, "xs.map((v) => v * 3)", [[2, -4, 11]]],
  ["map-third", LL, "xs.map((v) => Math.trunc(v / 3))", [[10, -10, 2, 9, -4]]],
  ["map-quadruple", LL, "xs.map((v) => v * 4)", [[-3, 6, 25]]],
  ["map-quarter", LL, "xs.map((v) => Math.trunc(v / 4))", [[17, -17, 3, 40]]],
  ["map-square", LL, "xs.map((v) => v * v)", [[-6, 3, 0, 11]]],
  ["filter-pos", LL, "xs.filter((v) => v > 0)", [[3, -1, 0, 8, -9, 2]]],
  ["filter-neg", LL, "xs.filter((v) => v < 0)", [[-4, 5, -1, 0, 6]]],
  ["filter-odd", LL, "xs.filter((v) => v % 2 !== 0)", [[1, -3, 4, 6, 7, -8]]],
  ["filter-even", LL, "xs.filter((v) => v % 2 === 0)", [[2, 5, -6, 9, 0, 13]]],
  ["reverse", LL, "xs.slice().reverse()", [[1, 9, 4, -2]]],
  ["sort", LL, SORT_UP, [[5, -2, 11, 0, 3, 3]]],
  ["take-3", LL, "xs.slice(0, 3)", [[8, 1, -4, 6, 2]]],
  ["drop-2", LL, "xs.slice(2)", [[7, 7, 1, 0, -3]]],
  ["running-sum", LL, "xs.map((v, i) => xs.slice(0, i + 1).reduce((a, b) => a + b, 0))", [[
    3,
    1,
    -2,
    5,
    4,
  ]]],
  ["running-max", LL, "xs.map((v, i) => Math.max(...xs.slice(0, i + 1)))", [[2, 5, 1, 7, 3, 9]]],
  ["zip-add-reverse", LL, "xs.map((v, i) => v + xs[xs.length - 1 - i])", [[1, 2, 3, 10]]],
  ["adjacent-diff", LL, "xs.slice(1).map((v, i) => v - xs[i])", [[4, 9, 7, 7, 12]]],
  ["unique", LL, "[...new Set(xs)]", [[3, 1, 3, 2, 1, 5]]],
  ["pos-doubled", LL, "xs.filter((v) => v > 0).map((v) => v * 2)", [[-1, 4, 0, 6, -8, 1]]],
  ["top-2", LL, `${SORT_DOWN}.slice(0, 2)`, [[14, 3, 27, -5, 9]]],
  ["append-sum", LL, `[...xs, ${SUM}]`, [[4, -1, 6]]],
  ["prepend-max", LL, "[Math.max(...xs), ...xs]", [[2, 8, -3]]],
  ["clamp-0-10", LL, "xs.map((v) => Math.min(10, Math.max(0, v)))", [[-5, 3, 15, 10, 0, 7]]],
  ["negate-odds", LL, "xs.map((v) => (v % 2 === 0 ? v : -v))", [[1, 2, 3, -5, 6]]],
  ["minus-index", LL, "Array.from({ length: Math.min(xs.length, 32) }, (_, i) => xs[i] - i)", [[
    5,
    5,
    5,
    5,
  ]]],
  ["above-head", LL, "xs.filter((v) => v > xs[0])", [[4, 9, 1, 4, 6, -2]]],
  ["mirror", LL, "xs.concat(xs.slice().reverse())", [[1, 2, 3]]],
  ["head", LI, "xs[0]", [[6, 2, 9]]],
  ["last", LI, "xs[xs.length - 1]", [[6, 2, 9, -4]]],
  ["minimum", LI, "Math.min(...xs)", [[4, -7, 12, 0]]],
  ["maximum", LI, "Math.max(...xs)", [[-3, -9, -1, -12]]],
  ["sum", LI, SUM, [[5, -2, 8, 1, 10]]],
  ["count-pos", LI, "xs.filter((v) => v > 0).length", [[1, -1, 2, -2, 0, 5]]],
  ["count-odd", LI, "xs.filter((v) => v % 2 !== 0).length", [[3, -5, 8, 11, 0]]],
  ["sum-squares", LI, "xs.reduce((a, v) => a + v * v, 0)", [[1, -2, 3, 4]]],
  ["spread", LI, "Math.max(...xs) - Math.min(...xs)", [[7, 3, 15, -2]]],
  ["median", LI, `${SORT_UP}[Math.trunc(xs.length / 2)]`, [[9, 1, 5, 3, 7]]],
  ["argmax", LI, "xs.indexOf(Math.max(...xs))", [[3, 8, 2, 8, 1]]],
  ["count-distinct", LI, "[...new Set(xs)].length", [[2, 2, 7, 1, 7, 7, 3]]],
  ["access-2", LI, "xs[2]", [[10, 20, 30, 40]]],
  ["sum-evens", LI, "xs.filter((v) => v % 2 === 0).reduce((a, b) => a + b, 0)", [[1, 2, 3, 4, -6]]],
  ["mean", LI, `Math.trunc(${SUM} / xs.length)`, [[3, 8, -4, 10]]],
  ["second-largest", LI, `${SORT_DOWN}[1]`, [[5, 12, 7, 12, 3]]],
  ["has-negative", LB, "xs.some((v) => v < 0)", [[3, 0, 7]]],
  ["all-even", LB, "xs.every((v) => v % 2 === 0)", [[2, 8, -4, 0]]],
  ["contains-zero", LB, "xs.includes(0)", [[5, 1, 0, 2]]],
  ["is-sorted", LB, "xs.map((v, i) => (i === 0 || xs[i - 1] <= v ? 0 : 1)).every((v) => v === 0)", [
    [1, 3, 3, 2],
  ]],
  ["has-duplicate", LB, "[...new Set(xs)].length < xs.length", [[4, 1, 9, 1]]],
  ["head-gt-last", LB, "xs[0] > xs[xs.length - 1]", [[8, 2, 5]]],
  ["sign", II, "n > 0 ? 1 : n < 0 ? -1 : 0", [-17]],
  ["collatz-step", II, "n % 2 === 0 ? Math.trunc(n / 2) : 3 * n + 1", [27]],
  [
    "triangular",
    II,
    "Array.from({ length: Math.min(n, 32) }, (_, i) => i + 1).reduce((a, b) => a + b, 0)",
    [12],
  ],
  [
    "divisor-count",
    II,
    "Array.from({ length: Math.min(n, 32) }, (_, i) => i + 1).filter((d) => n % d === 0).length",
    [36],
  ],
  ["dist-to-10", II, "Math.abs(n - 10)", [4]],
  ["max2", NN, "Math.max(a, b)", [-3, -8]],
  ["trunc-div", NN, "Math.trunc(a / b)", [-17, 5]],
  ["remainder", NN, "a % b", [-17, 5]],
  ["abs-diff", NN, "Math.abs(a - b)", [4, 19]],
  [
    "sum-range",
    NN,
    "Array.from({ length: Math.min(b - a + 1, 32) }, (_, i) => a + i).reduce((x, y) => x + y, 0)",
    [
      3,
      7,
    ],
  ],
  ["take-n", LN, "xs.slice(0, n)", [[9, 8, 7, 6], 2]],
  ["add-n", LN, "xs.map((v) => v + n)", [[1, -2, 5], 10]],
  ["keep-greater", LN, "xs.filter((v) => v > n)", [[4, 9, 1, 12, 5], 4]],
  ["push-n", LN, "[...xs, n]", [[1, 2], 3]],
  ["remove-at", LN, "xs.slice(0, n).concat(xs.slice(n + 1))", [[5, 6, 7, 8], 1]],
  ["cap-at-n", LN, "xs.map((v) => Math.min(v, n))", [[3, 15, 8, 20], 10]],
  // compositions of three or more operations
  [
    "positives-tripled-desc",
    LL,
    "[...[...xs.filter((v) => v > 0).map((v) => v * 3)].sort((a, b) => a - b)].reverse()",
    [
      [4, -2, 9, 0, 1, -7],
    ],
  ],
  ["count-above-mean", LI, `xs.filter((v) => v * xs.length > ${SUM}).length`, [[
    2,
    9,
    4,
    1,
    10,
    4,
  ]]],
  ["sum-top-3", LI, `${SORT_DOWN}.slice(0, 3).reduce((a, b) => a + b, 0)`, [[5, 1, 8, 3, 9, 2]]],
  [
    "evens-minus-odds",
    LI,
    "xs.filter((v) => v % 2 === 0).length - xs.filter((v) => v % 2 !== 0).length",
    [[1, 3, 5, 2, 7]],
  ],
  ["take-head-count", LL, "xs.slice(1, 1 + xs[0])", [[2, 8, 6, 4, 9]]],
  ["max-with-sorted", LL, `xs.map((v, i) => Math.max(v, ${SORT_UP}[i]))`, [[3, 7, 1, 5]]],
  ["diff-from-min", LL, "xs.map((v) => v - Math.min(...xs))", [[8, 3, 10, 5]]],
  [
    "window-sums",
    LN,
    "xs.slice(0, xs.length - n + 1).map((v, i) => xs.slice(i, i + n).reduce((a, b) => a + b, 0))",
    [[1, 2, 3, 4, 5], 3],
  ],
];

const DEDUCTION_OUTSIDE: OutsideRow[] = [
  [
    "digit-sum-loop",
    II,
    "function f(n) {\n  let s = 0;\n  let m = Math.abs(n);\n  while (m > 0) {\n    s += m % 10;\n    m = Math.trunc(m / 10);\n  }\n  return s;\n}",
    [472],
    "while loop and reassigned variables",
  ],
  [
    "max-for-loop",
    LI,
    "function f(xs) {\n  let best = xs[0];\n  for (let i = 1; i < xs.length; i++) {\n    if (xs[i] > best) best = xs[i];\n  }\n  return best;\n}",
    [[3, 11, -4, 7]],
    "for loop",
  ],
  [
    "digit-count-string",
    II,
    "function f(n) { return String(Math.abs(n)).length; }",
    [-512],
    "string operations",
  ],
  ["bitwise-and", NN, "function f(a, b) { return a & b; }", [12, 10], "bitwise operator"],
  [
    "fib-recursive",
    II,
    "function f(n) { return n < 2 ? n : f(n - 1) + f(n - 2); }",
    [10],
    "recursion",
  ],
];

// ── abduction: the solver sees (program, output) and answers an input ─────────────────────────
const ABDUCTION_ROWS: Row[] = [
  ["map-add-5", LL, "xs.map((v) => v + 5)", [[1, 2, 3]]],
  ["map-double-dec", LL, "xs.map((v) => v * 2 - 1)", [[4, 0, -3]]],
  ["map-halve", LL, "xs.map((v) => Math.trunc(v / 2))", [[9, -4, 6]]],
  ["map-negate", LL, "xs.map((v) => -v)", [[-8, 2]]],
  ["map-square", LL, "xs.map((v) => v * v)", [[2, -3, 5]]],
  ["map-triple", LL, "xs.map((v) => v * 3)", [[1, -6, 9, 0]]],
  ["map-quarter", LL, "xs.map((v) => Math.trunc(v / 4))", [[13, 21, -9]]],
  ["filter-pos", LL, "xs.filter((v) => v > 0)", [[5, -2, 7, 0]]],
  ["filter-even", LL, "xs.filter((v) => v % 2 === 0)", [[3, 4, 10, 5, 8]]],
  ["filter-odd", LL, "xs.filter((v) => v % 2 !== 0)", [[-1, 2, 9, 4]]],
  ["filter-neg", LL, "xs.filter((v) => v < 0)", [[6, -3, -11, 2]]],
  ["reverse", LL, "xs.slice().reverse()", [[4, 0, 2, 9]]],
  ["sort", LL, SORT_UP, [[3, -1, 7, 2]]],
  ["sort-desc", LL, SORT_DOWN, [[6, 1, 8, 1]]],
  ["drop-1", LL, "xs.slice(1)", [[0, 5, 6]]],
  ["take-2", LL, "xs.slice(0, 2)", [[7, -7, 3]]],
  ["drop-last", LL, "xs.slice(0, -1)", [[2, 4, 6, 8]]],
  ["running-sum", LL, "xs.map((v, i) => xs.slice(0, i + 1).reduce((a, b) => a + b, 0))", [[
    1,
    1,
    1,
    1,
  ]]],
  ["running-min", LL, "xs.map((v, i) => Math.min(...xs.slice(0, i + 1)))", [[5, 7, 2, 4, 1]]],
  ["pairwise-sum", LL, "xs.slice(1).map((v, i) => v + xs[i])", [[1, 3, 5, 7]]],
  ["zip-mul-reverse", LL, "xs.map((v, i) => v * xs[xs.length - 1 - i])", [[2, 3, 4]]],
  ["unique", LL, "[...new Set(xs)]", [[1, 1, 2, 3, 3]]],
  ["sorted-unique", LL, "[...new Set(xs.slice().sort((a, b) => a - b))]", [[9, 2, 9, 4, 2]]],
  ["abs-all", LL, "xs.map((v) => Math.abs(v))", [[-4, 3, -9, 0]]],
  ["append-zero", LL, "[...xs, 0]", [[5, 6]]],
  ["prepend-length", LL, "[xs.length, ...xs]", [[8, 8, 8]]],
  ["evens-halved", LL, "xs.filter((v) => v % 2 === 0).map((v) => Math.trunc(v / 2))", [[
    4,
    7,
    10,
    -6,
    3,
  ]]],
  ["relu", LL, "xs.map((v) => Math.max(v, 0))", [[-2, 5, -7, 3]]],
  ["smallest-3", LL, `${SORT_UP}.slice(0, 3)`, [[8, 2, 6, -1, 4]]],
  ["rotate-left", LL, "xs.slice(1).concat(xs.slice(0, 1))", [[1, 2, 3, 4]]],
  ["mod-3", LL, "xs.map((v) => v % 3)", [[7, 9, 11, 4]]],
  [
    "count-up-from-head",
    LL,
    "Array.from({ length: Math.min(xs.length, 32) }, (_, i) => i + xs[0])",
    [[5, 0, 0]],
  ],
  ["sum", LI, SUM, [[3, 9, -2]]],
  ["maximum", LI, "Math.max(...xs)", [[5, 17, 2]]],
  ["minimum", LI, "Math.min(...xs)", [[-6, 4, 11]]],
  ["head", LI, "xs[0]", [[42, 1]]],
  ["last", LI, "xs[xs.length - 1]", [[3, 14]]],
  ["count-even", LI, "xs.filter((v) => v % 2 === 0).length", [[2, 4, 5, 8]]],
  ["length", LI, "xs.length", [[1, 2, 3, 4, 5, 6]]],
  ["sum-squares", LI, "xs.reduce((a, v) => a + v * v, 0)", [[3, 4]]],
  ["product", LI, "xs.reduce((a, b) => a * b, 1)", [[2, 3, 7]]],
  ["spread", LI, "Math.max(...xs) - Math.min(...xs)", [[10, 4, 25]]],
  ["access-1", LI, "xs[1]", [[0, 13, 2]]],
  ["count-above-head", LI, "xs.filter((v) => v > xs[0]).length", [[3, 5, 1, 4]]],
  ["sum-abs", LI, "xs.reduce((a, v) => a + Math.abs(v), 0)", [[-3, 4, -5]]],
  ["sum-first-3", LI, "xs.slice(0, 3).reduce((a, b) => a + b, 0)", [[4, 5, 6, 7]]],
  ["count-distinct", LI, "[...new Set(xs)].length", [[1, 2, 1, 2, 5]]],
  ["argmin", LI, "xs.indexOf(Math.min(...xs))", [[6, 3, 9, 0, 2]]],
  ["any-above-10", LB, "xs.some((v) => v > 10)", [[3, 12]]],
  ["all-pos", LB, "xs.every((v) => v > 0)", [[1, 5, -2]]],
  ["contains-7", LB, "xs.includes(7)", [[7, 1]]],
  [
    "palindrome",
    LB,
    "xs.map((v, i) => (v === xs[xs.length - 1 - i] ? 0 : 1)).every((v) => v === 0)",
    [[1, 2, 1]],
  ],
  ["sum-positive", LB, `${SUM} > 0`, [[-5, 2, 1]]],
  ["even-length", LB, "xs.length % 2 === 0", [[1, 2, 3, 4]]],
  ["double-plus-one", II, "2 * n + 1", [20]],
  ["square", II, "n * n", [-9]],
  ["abs", II, "Math.abs(n)", [-33]],
  ["halve", II, "Math.trunc(n / 2)", [15]],
  ["py-mod-5", II, "((n % 5) + 5) % 5", [-12]],
  ["clamp-0-10", II, "Math.min(Math.max(n, 0), 10)", [25]],
  ["add", NN, "a + b", [15, -4]],
  ["multiply", NN, "a * b", [6, 7]],
  ["min2", NN, "Math.min(a, b)", [8, 3]],
  ["subtract", NN, "a - b", [2, 9]],
  ["tens-and-ones", NN, "a * 10 + b", [4, 2]],
  ["scale-n", LN, "xs.map((v) => v * n)", [[1, -2, 3], 4]],
  ["drop-n", LN, "xs.slice(n)", [[5, 6, 7, 8], 2]],
  ["remove-n", LN, "xs.filter((v) => v !== n)", [[3, 1, 3, 2], 3]],
  ["prepend-n", LN, "[n, ...xs]", [[9], 4]],
  ["multiples-of-n", LN, "xs.filter((v) => v % n === 0)", [[3, 4, 6, 9, 10], 3]],
  // compositions of three or more operations
  ["odd-squares-sum", LI, "xs.filter((v) => v % 2 !== 0).reduce((a, v) => a + v * v, 0)", [[
    1,
    2,
    3,
    4,
  ]]],
  ["sorted-gaps", LL, `${SORT_UP}.slice(1).map((v, i) => v - ${SORT_UP}[i])`, [[9, 1, 4]]],
  ["count-distinct-pos", LI, "[...new Set(xs.filter((v) => v > 0))].length", [[3, -3, 3, 5, 0]]],
  [
    "negated-evens-sorted",
    LL,
    "[...xs.filter((v) => v % 2 === 0).map((v) => -v)].sort((a, b) => a - b)",
    [[2, 5, 8, 4]],
  ],
  ["head-times-last", LI, "xs[0] * xs[xs.length - 1]", [[3, 9, 7]]],
  [
    "running-sum-doubled",
    LL,
    "xs.map((v, i) => xs.slice(0, i + 1).reduce((a, b) => a + b, 0) * 2)",
    [[1, 2, 3]],
  ],
];

const ABDUCTION_OUTSIDE: OutsideRow[] = [
  [
    "sum-even-positions-loop",
    LI,
    "function f(xs) {\n  let s = 0;\n  for (let i = 0; i < xs.length; i += 2) s += xs[i];\n  return s;\n}",
    [[1, 2, 3, 4, 5]],
    "for loop",
  ],
  [
    "digital-root-loop",
    II,
    "function f(n) {\n  let m = Math.abs(n);\n  while (m >= 10) {\n    let s = 0;\n    while (m > 0) {\n      s += m % 10;\n      m = Math.trunc(m / 10);\n    }\n    m = s;\n  }\n  return m;\n}",
    [987],
    "nested while loops",
  ],
  ["xor", NN, "function f(a, b) { return a ^ b; }", [5, 3], "bitwise operator"],
  [
    "reverse-digits-string",
    II,
    'function f(n) { return Number(String(n).split("").reverse().join("")); }',
    [123],
    "string operations",
  ],
  [
    "duplicate-positives-push",
    LL,
    "function f(xs) {\n  const out = [];\n  for (const v of xs) {\n    if (v > 0) out.push(v, v);\n  }\n  return out;\n}",
    [[2, -1, 3]],
    "for-of loop and push",
  ],
];

// ── induction: hand-written input pools (each 10 argument lists) ───────────────────────────────
const LISTS: SourceValue[][] = [
  [[3, -1, 4, 1, -5, 9]],
  [[2, 7, 1, 8]],
  [[]],
  [[-6, 0, 6]],
  [[10, 20, 5, 15, -12]],
  [[-3, -8, 12, 7, 0, 1, -2]],
  [[11]],
  [[4, 4, 9, -9, 2]],
  [[0, -1, 13, 6, 5, 8, -7, 3]],
  [[17, -4, 2]],
];
/**
 * Like LISTS without zeros or small negatives: negating 0 or truncating -1 / 2 gives -0, which is
 * not a JSON value (the sandbox reports it as invalid).
 */
const SIGNED: SourceValue[][] = [
  [[3, -5, 4, 1, -8, 9]],
  [[2, 7, 1, 8]],
  [[]],
  [[-6, 12, 6]],
  [[10, 20, 5, 15, -12]],
  [[-4, -8, 12, 7, 1, 2]],
  [[11]],
  [[4, 4, 9, -9, 2]],
  [[5, -16, 13, 6, 5, 8, -7, 3]],
  [[17, -4, 2]],
];
/** Like LISTS, with the empty list replaced (for HEAD, LAST, MINIMUM, MAXIMUM). */
const NONEMPTY: SourceValue[][] = LISTS.map((args, i) => (i === 2 ? [[5, -5, 5]] : args));
/** Lists of at least two elements (for ACCESS 1 and pairwise operations). */
const PAIRS_UP: SourceValue[][] = [
  [[3, -1, 4, 1, -5, 9]],
  [[2, 7]],
  [[-6, 0, 6]],
  [[10, 20, 5, 15, 25]],
  [[8, 8]],
  [[-3, -8, 12, 7, 0, 1, -2]],
  [[1, 2, 3]],
  [[4, 4, 9, -9, 2]],
  [[0, -1, 13, 6]],
  [[17, -4, 2, 30]],
];
/** Lists with repeats (for unique). */
const REPEATS: SourceValue[][] = [
  [[1, 1, 2]],
  [[3, 3, 3, 3]],
  [[5, -2, 5, -2, 0]],
  [[]],
  [[7, 8, 9]],
  [[4, 1, 4, 1, 4]],
  [[0, 0, -1]],
  [[6, 2, 6, 3, 2, 6, 9]],
  [[10, -10, 10]],
  [[12, 11, 12]],
];
const INTS: SourceValue[][] = [[0], [1], [-1], [7], [-12], [25], [36], [-40], [99], [13]];
const SMALL_INTS: SourceValue[][] = [[0], [1], [-1], [7], [-12], [25], [31], [-30], [9], [13]];
const NATURALS: SourceValue[][] = [[1], [2], [3], [5], [8], [10], [12], [15], [20], [6]];
const INT_PAIRS: SourceValue[][] = [
  [3, 4],
  [10, -2],
  [-7, -7],
  [0, 5],
  [12, 3],
  [-15, 6],
  [8, 0],
  [21, 14],
  [-1, 9],
  [30, -11],
];
const LIST_INTS: SourceValue[][] = [
  [[3, 1, 4, 1, 5], 2],
  [[9, -2, 7], 0],
  [[], 3],
  [[6, 6, 2, 8], 6],
  [[-5, 10, -15, 20], -5],
  [[1, 2, 3, 4, 5, 6], 4],
  [[12, 0, 7], 1],
  [[8, 3, 8, 3], 3],
  [[-1, -2, -3], 2],
  [[4, 9, 16, 25], 10],
];

type InductionRow = [id: string, sig: SourceSignature, body: string, inputs: SourceValue[][]];

const INDUCTION_ROWS: InductionRow[] = [
  ["map-inc", LL, "xs.map((v) => v + 1)", LISTS],
  ["map-dec", LL, "xs.map((v) => v - 1)", LISTS],
  ["map-double", LL, "xs.map((v) => v * 2)", LISTS],
  ["map-halve", LL, "xs.map((v) => Math.trunc(v / 2))", SIGNED],
  ["map-negate", LL, "xs.map((v) => -v)", SIGNED],
  ["map-triple", LL, "xs.map((v) => v * 3)", LISTS],
  ["map-third", LL, "xs.map((v) => Math.trunc(v / 3))", SIGNED],
  ["map-quadruple", LL, "xs.map((v) => v * 4)", LISTS],
  ["map-quarter", LL, "xs.map((v) => Math.trunc(v / 4))", SIGNED],
  ["map-square", LL, "xs.map((v) => v * v)", LISTS],
  ["filter-pos", LL, "xs.filter((v) => v > 0)", LISTS],
  ["filter-neg", LL, "xs.filter((v) => v < 0)", LISTS],
  ["filter-odd", LL, "xs.filter((v) => v % 2 !== 0)", LISTS],
  ["filter-even", LL, "xs.filter((v) => v % 2 === 0)", LISTS],
  ["reverse", LL, "xs.slice().reverse()", LISTS],
  ["sort", LL, SORT_UP, LISTS],
  ["sort-desc", LL, SORT_DOWN, LISTS],
  ["take-2", LL, "xs.slice(0, 2)", LISTS],
  ["drop-2", LL, "xs.slice(2)", LISTS],
  ["running-sum", LL, "xs.map((v, i) => xs.slice(0, i + 1).reduce((a, b) => a + b, 0))", LISTS],
  ["running-max", LL, "xs.map((v, i) => Math.max(...xs.slice(0, i + 1)))", LISTS],
  ["running-min", LL, "xs.map((v, i) => Math.min(...xs.slice(0, i + 1)))", LISTS],
  ["adjacent-diff", LL, "xs.slice(1).map((v, i) => v - xs[i])", PAIRS_UP],
  ["unique", LL, "[...new Set(xs)]", REPEATS],
  ["pos-doubled", LL, "xs.filter((v) => v > 0).map((v) => v * 2)", LISTS],
  ["abs-all", LL, "xs.map((v) => Math.abs(v))", LISTS],
  ["relu", LL, "xs.map((v) => Math.max(v, 0))", LISTS],
  ["zip-add-reverse", LL, "xs.map((v, i) => v + xs[xs.length - 1 - i])", LISTS],
  ["sorted-evens", LL, "xs.filter((v) => v % 2 === 0).sort((a, b) => a - b)", LISTS],
  ["reverse-doubled", LL, "xs.slice().reverse().map((v) => v * 2)", LISTS],
  ["append-max", LL, "[...xs, Math.max(...xs)]", NONEMPTY],
  ["mirror", LL, "xs.concat(xs.slice().reverse())", LISTS],
  ["head", LI, "xs[0]", NONEMPTY],
  ["last", LI, "xs[xs.length - 1]", NONEMPTY],
  ["minimum", LI, "Math.min(...xs)", NONEMPTY],
  ["maximum", LI, "Math.max(...xs)", NONEMPTY],
  ["sum", LI, SUM, LISTS],
  ["count-pos", LI, "xs.filter((v) => v > 0).length", LISTS],
  ["count-odd", LI, "xs.filter((v) => v % 2 !== 0).length", LISTS],
  ["count-even", LI, "xs.filter((v) => v % 2 === 0).length", LISTS],
  ["count-neg", LI, "xs.filter((v) => v < 0).length", LISTS],
  ["length", LI, "xs.length", LISTS],
  ["sum-squares", LI, "xs.reduce((a, v) => a + v * v, 0)", LISTS],
  ["spread", LI, "Math.max(...xs) - Math.min(...xs)", NONEMPTY],
  ["access-1", LI, "xs[1]", PAIRS_UP],
  ["sum-pos", LI, "xs.filter((v) => v > 0).reduce((a, b) => a + b, 0)", LISTS],
  ["has-negative", LB, "xs.some((v) => v < 0)", [
    [[3, 0, 7]],
    [[-1]],
    [[5, 8, -2, 4]],
    [[]],
    [[10, 20]],
    [[-6, -7]],
    [[1, 1, 1, 0]],
    [[9, -9]],
  ]],
  ["all-pos", LB, "xs.every((v) => v > 0)", [
    [[1, 5, 2]],
    [[1, 5, -2]],
    [[0, 3]],
    [[8]],
    [[-4, -5]],
    [[12, 7, 3, 9]],
    [[6, 0]],
    [[2, 2]],
  ]],
  ["contains-zero", LB, "xs.includes(0)", [
    [[5, 1, 0, 2]],
    [[5, 1, 2]],
    [[0]],
    [[]],
    [[-3, 3]],
    [[7, 0, 0]],
    [[10, 100]],
    [[4, -1, 0]],
  ]],
  ["is-sorted", LB, "xs.map((v, i) => (i === 0 || xs[i - 1] <= v ? 0 : 1)).every((v) => v === 0)", [
    [[1, 3, 3, 7]],
    [[1, 3, 2]],
    [[5]],
    [[9, 4]],
    [[-2, 0, 2, 4]],
    [[3, 3, 1]],
    [[0, 10, 20]],
    [[6, 5, 7, 8]],
  ]],
  ["has-duplicate", LB, "[...new Set(xs)].length < xs.length", [
    [[4, 1, 9, 1]],
    [[4, 1, 9]],
    [[2, 2]],
    [[]],
    [[7, 3, 5, 3, 8]],
    [[-1, 1]],
    [[0, 0, 0]],
    [[10, 20, 30, 40]],
  ]],
  ["sum-even", LB, `${SUM} % 2 === 0`, [
    [[1, 3]],
    [[1, 2]],
    [[]],
    [[5]],
    [[4, 6, 8]],
    [[-3, 2, 2]],
    [[7, 7, 1, 1]],
    [[9, 0]],
  ]],
  ["inc-then-double", II, "(n + 1) * 2", INTS],
  ["square", II, "n * n", SMALL_INTS],
  ["abs", II, "Math.abs(n)", INTS],
  ["sign", II, "n > 0 ? 1 : n < 0 ? -1 : 0", INTS],
  ["py-mod-3", II, "((n % 3) + 3) % 3", INTS],
  [
    "triangular",
    II,
    "Array.from({ length: Math.min(n, 32) }, (_, i) => i + 1).reduce((a, b) => a + b, 0)",
    NATURALS,
  ],
  ["add", NN, "a + b", INT_PAIRS],
  ["subtract", NN, "a - b", INT_PAIRS],
  ["max2", NN, "Math.max(a, b)", INT_PAIRS],
  ["multiply", NN, "a * b", INT_PAIRS],
  ["abs-diff", NN, "Math.abs(a - b)", INT_PAIRS],
  ["take-n", LN, "xs.slice(0, n)", LIST_INTS],
  ["drop-n", LN, "xs.slice(n)", LIST_INTS],
  ["add-n", LN, "xs.map((v) => v + n)", LIST_INTS],
  ["keep-greater", LN, "xs.filter((v) => v > n)", LIST_INTS],
  ["push-n", LN, "[...xs, n]", LIST_INTS],
  ["remove-n", LN, "xs.filter((v) => v !== n)", LIST_INTS],
  // compositions of three or more operations
  ["double-evens-only", LL, "xs.map((v) => (v % 2 === 0 ? v * 2 : v))", LISTS],
  ["sum-top-2", LI, `${SORT_DOWN}.slice(0, 2).reduce((a, b) => a + b, 0)`, LISTS],
  ["count-above-mean", LI, `xs.filter((v) => v * xs.length > ${SUM}).length`, LISTS],
  ["diff-from-min", LL, "xs.map((v) => v - Math.min(...xs))", NONEMPTY],
  [
    "running-abs-sum",
    LL,
    "xs.map((v, i) => xs.slice(0, i + 1).reduce((a, b) => a + Math.abs(b), 0))",
    LISTS,
  ],
  ["scale-by-length", LL, "xs.map((v) => v * xs.length)", LISTS],
  ["sorted-gaps", LL, `${SORT_UP}.slice(1).map((v, i) => v - ${SORT_UP}[i])`, PAIRS_UP],
];

type InductionOutsideRow = [
  id: string,
  sig: SourceSignature,
  source: string,
  inputs: SourceValue[][],
  why: string,
];

const INDUCTION_OUTSIDE: InductionOutsideRow[] = [
  [
    "running-product-loop",
    LL,
    "function f(xs) {\n  const out = [];\n  let p = 1;\n  for (const v of xs) {\n    p *= v;\n    out.push(p);\n  }\n  return out;\n}",
    [
      [[1, 2, 3]],
      [[2, 2, 2, 2]],
      [[]],
      [[-1, 5, -2]],
      [[4, 0, 9]],
      [[3, 3]],
      [[-2, -2, -2]],
      [[7]],
    ],
    "for-of loop, push and reassignment",
  ],
  [
    "digit-sum-loop",
    II,
    "function f(n) {\n  let s = 0;\n  let m = Math.abs(n);\n  while (m > 0) {\n    s += m % 10;\n    m = Math.trunc(m / 10);\n  }\n  return s;\n}",
    INTS,
    "while loop",
  ],
  ["low-bits", II, "function f(n) { return n & 15; }", NATURALS, "bitwise operator"],
  ["text-length", II, "function f(n) { return String(n).length; }", INTS, "string operations"],
  [
    "gcd-recursive",
    NN,
    "function f(a, b) { return b === 0 ? Math.abs(a) : f(b, a % b); }",
    INT_PAIRS,
    "recursion",
  ],
];

function induction(rows: InductionRow[], outside: InductionOutsideRow[]): SourceTask[] {
  const half = (n: number) => Math.floor(n / 2);
  return [
    ...rows.map(([id, signature, body, inputs]): SourceTask => ({
      id: `i-${id}`,
      task: "induction",
      signature,
      program: fn(signature, body),
      inputs,
      shown: half(inputs.length),
    })),
    ...outside.map(([id, signature, program, inputs, why]): SourceTask => ({
      id: `i-${id}`,
      task: "induction",
      signature,
      program,
      inputs,
      shown: half(inputs.length),
      outside: why,
    })),
  ];
}

/** Every hand-written task of the wide world, by suite file name. */
export const SOURCE_SUITES: Record<string, SourceTask[]> = {
  deduction: single("deduction", "d", DEDUCTION_ROWS, DEDUCTION_OUTSIDE),
  abduction: single("abduction", "a", ABDUCTION_ROWS, ABDUCTION_OUTSIDE),
  induction: induction(INDUCTION_ROWS, INDUCTION_OUTSIDE),
};
