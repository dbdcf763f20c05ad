/**
 * Oracle tests of the shipped suites (data/eval/<world>/*.jsonl): every stored output is what the
 * program returns when run as plain JS here (independently of data/eval/build.ts), values respect
 * the world's bounds, the files are what build.ts writes, and the suites have the size and
 * coverage the kit promises. The small world's programs all parse in the language with its
 * literals (−3..5).
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { parse as parseJs } from "acorn";
import { type EvalTask, loadSuites, suiteBoundsOf } from "../../lib/eval/mod.ts";
import { parseProgram } from "../../lib/lang/parse.ts";
import { signatureByName } from "../../lib/lang/types.ts";
import { tokenInt } from "../../lib/lang/vocab.ts";
import { SOURCE_SUITES } from "../../data/eval/source.ts";
import { buildSuites } from "../../data/eval/build.ts";

const WORLDS = ["small", "wide"] as const;
const dirOf = (world: string) =>
  fileURLToPath(new URL(`../../data/eval/${world}/`, import.meta.url));
const SUITES = Object.fromEntries(
  WORLDS.map((w) => [w, loadSuites(dirOf(w), suiteBoundsOf(w))]),
) as Record<(typeof WORLDS)[number], ReturnType<typeof loadSuites>>;
const TASKS = (world: (typeof WORLDS)[number]): EvalTask[] =>
  Object.values(SUITES[world]).flatMap((s) => s.tasks);
const ALL = TASKS("wide");
const SMALL = TASKS("small");
const OUTSIDE = new Set(
  Object.values(SOURCE_SUITES).flat().filter((t) => t.outside !== undefined).map((t) => t.id),
);

/** Written out here, not read from lib: small ints [-9, 9], lists ≤ 6; wide ±999, ≤ 16. */
const LIMITS = { small: { int: 9, len: 6 }, wide: { int: 999, len: 16 } };

function inBounds(v: unknown, world: (typeof WORLDS)[number]): boolean {
  const { int: r, len } = LIMITS[world];
  const int = (x: unknown) => Number.isInteger(x) && (x as number) >= -r && (x as number) <= r;
  if (typeof v === "boolean") return true;
  if (Array.isArray(v)) return v.length <= len && v.every(int);
  return int(v);
}

Deno.test("eval data: every example is what its program returns", () => {
  let checked = 0;
  for (const t of [...ALL, ...SMALL]) {
    assert.ok(t.program, `${t.id}: every shipped task carries its program`);
    const f = new Function(`${t.program}\nreturn f;`)() as (...args: unknown[]) => unknown;
    t.examples.forEach((ex, k) => {
      // strict: a program returning -0 (not a JSON value; the sandbox rejects it) fails here too
      const got = f(...structuredClone(ex.input));
      assert.deepStrictEqual(got, ex.output, `${t.id} example ${k}`);
      checked++;
    });
  }
  assert.ok(checked > 1600, `checked ${checked} examples`);
});

Deno.test("eval data: inputs and outputs are within their world's bounds", () => {
  for (const world of WORLDS) {
    for (const t of TASKS(world)) {
      for (const ex of t.examples) {
        for (const v of ex.input) {
          assert.ok(inBounds(v, world), `${world}/${t.id}: input ${JSON.stringify(v)}`);
        }
        assert.ok(
          inBounds(ex.output, world),
          `${world}/${t.id}: output ${JSON.stringify(ex.output)}`,
        );
      }
    }
  }
});

Deno.test("eval data: wide suites' sizes, shapes and unique ids", () => {
  const suites = SUITES.wide;
  assert.deepEqual(Object.keys(suites), ["abduction", "deduction", "induction"]);
  const ids = ALL.map((t) => t.id);
  assert.equal(new Set(ids).size, ids.length, "ids unique across all suites");
  for (const type of ["deduction", "abduction", "induction"] as const) {
    const tasks = ALL.filter((t) => t.task === type);
    // each file holds one task type
    assert.ok(suites[type]!.tasks.every((t) => t.task === type), `${type}.jsonl is all ${type}`);
    const inside = tasks.filter((t) => !OUTSIDE.has(t.id));
    const outside = tasks.length - inside.length;
    assert.ok(inside.length >= 60, `${type}: ${inside.length} in-language tasks (need >= 60)`);
    assert.ok(outside >= 3 && outside <= 8, `${type}: ${outside} deliberately outside`);
  }
  for (const t of ALL) {
    assert.ok(t.signature, `${t.id}: signature`);
    if (t.task === "induction") {
      const n = t.examples.length;
      assert.ok(n >= 8 && n <= 10, `${t.id}: ${n} examples (want 8–10)`);
      assert.ok(Math.abs(t.shown - n / 2) <= 1, `${t.id}: shown ${t.shown} of ${n} (about half)`);
      const held = new Set(t.examples.slice(t.shown).map((e) => JSON.stringify(e.output)));
      const all = new Set(t.examples.map((e) => JSON.stringify(e.output)));
      assert.ok(all.size >= 2 && held.size >= 1, `${t.id}: outputs vary`);
    } else {
      assert.equal(t.examples.length, 1, `${t.id}: one query`);
    }
  }
});

