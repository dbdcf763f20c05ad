/**
 * The hand-written source of the small world's held-out suites (ints −9..9, lists ≤ 6, program
 * literals −3..5): every program and every input below was written by hand, nothing is sampled.
 * `build.ts --world small` runs each program on its inputs to fill in the outputs and writes
 * `small/deduction.jsonl`, `small/abduction.jsonl` and `small/induction.jsonl`.
 *
 * Every program is inside the typed language (`lib/lang/parse.ts` parses it, with literals in
 * −3..5) and every input and output lies in the small world; intermediate values may leave it.
 * The programs span the DeepCoder operations — MAP (+1, −1, ×2, neg, abs, %2, …), FILTER (pos,
 * neg, even, odd, > k), COUNT, SUM and other folds, MINIMUM, MAXIMUM, HEAD, LAST, TAKE, DROP,
 * ACCESS, REVERSE, SORT, ZIPWITH (`map((v, i) => …)`), SCANL1 (prefix sums) — and the language's
 * other constructs: includes / some / every, indexOf, length, conditionals, unique, concat,
 * append, prepend, range. Every signature of the language is used.
 * @module
 */
import type { SourceSignature, SourceTask, SourceValue } from "./source.ts";

const PARAMS: Record<SourceSignature, string> = {
  "(int) -> int": "x",
  "(int) -> bool": "x",
  "(int) -> int[]": "n",
  "(int[]) -> int[]": "xs",
  "(int[]) -> int": "xs",
  "(int[]) -> bool": "xs",
  "(int[], int) -> int[]": "xs, n",
  "(int[], int) -> int": "xs, n",
  "(int, int) -> int": "x, y",
  "(int[], int[]) -> int[]": "xs, ys",
  "(int[], int[]) -> int": "xs, ys",
};

const II = "(int) -> int" as const;
const IB = "(int) -> bool" as const;
const IL = "(int) -> int[]" as const;
const LL = "(int[]) -> int[]" as const;
const LI = "(int[]) -> int" as const;
const LB = "(int[]) -> bool" as const;
const LNL = "(int[], int) -> int[]" as const;
const LNI = "(int[], int) -> int" as const;
const NN = "(int, int) -> int" as const;
const LLL = "(int[], int[]) -> int[]" as const;
const LLI = "(int[], int[]) -> int" as const;

/** `function f(<params>) { return <body>; }`. */
function fn(sig: SourceSignature, body: string): string {
  return `function f(${PARAMS[sig]}) { return ${body}; }`;
}

// ── shared bodies ──────────────────────────────────────────────────────────────────────────────
const SUM = "xs.reduce((a, v) => a + v, 0)";
const SORT = "[...xs].sort((p, q) => p - q)";
const PREFIX_SUMS = "xs.map((v, i) => xs.slice(0, i + 1).reduce((a, w) => a + w, 0))";
const RANGE = (body: string) => `Array.from({ length: Math.min(n, 32) }, (_, i) => ${body})`;

type Row = [id: string, sig: SourceSignature, body: string, input: SourceValue[]];

function single(task: "deduction" | "abduction", prefix: string, rows: Row[]): SourceTask[] {
  return rows.map(([id, signature, body, input]): SourceTask => ({
    id: `${prefix}-${id}`,
    task,
    signature,
    program: fn(signature, body),
    inputs: [input],
  }));
}