Deno.test("eval data: the JSONL files are what build.ts writes", () => {
  for (const world of WORLDS) {
    const built = buildSuites(world);
    assert.deepEqual(
      Object.keys(built).sort(),
      Object.keys(SUITES[world]).map((n) => `${n}.jsonl`),
    );
    for (const [file, text] of Object.entries(built)) {
      assert.equal(
        Deno.readTextFileSync(`${dirOf(world)}${file}`),
        text,
        `${world}/${file} is stale: run deno run -A data/eval/build.ts --world ${world}`,
      );
    }
  }
});

// The language's everyday vocabulary (issue 4 "Productions"), checked with acorn so that the tasks
// marked `outside` are exactly the ones that step out of it. The language's own parser decides
// at eval time; this only keeps the suite's labels honest.
const NODE_TYPES = new Set([
  "Program",
  "FunctionDeclaration",
  "BlockStatement",
  "ReturnStatement",
  "ArrowFunctionExpression",
  "CallExpression",
  "MemberExpression",
  "BinaryExpression",
  "LogicalExpression",
  "UnaryExpression",
  "ConditionalExpression",
  "ArrayExpression",
  "SpreadElement",
  "NewExpression",
  "ObjectExpression",
  "Property",
  "Identifier",
  "Literal",
]);
const GLOBALS = new Set(["Math", "Array", "Set"]);
const MEMBERS = new Set([
  "map",
  "filter",
  "reduce",
  "slice",
  "concat",
  "includes",
  "indexOf",
  "some",
  "every",
  "sort",
  "reverse",
  "length",
  "from",
  "max",
  "min",
  "abs",
  "trunc",
]);

interface Node {
  type: string;
  [k: string]: unknown;
}

/** The first construct outside the vocabulary, or undefined. */
function outsideConstruct(src: string): string | undefined {
  const ast = parseJs(src, { ecmaVersion: "latest" }) as unknown as Node;
  const fn = (ast.body as Node[])[0]!;
  const body = (fn.body as Node).body as Node[];
  if (
    (ast.body as Node[]).length !== 1 || body.length !== 1 || body[0]!.type !== "ReturnStatement"
  ) {
    return "a body other than one return statement";
  }
  const bound = new Set(((fn.params as Node[]) ?? []).map((p) => p.name as string));
  let found: string | undefined;
  const visit = (n: Node, scope: Set<string>) => {
    if (found) return;
    if (!NODE_TYPES.has(n.type)) return void (found = n.type);
    if (
      n.type === "BinaryExpression" &&
      /^(&|\||\^|<<|>>|>>>|\*\*|in|instanceof)$/.test(String(n.operator))
    ) {
      return void (found = `operator ${n.operator}`);
    }
    if (n.type === "Literal" && typeof n.value !== "number" && typeof n.value !== "boolean") {
      return void (found = "a non-number literal");
    }
    if (n.type === "Identifier" && !scope.has(n.name as string) && !GLOBALS.has(n.name as string)) {
      return void (found = `identifier ${n.name}`);
    }
    if (n.type === "MemberExpression" && !n.computed) {
      const name = (n.property as Node).name as string;
      if (!MEMBERS.has(name)) return void (found = `member .${name}`);
      return visit(n.object as Node, scope);
    }
    if (n.type === "Property") return visit(n.value as Node, scope);
    let inner = scope;
    if (n.type === "ArrowFunctionExpression") {
      inner = new Set([...scope, ...(n.params as Node[]).map((p) => p.name as string)]);
    }
    for (const v of Object.values(n)) {
      if (Array.isArray(v)) v.forEach((c) => c && typeof c === "object" && visit(c as Node, inner));
      else if (v && typeof v === "object" && typeof (v as Node).type === "string") {
        visit(v as Node, inner);
      }
    }
  };
  visit(body[0]!.argument as Node, bound);
  return found;
}

Deno.test("eval data: 'outside' marks exactly the programs outside the language's vocabulary", () => {
  for (const t of Object.values(SOURCE_SUITES).flat()) {
    const construct = outsideConstruct(t.program);
    if (t.outside) {
      assert.ok(construct, `${t.id} is marked outside (${t.outside}) but looks inside`);
    } else assert.equal(construct, undefined, `${t.id} uses ${construct}`);
  }
});