// ── deduction: the solver sees (program, input) and answers the output ────────────────────────
const DEDUCTION_ROWS: Row[] = [
  ["map-inc", LL, "xs.map((v) => v + 1)", [[3, -2, 0, 7]]],
  ["map-dec", LL, "xs.map((v) => v - 1)", [[5, 0, -4]]],
  ["map-double", LL, "xs.map((v) => v * 2)", [[2, -3, 4, 0]]],
  ["map-halve", LL, "xs.map((v) => Math.trunc(v / 2))", [[7, -6, 8, 3]]],
  ["map-negate", LL, "xs.map((v) => -v)", [[5, -3, 8, 1]]],
  ["map-abs", LL, "xs.map((v) => Math.abs(v))", [[-4, 2, -9, 0]]],
  ["map-mod-2", LL, "xs.map((v) => v % 2)", [[3, 4, 7, 0, 5]]],
  ["map-square", LL, "xs.map((v) => v * v)", [[-2, 3, 0, 1]]],
  ["map-triple", LL, "xs.map((v) => v * 3)", [[2, -1, 3]]],
  ["filter-pos", LL, "xs.filter((v) => v > 0)", [[3, -1, 0, 8, -9, 2]]],
  ["filter-neg", LL, "xs.filter((v) => v < 0)", [[-4, 5, -1, 0, 6]]],
  ["filter-even", LL, "xs.filter((v) => v % 2 === 0)", [[2, 5, -6, 9, 0]]],
  ["filter-odd", LL, "xs.filter((v) => v % 2 !== 0)", [[1, -3, 4, 6, 7]]],
  ["filter-gt-3", LL, "xs.filter((v) => v > 3)", [[5, 1, 9, 3, 4]]],
  ["reverse", LL, "[...xs].reverse()", [[1, 9, 4, -2]]],
  ["sort", LL, SORT, [[5, -2, 8, 0, 3, 3]]],
  ["sort-desc", LL, `[...${SORT}].reverse()`, [[2, 9, -1, 4]]],
  ["take-3", LL, "xs.slice(0, 3)", [[8, 1, -4, 6, 2]]],
  ["drop-2", LL, "xs.slice(2)", [[7, 7, 1, 0, -3]]],
  ["drop-last", LL, "xs.slice(0, xs.length - 1)", [[6, 2, 8, 1]]],
  ["running-sum", LL, PREFIX_SUMS, [[3, 1, -2, 5]]],
  ["running-max", LL, "xs.map((v, i) => Math.max(...xs.slice(0, i + 1)))", [[2, 5, 1, 7, 3]]],
  ["add-index", LL, "xs.map((v, i) => v + i)", [[4, 4, 0, -2]]],
  ["adjacent-diff", LL, "xs.slice(1).map((v, i) => v - xs[i])", [[4, 9, 7, 7, 2]]],
  ["unique", LL, "[...new Set(xs)]", [[3, 1, 3, 2, 1, 5]]],
  ["pos-doubled", LL, "xs.filter((v) => v > 0).map((v) => v * 2)", [[-1, 4, 0, 3, -8, 1]]],
  ["append-zero", LL, "[...xs, 0]", [[4, -1, 6]]],
  ["prepend-max", LL, "[Math.max(...xs), ...xs]", [[2, 8, -3]]],
  ["mirror", LL, "xs.concat([...xs].reverse())", [[1, 2, 3]]],
  ["clamp-0-5", LL, "xs.map((v) => Math.min(5, Math.max(0, v)))", [[-5, 3, 9, 5, 0]]],
  ["negate-odds", LL, "xs.map((v) => (v % 2 === 0 ? v : -v))", [[1, 2, 3, -5, 6]]],
  ["cap-length-3", LL, "xs.length > 3 ? xs.slice(0, 3) : xs", [[5, 1, 4, 2]]],
  ["head", LI, "xs[0]", [[6, 2, 9]]],
  ["last", LI, "xs.at(-1)", [[6, 2, 9, -4]]],
  ["minimum", LI, "Math.min(...xs)", [[4, -7, 8, 0]]],
  ["maximum", LI, "Math.max(...xs)", [[-3, -9, -1, -6]]],
  ["sum", LI, SUM, [[5, -2, 3, 1]]],
  ["count-pos", LI, "xs.filter((v) => v > 0).length", [[1, -1, 2, -2, 0, 5]]],
  ["count-even", LI, "xs.filter((v) => v % 2 === 0).length", [[3, -4, 8, 1, 0]]],
  ["length", LI, "xs.length", [[9, 9, 9, 9, 9]]],
  ["spread", LI, "Math.max(...xs) - Math.min(...xs)", [[7, 3, 5, -2]]],
  ["argmax", LI, "xs.indexOf(Math.max(...xs))", [[3, 8, 2, 8, 1]]],
  ["count-distinct", LI, "[...new Set(xs)].length", [[2, 2, 7, 1, 7, 3]]],
  ["access-2", LI, "xs[2]", [[1, 4, -6, 5]]],
  ["product", LI, "xs.reduce((a, v) => a * v, 1)", [[2, -1, 3]]],
  ["last-minus-head", LI, "xs.at(-1) - xs[0]", [[2, 5, 8]]],
  ["index-of-zero", LI, "xs.indexOf(0)", [[4, 1, 0, 0]]],
  ["sum-first-2", LI, "xs.slice(0, 2).reduce((a, v) => a + v, 0)", [[3, 4, 9]]],
  ["max-by-reduce", LI, "xs.reduce((a, v) => Math.max(a, v))", [[-5, -2, -8]]],
  ["has-negative", LB, "xs.some((v) => v < 0)", [[3, 0, 7]]],
  ["all-even", LB, "xs.every((v) => v % 2 === 0)", [[2, 8, -4, 0]]],
  ["contains-3", LB, "xs.includes(3)", [[5, 1, 3, 2]]],
  ["has-duplicate", LB, "[...new Set(xs)].length < xs.length", [[4, 1, 9, 1]]],
  ["head-gt-last", LB, "xs[0] > xs.at(-1)", [[2, 8, 5]]],
  ["is-empty", LB, "xs.length === 0", [[7]]],
  ["abs", II, "Math.abs(x)", [-7]],
  ["sign", II, "x > 0 ? 1 : x < 0 ? -1 : 0", [-4]],
  ["double-dec", II, "x * 2 - 1", [3]],
  ["halve", II, "Math.trunc(x / 2)", [-7]],
  ["is-even", IB, "x % 2 === 0", [6]],
  ["between-0-5", IB, "x > 0 && x < 5", [7]],
  ["range", IL, RANGE("i"), [4]],
  ["countdown", IL, RANGE("n - i"), [5]],
  ["max2", NN, "Math.max(x, y)", [-3, -8]],
  ["subtract", NN, "x - y", [2, 7]],
  ["remainder", NN, "x % y", [8, 3]],
  ["take-n", LNL, "xs.slice(0, n)", [[9, 8, 7, 6], 2]],
  ["add-n", LNL, "xs.map((v) => v + n)", [[1, -2, 5], 3]],
  ["keep-greater", LNL, "xs.filter((v) => v > n)", [[4, 9, 1, 7, 5], 4]],
  ["push-n", LNL, "[...xs, n]", [[1, 2], 3]],
  ["count-n", LNI, "xs.filter((v) => v === n).length", [[3, 1, 3, 3], 3]],
  ["index-of-n", LNI, "xs.indexOf(n)", [[5, 6, 7, 8], 7]],
  ["concat", LLL, "xs.concat(ys)", [[1, 2], [3, -4]]],
  ["zip-add", LLL, "xs.map((v, i) => v + ys[i])", [[1, 2, 3], [4, 0, -5]]],
  ["common", LLL, "xs.filter((v) => ys.includes(v))", [[1, 5, 2, 7], [7, 2, 9]]],
  ["dot", LLI, "xs.map((v, i) => v * ys[i]).reduce((a, v) => a + v, 0)", [[1, 2, 3], [2, 0, -1]]],
  ["total-length", LLI, "xs.length + ys.length", [[4, 4], [1, 2, 3]]],
];

// ── abduction: the solver sees (program, output) and answers an input ─────────────────────────
const ABDUCTION_ROWS: Row[] = [
  ["map-add-2", LL, "xs.map((v) => v + 2)", [[1, 2, 3]]],
  ["map-double-dec", LL, "xs.map((v) => v * 2 - 1)", [[4, 0, -3]]],
  ["map-halve", LL, "xs.map((v) => Math.trunc(v / 2))", [[9, -4, 6]]],
  ["map-negate", LL, "xs.map((v) => -v)", [[-8, 2]]],
  ["map-square", LL, "xs.map((v) => v * v)", [[2, -3, 1]]],
  ["map-abs", LL, "xs.map((v) => Math.abs(v))", [[-4, 3, -9, 0]]],
  ["filter-pos", LL, "xs.filter((v) => v > 0)", [[5, -2, 7, 0]]],
  ["filter-even", LL, "xs.filter((v) => v % 2 === 0)", [[3, 4, 8, 5]]],
  ["filter-odd", LL, "xs.filter((v) => v % 2 !== 0)", [[-1, 2, 9, 4]]],
  ["filter-neg", LL, "xs.filter((v) => v < 0)", [[6, -3, -1, 2]]],
  ["reverse", LL, "[...xs].reverse()", [[4, 0, 2, 9]]],
  ["sort", LL, SORT, [[3, -1, 7, 2]]],
  ["drop-1", LL, "xs.slice(1)", [[0, 5, 6]]],
  ["take-2", LL, "xs.slice(0, 2)", [[7, -7, 3]]],
  ["running-sum", LL, PREFIX_SUMS, [[1, 1, 1, 1]]],
  ["running-min", LL, "xs.map((v, i) => Math.min(...xs.slice(0, i + 1)))", [[5, 7, 2, 4, 1]]],
  ["pairwise-sum", LL, "xs.slice(1).map((v, i) => v + xs[i])", [[1, 3, 5, 2]]],
  ["unique", LL, "[...new Set(xs)]", [[1, 1, 2, 3, 3]]],
  ["append-zero", LL, "[...xs, 0]", [[5, 6]]],
  ["prepend-length", LL, "[xs.length, ...xs]", [[8, 8, 8]]],
  ["relu", LL, "xs.map((v) => Math.max(v, 0))", [[-2, 5, -7, 3]]],
  ["mod-3", LL, "xs.map((v) => v % 3)", [[7, 9, 5, 4]]],
  ["smallest-3", LL, `${SORT}.slice(0, 3)`, [[8, 2, 6, -1, 4]]],
  ["rotate-left", LL, "xs.slice(1).concat(xs.slice(0, 1))", [[1, 2, 3, 4]]],
  ["sub-index", LL, "xs.map((v, i) => v - i)", [[5, 5, 5]]],
  ["evens-halved", LL, "xs.filter((v) => v % 2 === 0).map((v) => Math.trunc(v / 2))", [[
    4,
    7,
    8,
    -6,
    3,
  ]]],
  ["double-evens", LL, "xs.map((v) => (v % 2 === 0 ? v * 2 : v))", [[1, 2, 3, 4]]],
  ["sum", LI, SUM, [[3, 4, -2]]],
  ["maximum", LI, "Math.max(...xs)", [[5, 7, 2]]],
  ["minimum", LI, "Math.min(...xs)", [[-6, 4, 1]]],
  ["head", LI, "xs[0]", [[4, 1]]],
  ["last", LI, "xs.at(-1)", [[3, 8]]],
  ["count-even", LI, "xs.filter((v) => v % 2 === 0).length", [[2, 4, 5, 8]]],
  ["length", LI, "xs.length", [[1, 2, 3, 4, 5, 6]]],
  ["product", LI, "xs.reduce((a, v) => a * v, 1)", [[2, 3, -1]]],
  ["spread", LI, "Math.max(...xs) - Math.min(...xs)", [[5, 1, 8]]],
  ["access-1", LI, "xs[1]", [[0, 7, 2]]],
  ["count-above-head", LI, "xs.filter((v) => v > xs[0]).length", [[3, 5, 1, 4]]],
  ["sum-abs", LI, "xs.reduce((a, v) => a + Math.abs(v), 0)", [[-3, 4, -1]]],
  ["count-distinct", LI, "[...new Set(xs)].length", [[1, 2, 1, 2, 5]]],
  ["argmin", LI, "xs.indexOf(Math.min(...xs))", [[6, 3, 9, 0, 2]]],
  ["sum-first-3", LI, "xs.slice(0, 3).reduce((a, v) => a + v, 0)", [[1, 2, 3, 4]]],
  ["any-above-5", LB, "xs.some((v) => v > 5)", [[3, 7]]],
  ["all-pos", LB, "xs.every((v) => v > 0)", [[1, 5, -2]]],
  ["contains-4", LB, "xs.includes(4)", [[4, 1]]],
  ["sum-positive", LB, `${SUM} > 0`, [[-5, 2, 1]]],
  ["even-length", LB, "xs.length % 2 === 0", [[1, 2, 3, 4]]],
  ["first-two-ordered", LB, "xs[0] <= xs[1]", [[2, 6]]],
  ["double-plus-one", II, "2 * x + 1", [3]],
  ["square", II, "x * x", [-3]],
  ["abs", II, "Math.abs(x)", [-6]],
  ["halve", II, "Math.trunc(x / 2)", [9]],
  ["mod-4", II, "((x % 4) + 4) % 4", [-3]],
  ["clamp-0-5", II, "Math.min(Math.max(x, 0), 5)", [8]],
  ["is-odd", IB, "x % 2 !== 0", [5]],
  ["is-negative", IB, "x < 0", [4]],
  ["evens-below", IL, RANGE("i * 2"), [3]],
  ["repeat", IL, RANGE("n"), [4]],
  ["add", NN, "x + y", [5, -4]],
  ["multiply", NN, "x * y", [2, 3]],
  ["min2", NN, "Math.min(x, y)", [8, 3]],
  ["subtract", NN, "x - y", [2, 9]],
  ["scale-n", LNL, "xs.map((v) => v * n)", [[1, -2, 3], 2]],
  ["drop-n", LNL, "xs.slice(n)", [[5, 6, 7, 8], 2]],
  ["remove-n", LNL, "xs.filter((v) => v !== n)", [[3, 1, 3, 2], 3]],
  ["prepend-n", LNL, "[n, ...xs]", [[9], 4]],
  ["count-greater", LNI, "xs.filter((v) => v > n).length", [[3, 8, 1, 6], 2]],
  ["nth", LNI, "xs[n]", [[4, 5, 6], 1]],
  ["concat", LLL, "xs.concat(ys)", [[1], [2, 3]]],
  ["difference", LLL, "xs.filter((v) => !ys.includes(v))", [[1, 2, 3, 4], [2, 4]]],
  ["zip-max", LLL, "xs.map((v, i) => Math.max(v, ys[i]))", [[1, 5, 2], [3, 0, 2]]],
  ["count-common", LLI, "xs.filter((v) => ys.includes(v)).length", [[1, 2, 3], [3, 1, 7]]],
];