Deno.test("eval data: every wide task type spans the DeepCoder operations", () => {
  const OPS: Record<string, RegExp> = {
    HEAD: /xs\[0\]/,
    LAST: /xs\[xs\.length - 1\]/,
    TAKE: /\.slice\(0, (\d|n|-\d)/,
    DROP: /\.slice\((\d|n)\)/,
    ACCESS: /xs\[(\d|n)\]/,
    MINIMUM: /Math\.min\(\.\.\.xs\)/,
    MAXIMUM: /Math\.max\(\.\.\.xs\)/,
    REVERSE: /\.reverse\(\)/,
    SORT: /\.sort\(\(a, b\) => a - b\)/,
    SUM: /\.reduce\(\(a, b\) => a \+ b, 0\)/,
    MAP: /\.map\(\(v\) =>/,
    FILTER: /\.filter\(\(v\) =>/,
    COUNT: /\.filter\([^)]*\) => [^)]*\)\.length/,
    ZIPWITH: /\.map\(\(v, i\) => v [-+*] xs\[/,
    SCANL1: /\.map\(\(v, i\) => .*xs\.slice\(0, i \+ 1\)/,
  };
  for (const type of ["deduction", "abduction", "induction"] as const) {
    const programs = ALL.filter((t) => t.task === type).map((t) => t.program ?? "");
    for (const [op, re] of Object.entries(OPS)) {
      assert.ok(programs.some((p) => re.test(p)), `${type}: no program uses ${op}`);
    }
  }
});

// ── the small world ─────────────────────────────────────────────────────────────────────────────

Deno.test("eval data (small): every program parses in the language with literals in [-3, 5]", () => {
  for (const t of SMALL) {
    const sig = signatureByName(t.signature ?? "");
    assert.ok(sig, `${t.id}: signature ${t.signature} is the language's`);
    const r = parseProgram(t.program ?? "", { signature: sig });
    assert.ok(r.ok, `${t.id}: ${r.ok ? "" : r.message}`);
    const literals = r.tokens.map(tokenInt).filter((n) => n !== undefined);
    for (const n of literals) assert.ok(n >= -3 && n <= 5, `${t.id}: literal ${n}`);
  }
});

Deno.test("eval data (small): sizes, shapes and unique ids", () => {
  const suites = SUITES.small;
  assert.deepEqual(Object.keys(suites), ["abduction", "deduction", "induction"]);
  const ids = SMALL.map((t) => t.id);
  assert.equal(new Set(ids).size, ids.length, "ids unique across all suites");
  for (const type of ["deduction", "abduction", "induction"] as const) {
    const tasks = suites[type]!.tasks;
    assert.ok(tasks.every((t) => t.task === type), `${type}.jsonl is all ${type}`);
    assert.ok(tasks.length >= 60, `${type}: ${tasks.length} tasks (need >= 60)`);
    // every signature of the language appears in every task type
    assert.equal(new Set(tasks.map((t) => t.signature)).size, 11, `${type}: signatures`);
  }
  for (const t of SMALL) {
    if (t.task === "induction") {
      assert.equal(t.examples.length, 10, `${t.id}: 10 examples`);
      assert.equal(t.shown, 5, `${t.id}: 5 shown`);
      const held = new Set(t.examples.slice(5).map((e) => JSON.stringify(e.output)));
      assert.ok(held.size >= 2, `${t.id}: held-out outputs vary`);
    } else {
      assert.equal(t.examples.length, 1, `${t.id}: one query`);
    }
  }
});

Deno.test("eval data (small): every task type spans the DeepCoder operations", () => {
  const OPS: Record<string, RegExp> = {
    HEAD: /xs\[0\]/,
    LAST: /xs\.at\(-1\)/,
    TAKE: /\.slice\(0, (\d|n)\)/,
    DROP: /\.slice\((\d|n)\)/,
    ACCESS: /xs\[(\d|n)\]/,
    MINIMUM: /Math\.min\(\.\.\.xs\)/,
    MAXIMUM: /Math\.max\(\.\.\.xs\)/,
    REVERSE: /\.reverse\(\)/,
    SORT: /\.sort\(\(p, q\) => p - q\)/,
    SUM: /\.reduce\(\(a, v\) => a \+ v, 0\)/,
    MAP: /\.map\(\(v\) =>/,
    FILTER: /\.filter\(\(v\) =>/,
    COUNT: /\.filter\([^)]*\) => [^)]*\)\.length/,
    ZIPWITH: /\.map\(\(v, i\) => .*(xs|ys)\[/,
    SCANL1: /\.map\(\(v, i\) => .*xs\.slice\(0, i \+ 1\)/,
    "includes/some/every": /\.(includes|some|every)\(/,
    indexOf: /\.indexOf\(/,
    length: /\.length/,
    conditional: / \? /,
    unique: /new Set/,
    concat: /\.concat\(/,
    "append/prepend": /\[\.\.\.xs, |, \.\.\.xs\]/,
    range: /Array\.from/,
  };
  for (const type of ["deduction", "abduction", "induction"] as const) {
    const programs = SMALL.filter((t) => t.task === type).map((t) => t.program ?? "");
    for (const [op, re] of Object.entries(OPS)) {
      assert.ok(programs.some((p) => re.test(p)), `${type}: no program uses ${op}`);
    }
  }
});