// ── induction: hand-written input pools, 10 argument lists each (5 shown, 5 held out) ──────────
/** Lists over the whole int range, for operations that do not grow values. */
const LISTS: SourceValue[][] = [
  [[3, -1, 4, 1, -5, 9]],
  [[2, 7, 1, 8]],
  [[]],
  [[-6, 0, 6]],
  [[5]],
  [[-3, -8, 7, 0, 1]],
  [[9, 9]],
  [[4, -2, 3, -2]],
  [[0, -1, 6, 5, 8, -7]],
  [[-9, 2]],
];
/** Like LISTS with the empty list replaced (HEAD, LAST, MINIMUM, MAXIMUM, indexOf of the max). */
const NONEMPTY: SourceValue[][] = LISTS.map((args, k) => (k === 2 ? [[5, -5, 5]] : args));
/** Lists without 0 or -1: negating 0 or halving -1 gives -0, which is not a JSON value. */
const SIGNED: SourceValue[][] = [
  [[3, -5, 4, 1, -8, 9]],
  [[2, 7, 1, 8]],
  [[]],
  [[-6, 3, 6]],
  [[5]],
  [[-4, -8, 7, 2, 1]],
  [[9, 9]],
  [[4, -2, 3, -2]],
  [[5, -3, 6, 8, -7]],
  [[-9, 2]],
];
/** Elements in −4..4, for MAP lambdas that grow values (+1, ×2, + index). */
const SMALL: SourceValue[][] = [
  [[3, -1, 4, 1, -4, 2]],
  [[2, 0, 1]],
  [[]],
  [[-3, 0, 3]],
  [[4]],
  [[-2, -4, 4, 0, 1]],
  [[1, 1]],
  [[4, -2, 3, -2]],
  [[0, 1, -3, 2, 3, 4]],
  [[-4, 2]],
];
/** Elements in −3..3, for squares. */
const TINY: SourceValue[][] = [
  [[3, -1, 2, 1, -3, 0]],
  [[2, 0, 1]],
  [[]],
  [[-3, 3]],
  [[1]],
  [[-2, -1, 3, 0]],
  [[2, 2]],
  [[0, -2, 3, -2]],
  [[1, 1, -3, 2, 3]],
  [[-3, 2]],
];
/** Every prefix sum stays in −9..9 (SUM, SCANL1). */
const SUMMABLE: SourceValue[][] = [
  [[3, -1, 4, 1, -5, 2]],
  [[2, 1]],
  [[]],
  [[-6, 0, 6]],
  [[5]],
  [[-3, -4, 7, 0, 1]],
  [[9, -9, 8]],
  [[4, -2, 3, -2]],
  [[0, -1, -6, 5, -2]],
  [[-7, 2]],
];
/** At most 5 elements, so one more still fits (APPEND, PREPEND). */
const SHORT: SourceValue[][] = [
  [[3, -1, 4, 1, -5]],
  [[2, 7, 1, 8]],
  [[]],
  [[-6, 0, 6]],
  [[5]],
  [[-3, -8, 7, 0, 1]],
  [[9, 9]],
  [[4, -2, 3, -2]],
  [[-1, 6, 5, 8, -7]],
  [[-9, 2]],
];
/** At most 3 elements, so a list and its reverse fit. */
const MINI: SourceValue[][] = [
  [[1, 2, 3]],
  [[5]],
  [[]],
  [[-4, 0]],
  [[7, 7, 1]],
  [[9, -9]],
  [[2, 6, -3]],
  [[0]],
  [[3, 1]],
  [[-8, 4, 5]],
];
/** Max − min at most 9 (differences from the minimum, spread). */
const NARROW: SourceValue[][] = [
  [[3, -1, 4, 1, -5, 2]],
  [[2, 7, 1, 8]],
  [[1, 1, 4]],
  [[-6, 0, 3]],
  [[5]],
  [[-3, -8, 0, 1]],
  [[9, 9]],
  [[4, -2, 3, -2]],
  [[0, -1, 6, 5, 8]],
  [[-9, -2]],
];
/** At least two elements, neighbours at most 9 apart (ACCESS 1, adjacent differences). */
const PAIRED: SourceValue[][] = [
  [[3, -1, 4, 1, -3, 2]],
  [[2, 7]],
  [[-4, 0, 4]],
  [[1, 2, 5, 3]],
  [[8, 8]],
  [[-3, -8, -2, 0, 1]],
  [[1, 2, 3]],
  [[4, -2, 3, -2]],
  [[0, -1, 6, 5]],
  [[7, -1, 2, 3]],
];
/** Lists with repeats (unique, count distinct). */
const REPEATS: SourceValue[][] = [
  [[1, 1, 2]],
  [[3, 3, 3, 3]],
  [[5, -2, 5, -2, 0]],
  [[]],
  [[7, 8, 9]],
  [[4, 1, 4, 1, 4]],
  [[0, 0, -1]],
  [[6, 2, 6, 3, 2, 9]],
  [[-9, 9, -9]],
  [[2, 1, 2]],
];
const INTS: SourceValue[][] = [[0], [1], [-1], [7], [-4], [5], [9], [-8], [3], [-6]];
/** Without −1 (halving it gives −0). */
const INTS_HALVE: SourceValue[][] = [[0], [1], [-2], [7], [-4], [5], [9], [-8], [3], [-7]];
/** −5..4: 2x + 1 stays in bounds. */
const INTS_AFFINE: SourceValue[][] = [[0], [1], [-1], [2], [-2], [3], [-3], [4], [-4], [-5]];
/** −4..9: 5 − x stays in bounds. */
const INTS_FROM_5: SourceValue[][] = [[0], [1], [-1], [7], [-4], [5], [9], [-3], [3], [6]];
/** Range lengths (negative ones give []). */
const LENGTHS: SourceValue[][] = [[1], [3], [0], [5], [2], [6], [4], [-2], [-1], [3]];
/** x + y and x − y both stay in bounds. */
const PAIRS: SourceValue[][] = [
  [3, 4],
  [5, -2],
  [-4, -4],
  [0, 5],
  [6, 3],
  [-3, 5],
  [8, 0],
  [2, 7],
  [-1, 4],
  [-5, -1],
];
/** x · y stays in bounds and is never −0. */
const MUL_PAIRS: SourceValue[][] = [
  [3, 2],
  [-2, 4],
  [0, 7],
  [1, -9],
  [-3, -3],
  [2, 2],
  [9, 1],
  [-1, 5],
  [4, -2],
  [-6, 1],
];
const LIST_INTS: SourceValue[][] = [
  [[3, 1, 4, 1, 5], 2],
  [[9, -2, 7], 0],
  [[], 3],
  [[6, 6, 2, 8], 6],
  [[-5, 1, -3, 2], -3],
  [[1, 2, 3, 4, 5, 6], 4],
  [[0, 7], 1],
  [[8, 3, 8, 3], 3],
  [[-1, -2, -3], 2],
  [[4, 9, 5], 5],
];
/** v + n stays in bounds. */
const LIST_SHIFTS: SourceValue[][] = [
  [[3, 1, 4, 1, 5], 2],
  [[2, -2, 7], 0],
  [[], 3],
  [[1, 1, 2, 0], 4],
  [[-5, 1, -3, 2], -3],
  [[1, 2, 3, 4, 5, 6], 3],
  [[0, 7], 1],
  [[-8, 3, 5], 1],
  [[-1, -2, -3], 2],
  [[4, 6], -4],
];
/** Two lists of at most 6 elements together. */
const LIST_PAIRS: SourceValue[][] = [
  [[1, 2], [3, 4]],
  [[], [5]],
  [[7, 1, 7], [7]],
  [[-2, 0, 2], [0, 2, 4]],
  [[], []],
  [[9], [9, -9]],
  [[3, 3], [1, 2, 3]],
  [[5, 6, 7], []],
  [[-1, -2, -3], [-3]],
  [[4], [8, 8]],
];

type InductionRow = [id: string, sig: SourceSignature, body: string, inputs: SourceValue[][]];

const INDUCTION_ROWS: InductionRow[] = [
  ["map-inc", LL, "xs.map((v) => v + 1)", SMALL],
  ["map-dec", LL, "xs.map((v) => v - 1)", SMALL],
  ["map-double", LL, "xs.map((v) => v * 2)", SMALL],
  ["map-halve", LL, "xs.map((v) => Math.trunc(v / 2))", SIGNED],
  ["map-negate", LL, "xs.map((v) => -v)", SIGNED],
  ["map-abs", LL, "xs.map((v) => Math.abs(v))", LISTS],
  ["map-square", LL, "xs.map((v) => v * v)", TINY],
  ["map-parity", LL, "xs.map((v) => Math.abs(v % 2))", LISTS],
  ["filter-pos", LL, "xs.filter((v) => v > 0)", LISTS],
  ["filter-neg", LL, "xs.filter((v) => v < 0)", LISTS],
  ["filter-odd", LL, "xs.filter((v) => v % 2 !== 0)", LISTS],
  ["filter-even", LL, "xs.filter((v) => v % 2 === 0)", LISTS],
  ["filter-gt-2", LL, "xs.filter((v) => v > 2)", LISTS],
  ["reverse", LL, "[...xs].reverse()", LISTS],
  ["sort", LL, SORT, LISTS],
  ["sort-desc", LL, `[...${SORT}].reverse()`, LISTS],
  ["take-2", LL, "xs.slice(0, 2)", LISTS],
  ["drop-2", LL, "xs.slice(2)", LISTS],
  ["drop-last", LL, "xs.slice(0, xs.length - 1)", LISTS],
  ["running-sum", LL, PREFIX_SUMS, SUMMABLE],
  ["running-max", LL, "xs.map((v, i) => Math.max(...xs.slice(0, i + 1)))", LISTS],
  ["running-min", LL, "xs.map((v, i) => Math.min(...xs.slice(0, i + 1)))", LISTS],
  ["adjacent-diff", LL, "xs.slice(1).map((v, i) => v - xs[i])", PAIRED],
  ["unique", LL, "[...new Set(xs)]", REPEATS],
  ["pos-doubled", LL, "xs.filter((v) => v > 0).map((v) => v * 2)", SMALL],
  ["relu", LL, "xs.map((v) => Math.max(v, 0))", LISTS],
  ["cap-at-3", LL, "xs.map((v) => Math.min(v, 3))", LISTS],
  ["add-index", LL, "xs.map((v, i) => v + i)", SMALL],
  ["zip-add-reverse", LL, "xs.map((v, i) => v + xs[xs.length - 1 - i])", SMALL],
  ["append-zero", LL, "[...xs, 0]", SHORT],
  ["prepend-length", LL, "[xs.length, ...xs]", SHORT],
  ["mirror", LL, "xs.concat([...xs].reverse())", MINI],
  ["negate-odds", LL, "xs.map((v) => (v % 2 === 0 ? v : -v))", LISTS],
  ["sorted-evens", LL, "[...xs.filter((v) => v % 2 === 0)].sort((p, q) => p - q)", LISTS],
  ["rotate-left", LL, "xs.slice(1).concat(xs.slice(0, 1))", LISTS],
  ["diff-from-min", LL, "xs.map((v) => v - Math.min(...xs))", NARROW],
  ["head", LI, "xs[0]", NONEMPTY],
  ["last", LI, "xs.at(-1)", NONEMPTY],
  ["minimum", LI, "Math.min(...xs)", NONEMPTY],
  ["maximum", LI, "Math.max(...xs)", NONEMPTY],
  ["sum", LI, SUM, SUMMABLE],
  ["count-pos", LI, "xs.filter((v) => v > 0).length", LISTS],
  ["count-odd", LI, "xs.filter((v) => v % 2 !== 0).length", LISTS],
  ["count-even", LI, "xs.filter((v) => v % 2 === 0).length", LISTS],
  ["count-neg", LI, "xs.filter((v) => v < 0).length", LISTS],
  ["length", LI, "xs.length", LISTS],
  ["spread", LI, "Math.max(...xs) - Math.min(...xs)", NARROW],
  ["access-1", LI, "xs[1]", PAIRED],
  ["count-distinct", LI, "[...new Set(xs)].length", REPEATS],
  ["argmax", LI, "xs.indexOf(Math.max(...xs))", NONEMPTY],
  ["count-above-head", LI, "xs.filter((v) => v > xs[0]).length", LISTS],
  ["index-of-zero", LI, "xs.indexOf(0)", LISTS],
  ["has-negative", LB, "xs.some((v) => v < 0)", [
    [[3, 0, 7]],
    [[-1]],
    [[5, 8, -2, 4]],
    [[]],
    [[1, 2]],
    [[-6, -7]],
    [[1, 1, 1, 0]],
    [[9, -9]],
    [[4, 5, 6]],
    [[0, -3]],
  ]],
  ["all-pos", LB, "xs.every((v) => v > 0)", [
    [[1, 5, 2]],
    [[1, 5, -2]],
    [[0, 3]],
    [[8]],
    [[-4, -5]],
    [[2, 7, 3, 9]],
    [[6, 0]],
    [[2, 2]],
    [[]],
    [[-1, 4]],
  ]],
  ["contains-zero", LB, "xs.includes(0)", [
    [[5, 1, 0, 2]],
    [[5, 1, 2]],
    [[0]],
    [[]],
    [[-3, 3]],
    [[7, 0, 0]],
    [[1, 9]],
    [[4, -1, 0]],
    [[6]],
    [[0, 2]],
  ]],
  ["has-duplicate", LB, "[...new Set(xs)].length < xs.length", [
    [[4, 1, 9, 1]],
    [[4, 1, 9]],
    [[2, 2]],
    [[]],
    [[7, 3, 5, 3, 8]],
    [[-1, 1]],
    [[0, 0, 0]],
    [[1, 2, 3, 4]],
    [[5, 6, 5]],
    [[9]],
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
    [[-1, -2]],
    [[6]],
  ]],
  ["is-sorted", LB, "xs.map((v, i) => (i === 0 || xs[i - 1] <= v ? 0 : 1)).every((v) => v === 0)", [
    [[1, 3, 3, 7]],
    [[1, 3, 2]],
    [[5]],
    [[9, 4]],
    [[-2, 0, 2, 4]],
    [[3, 3, 1]],
    [[0, 1, 2]],
    [[6, 5, 7, 8]],
    [[]],
    [[-5, -1]],
  ]],
  ["longer-than-2", LB, "xs.length > 2", [
    [[1, 2, 3]],
    [[1]],
    [[]],
    [[4, 4]],
    [[5, 6, 7, 8]],
    [[0, 0, 0]],
    [[9, -9]],
    [[2, 3, 4, 5, 6]],
    [[-1]],
    [[3, 1, 2]],
  ]],
  ["double-plus-one", II, "x * 2 + 1", INTS_AFFINE],
  ["five-minus", II, "5 - x", INTS_FROM_5],
  ["abs", II, "Math.abs(x)", INTS],
  ["sign", II, "x > 0 ? 1 : x < 0 ? -1 : 0", INTS],
  ["int-relu", II, "Math.max(x, 0)", INTS],
  ["halve", II, "Math.trunc(x / 2)", INTS_HALVE],
  ["mod-3", II, "((x % 3) + 3) % 3", INTS],
  ["is-even", IB, "x % 2 === 0", INTS],
  ["gt-2", IB, "x > 2", INTS],
  ["range", IL, RANGE("i"), LENGTHS],
  ["countdown", IL, RANGE("n - i"), LENGTHS],
  ["add", NN, "x + y", PAIRS],
  ["subtract", NN, "x - y", PAIRS],
  ["max2", NN, "Math.max(x, y)", PAIRS],
  ["min2", NN, "Math.min(x, y)", PAIRS],
  ["multiply", NN, "x * y", MUL_PAIRS],
  ["abs-diff", NN, "Math.abs(x - y)", PAIRS],
  ["take-n", LNL, "xs.slice(0, n)", LIST_INTS],
  ["drop-n", LNL, "xs.slice(n)", LIST_INTS],
  ["add-n", LNL, "xs.map((v) => v + n)", LIST_SHIFTS],
  ["keep-greater", LNL, "xs.filter((v) => v > n)", LIST_INTS],
  ["remove-n", LNL, "xs.filter((v) => v !== n)", LIST_INTS],
  ["count-n", LNI, "xs.filter((v) => v === n).length", LIST_INTS],
  ["index-of-n", LNI, "xs.indexOf(n)", LIST_INTS],
  ["concat", LLL, "xs.concat(ys)", LIST_PAIRS],
  ["common", LLL, "xs.filter((v) => ys.includes(v))", LIST_PAIRS],
  ["total-length", LLI, "xs.length + ys.length", LIST_PAIRS],
];

function induction(rows: InductionRow[]): SourceTask[] {
  return rows.map(([id, signature, body, inputs]): SourceTask => ({
    id: `i-${id}`,
    task: "induction",
    signature,
    program: fn(signature, body),
    inputs,
    shown: Math.floor(inputs.length / 2),
  }));
}

/** Every hand-written task of the small world, by suite file name. */
export const SMALL_SOURCE_SUITES: Record<string, SourceTask[]> = {
  deduction: single("deduction", "d", DEDUCTION_ROWS),
  abduction: single("abduction", "a", ABDUCTION_ROWS),
  induction: induction(INDUCTION_ROWS),
};
