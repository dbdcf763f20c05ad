/**
 * Parses JavaScript inside the language's subset into program tokens (acorn AST →
 * productions), so hand-written or external programs can be given to the model.
 * `renderProgram(parse(js))` is stable, and `parse(renderProgram(tokens))` gives `tokens`
 * back. Anything outside the subset is an error naming the construct and its position.
 *
 * Parameter and lambda names may be anything; they map to the parameter tokens and the
 * lambda-variable tokens `v`/`i`/`a` by position.
 * @module
 */
import { parse as acornParse } from "acorn";
import { type Production, PRODUCTIONS, RANGE_MAX } from "./grammar.ts";
import { programTree } from "./tree.ts";
import { type LangType, type Signature, SIGNATURES } from "./types.ts";
import {
  FALSE,
  intToken,
  PARAM_BASE,
  PROD_BASE,
  PROGRAM_INT_MAX,
  PROGRAM_INT_MIN,
  SIG_BASE,
  TRUE,
  VAR_BASE,
} from "./vocab.ts";

/** Where an unsupported construct starts. */
export interface SourcePosition {
  /** Character offset from the start of the source. */
  offset: number;
  /** 1-based line. */
  line: number;
  /** 0-based column. */
  column: number;
}

/** Result of parsing: tokens, or what is unsupported and where. */
export type ParseProgramResult =
  | { ok: true; tokens: number[]; signature: Signature }
  | { ok: false; message: string; construct: string; position: SourcePosition };

/** Options of {@linkcode parseProgram}. */
export interface ParseProgramOptions {
  /** The signature to type the program with; when absent, the first signature that types it. */
  signature?: Signature;
}

/** The subset of an ESTree node the parser reads. */
interface Ast {
  type: string;
  start: number;
  loc?: { start: { line: number; column: number } };
  [key: string]: unknown;
}

class Unsupported extends Error {
  constructor(readonly construct: string, readonly node: Ast, message: string) {
    super(message);
  }
}

const prod = (name: string): number => {
  const k = PRODUCTIONS.findIndex((p) => p.name === name);
  if (k < 0) throw new Error(`Grammar has no production ${name}`);
  return PROD_BASE + k;
};
const VAR = { v: VAR_BASE, i: VAR_BASE + 1, a: VAR_BASE + 2 } as const;

const child = (n: Ast, key: string): Ast => n[key] as Ast;
const children = (n: Ast, key: string): Ast[] => n[key] as Ast[];

/** Name → token and type of what an identifier refers to. */
type Env = ReadonlyMap<string, { token: number; type: LangType }>;

function fail(construct: string, node: Ast, message?: string): never {
  throw new Unsupported(construct, node, message ?? `${construct} is not in the language`);
}

function unparen(n: Ast): Ast {
  return n.type === "ParenthesizedExpression" ? unparen(child(n, "expression")) : n;
}

/** Binds arrow parameters to lambda variables (`null`: the parameter must stay unused). */
function bindArrow(fn: Ast, vars: (keyof typeof VAR | null)[], env: Env, what: string): [Ast, Env] {
  fn = unparen(fn);
  if (fn.type !== "ArrowFunctionExpression" || fn.async || fn.expression !== true) {
    fail(
      fn.type === "ArrowFunctionExpression" ? "block-bodied arrow" : fn.type,
      fn,
      `${what} needs an arrow function with an expression body, like (v) => v * 2`,
    );
  }
  const params = children(fn, "params");
  if (params.length !== vars.length || params.some((p) => p.type !== "Identifier")) {
    fail("arrow parameters", fn, `${what} takes an arrow with ${vars.length} plain parameter(s)`);
  }
  const next = new Map(env);
  params.forEach((p, k) => {
    const v = vars[k]!;
    const name = p.name as string;
    if (v === null) {
      next.delete(name);
      return;
    }
    // A rebinding of v/i/a hides every outer name bound to the same variable.
    for (const [n, b] of next) if (b.token === VAR[v]) next.delete(n);
    next.set(name, { token: VAR[v], type: "int" });
  });
  return [child(fn, "body"), next];
}

function isNumber(n: Ast): boolean {
  return n.type === "Literal" && typeof n.value === "number";
}

function expr(node: Ast, type: LangType, env: Env, out: number[]): void {
  const typeError = (actual: LangType): never =>
    fail("type", node, `this expression has type ${actual} but ${type} is expected here`);
  const want = (t: LangType) => {
    if (t !== type) typeError(t);
  };
  const emit = (name: string, result: LangType) => {
    want(result);
    out.push(prod(name));
  };
  switch (node.type) {
    case "ParenthesizedExpression": {
      const inner = child(node, "expression");
      return expr(inner, type, env, out);
    }
    case "Literal": {
      if (typeof node.value === "boolean") {
        want("bool");
        out.push(node.value ? TRUE : FALSE);
        return;
      }
      if (typeof node.value === "number") {
        want("int");
        return literal(node.value, node, out);
      }
      return fail(`literal ${String(node.raw)}`, node);
    }
    case "Identifier": {
      const b = env.get(node.name as string);
      if (!b) {
        return fail(
          `identifier '${String(node.name)}'`,
          node,
          `unknown name '${String(node.name)}'`,
        );
      }
      want(b.type);
      out.push(b.token);
      return;
    }
    case "UnaryExpression": {
      const arg = child(node, "argument");
      if (node.operator === "-") {
        want("int");
        if (isNumber(arg)) return literal(-(arg.value as number), node, out);
        out.push(prod("NEG"));
        return expr(arg, "int", env, out);
      }
      if (node.operator === "!") {
        emit("NOT", "bool");
        return expr(arg, "bool", env, out);
      }
      return fail(`unary '${String(node.operator)}'`, node);
    }
    case "BinaryExpression":
    case "LogicalExpression": {
      const operator = node.operator as string;
      const p = INFIX.get(operator);
      if (!p) {
        const hint = operator === "/"
          ? " (write Math.trunc(a / b))"
          : operator === "==" || operator === "!="
          ? " (write === or !==)"
          : "";
        return fail(
          `operator '${operator}'`,
          node,
          `operator '${operator}' is not in the language${hint}`,
        );
      }
      emit(p.name, p.result);
      expr(child(node, "left"), p.children[0]!.type, env, out);
      return expr(child(node, "right"), p.children[1]!.type, env, out);
    }
    case "ConditionalExpression": {
      if (type === "bool") {
        return fail("bool-valued ternary", node, "a ternary must give an int or an int[]");
      }
      out.push(prod(type === "int" ? "COND_INT" : "COND_LIST"));
      expr(child(node, "test"), "bool", env, out);
      expr(child(node, "consequent"), type, env, out);
      return expr(child(node, "alternate"), type, env, out);
    }
    case "MemberExpression": {
      const obj = child(node, "object");
      const prop = child(node, "property");
      if (node.computed) {
        emit("INDEX", "int");
        expr(obj, "int[]", env, out);
        return expr(prop, "int", env, out);
      }
      if (prop.name === "length") {
        emit("LEN", "int");
        return expr(obj, "int[]", env, out);
      }
      return fail(`property .${String(prop.name)}`, node);
    }
    case "ArrayExpression":
      return arrayExpr(node, type, env, out);
    case "CallExpression":
      return callExpr(node, type, env, out);
    default:
      return fail(node.type, node);
  }
}

function literal(n: number, node: Ast, out: number[]): void {
  if (!Number.isInteger(n) || n < PROGRAM_INT_MIN || n > PROGRAM_INT_MAX) {
    fail(
      `literal ${n}`,
      node,
      `int literals in programs must be in [${PROGRAM_INT_MIN}, ${PROGRAM_INT_MAX}], got ${n}`,
    );
  }
  out.push(intToken(n));
}

function spreadArg(n: Ast): Ast | undefined {
  return n.type === "SpreadElement" ? child(n, "argument") : undefined;
}

function arrayExpr(node: Ast, type: LangType, env: Env, out: number[]): void {
  const els = children(node, "elements");
  if (els.some((e) => e === null)) fail("array hole", node);
  if (type !== "int[]") {
    fail("type", node, `an array literal has type int[] but ${type} is expected here`);
  }
  const s0 = els[0] ? spreadArg(els[0]) : undefined;
  const s1 = els[1] ? spreadArg(els[1]) : undefined;
  if (els.length === 0) {
    out.push(prod("EMPTY"));
  } else if (els.length === 1 && s0 && unparen(s0).type === "NewExpression") {
    const ne = unparen(s0);
    const callee = child(ne, "callee");
    const args = children(ne, "arguments");
    if (callee.type !== "Identifier" || callee.name !== "Set" || args.length !== 1) fail("new", ne);
    out.push(prod("UNIQUE"));
    expr(args[0]!, "int[]", env, out);
  } else if (els.length === 1 && !s0) {
    out.push(prod("SINGLETON"));
    expr(els[0]!, "int", env, out);
  } else if (els.length === 2 && s0 && !s1) {
    out.push(prod("APPEND"));
    expr(s0, "int[]", env, out);
    expr(els[1]!, "int", env, out);
  } else if (els.length === 2 && !s0 && s1) {
    out.push(prod("PREPEND"));
    expr(els[0]!, "int", env, out);
    expr(s1, "int[]", env, out);
  } else {
    fail(
      "array literal",
      node,
      "array literals must be [], [a], [...xs, a], [a, ...xs] or [...new Set(xs)]",
    );
  }
}

/** `[...xs]` → xs, else undefined. */
/**
 * The list a copy is made of: `[...xs]`, or `xs.slice()` (the same copy for plain arrays,
 * and the common spelling before an in-place `.sort`/`.reverse`); both parse to the
 * language's REVERSE/SORT, which render with a spread.
 */
function copiedList(n: Ast): Ast | undefined {
  n = unparen(n);
  if (n.type === "CallExpression" && children(n, "arguments").length === 0) {
    const callee = unparen(child(n, "callee"));
    if (
      callee.type === "MemberExpression" && !callee.computed &&
      child(callee, "property").name === "slice"
    ) {
      return child(callee, "object");
    }
  }
  const els = n.type === "ArrayExpression" ? children(n, "elements") : [];
  return els.length === 1 && els[0] ? spreadArg(els[0]) : undefined;
}

function isSortComparator(fn: Ast): boolean {
  fn = unparen(fn);
  if (fn.type !== "ArrowFunctionExpression" || fn.expression !== true) return false;
  const ps = children(fn, "params");
  const body = unparen(child(fn, "body"));
  if (ps.length !== 2 || body.type !== "BinaryExpression" || body.operator !== "-") return false;
  const l = unparen(child(body, "left"));
  const r = unparen(child(body, "right"));
  return l.type === "Identifier" && r.type === "Identifier" && l.name === ps[0]!.name &&
    r.name === ps[1]!.name;
}

function callExpr(node: Ast, type: LangType, env: Env, out: number[]): void {
  const callee = unparen(child(node, "callee"));
  const args = children(node, "arguments");
  if (callee.type !== "MemberExpression" || callee.computed) return fail("function call", node);
  const obj = unparen(child(callee, "object"));
  const m = child(callee, "property").name as string;
  const emit = (name: string) => {
    const p = PRODUCTIONS[prod(name) - PROD_BASE]!;
    if (p.result !== type) {
      fail("type", node, `.${m}(…) has type ${p.result} but ${type} is expected here`);
    }
    out.push(prod(name));
  };
  const arity = (n: number) => {
    if (args.length !== n) fail(`.${m} with ${args.length} arguments`, node);
  };
  if (obj.type === "Identifier" && obj.name === "Math" && !env.has("Math")) {
    const q = args.length === 1 ? unparen(args[0]!) : undefined;
    if (m === "trunc" && q?.type === "BinaryExpression" && q.operator === "/") {
      emit("DIV");
      expr(child(q, "left"), "int", env, out);
      return expr(child(q, "right"), "int", env, out);
    }
    // A list child is written spread (`Math.max(...xs)`), an int child plainly (`Math.max(a, b)`).
    const p = FUNCTIONS.get(`Math.${m}`)?.find((p) =>
      p.children.length === args.length &&
      p.children.every((s, k) => (s.type === "int[]") === (spreadArg(args[k]!) !== undefined))
    );
    if (p) {
      emit(p.name);
      return p.children.forEach((s, k) => expr(spreadArg(args[k]!) ?? args[k]!, s.type, env, out));
    }
    return fail(`Math.${m}`, node);
  }
  if (obj.type === "Identifier" && obj.name === "Array" && m === "from" && !env.has("Array")) {
    return rangeExpr(node, args, env, out, emit);
  }
  const list = copiedList(obj);
  if (m === "reverse" && list) {
    arity(0);
    emit("REVERSE");
    return expr(list, "int[]", env, out);
  }
  if (m === "sort" && list && args.length === 1 && isSortComparator(args[0]!)) {
    emit("SORT");
    return expr(list, "int[]", env, out);
  }
  if (m === "at") {
    const a = args.length === 1 ? unparen(args[0]!) : undefined;
    const minusOne = a?.type === "UnaryExpression" && a.operator === "-" &&
      child(a, "argument").type === "Literal" && child(a, "argument").value === 1;
    if (!minusOne) return fail(".at(…) other than .at(-1)", node);
    emit("LAST");
    return expr(obj, "int[]", env, out);
  }
  return methodCall(node, obj, m, args, env, out, emit);
}

/** Productions written `a op b` ({@linkcode Production.infix}), by operator. */
const INFIX = new Map(PRODUCTIONS.flatMap((p) => (p.infix ? [[p.infix, p] as const] : [])));
/** Productions written `xs.m(…)` ({@linkcode Production.calls}), by method name. */
const METHODS = callsBy((c) => ("method" in c ? c.method : undefined));
/** Productions written `Math.f(…)` ({@linkcode Production.calls}), by function name. */
const FUNCTIONS = callsBy((c) => ("fn" in c ? c.fn : undefined));

function callsBy(
  key: (calls: NonNullable<Production["calls"]>) => string | undefined,
): ReadonlyMap<string, Production[]> {
  const by = new Map<string, Production[]>();
  for (const p of PRODUCTIONS) {
    const k = p.calls ? key(p.calls) : undefined;
    if (k !== undefined) by.set(k, [...(by.get(k) ?? []), p]);
  }
  return by;
}

/** The arrow's parameter count, or undefined when `n` is not an arrow. */
function arrowParams(n: Ast): number | undefined {
  n = unparen(n);
  return n.type === "ArrowFunctionExpression" ? children(n, "params").length : undefined;
}

/**
 * `xs.m(…)` for a production written as that method: the one whose argument count fits and,
 * among those, whose lambda binds as many variables as the arrow has parameters (`map` vs
 * `map` with an index); its children are the object, then the arguments in order.
 */
function methodCall(
  node: Ast,
  obj: Ast,
  m: string,
  args: Ast[],
  env: Env,
  out: number[],
  emit: (name: string) => void,
): void {
  const named = METHODS.get(m);
  if (!named) return fail(`method .${m}`, node);
  const fits = named.filter((p) => p.children.length - 1 === args.length);
  if (fits.length === 0) return fail(`.${m} with ${args.length} arguments`, node);
  const p =
    fits.find((p) =>
      p.children.slice(1).every((s, k) => !s.binds || arrowParams(args[k]!) === s.binds.length)
    ) ?? fits[0]!;
  emit(p.name);
  expr(obj, p.children[0]!.type, env, out);
  p.children.slice(1).forEach((slot, k) => {
    if (!slot.binds) return expr(args[k]!, slot.type, env, out);
    const [body, inner] = bindArrow(args[k]!, [...slot.binds], env, `.${m}`);
    expr(body, slot.type, inner, out);
  });
}

/** `Array.from({ length: Math.min(n, RANGE_MAX) }, (_, i) => e)`. */
function rangeExpr(
  node: Ast,
  args: Ast[],
  env: Env,
  out: number[],
  emit: (n: string) => void,
): void {
  const shape = `Array.from({ length: Math.min(n, ${RANGE_MAX}) }, (_, i) => e)`;
  const o = args[0] ? unparen(args[0]) : undefined;
  const props = o?.type === "ObjectExpression" ? children(o, "properties") : [];
  const p = props.length === 1 ? props[0]! : undefined;
  const key = p?.type === "Property" && !p.computed ? child(p, "key") : undefined;
  const len = p && key?.type === "Identifier" && key.name === "length"
    ? unparen(child(p, "value"))
    : undefined;
  const lenCallee = len?.type === "CallExpression" ? unparen(child(len, "callee")) : undefined;
  const lenArgs = len?.type === "CallExpression" ? children(len, "arguments") : [];
  const ok = args.length === 2 && lenCallee?.type === "MemberExpression" &&
    child(lenCallee, "object").name === "Math" && child(lenCallee, "property").name === "min" &&
    lenArgs.length === 2 && unparen(lenArgs[1]!).type === "Literal" &&
    unparen(lenArgs[1]!).value === RANGE_MAX;
  if (!ok) fail("Array.from", node, `Array.from is supported only as ${shape}`);
  emit("RANGE");
  expr(lenArgs[0]!, "int", env, out);
  const [body, inner] = bindArrow(args[1]!, [null, "i"], env, "Array.from");
  expr(body, "int", inner, out);
}

function position(source: string, offset: number): SourcePosition {
  const before = source.slice(0, offset).split("\n");
  return { offset, line: before.length, column: before[before.length - 1]!.length };
}

/**
 * Parses `function f(...) { return …; }` into program tokens.
 *
 * @example
 * ```ts
 * import { renderProgram } from "./render.ts";
 * const r = parseProgram("function f(xs) { return xs.filter((v) => v % 2 === 0); }");
 * if (r.ok) console.log(renderProgram(r.tokens));
 * ```
 */
export function parseProgram(source: string, opts: ParseProgramOptions = {}): ParseProgramResult {
  let ast: Ast;
  try {
    ast = acornParse(source, { ecmaVersion: "latest", preserveParens: true }) as unknown as Ast;
  } catch (err) {
    const e = err as SyntaxError & { pos?: number };
    return {
      ok: false,
      construct: "syntax",
      message: e.message,
      position: position(source, e.pos ?? 0),
    };
  }
  const failAt = (u: Unsupported): ParseProgramResult => {
    const at = position(source, u.node.start);
    return {
      ok: false,
      construct: u.construct,
      message: `${u.message} (line ${at.line}, column ${at.column})`,
      position: at,
    };
  };
  try {
    const body = children(ast, "body");
    const fn = body[0];
    if (body.length !== 1 || fn?.type !== "FunctionDeclaration") {
      fail(
        fn?.type ?? "empty program",
        fn ?? ast,
        "the source must be one `function f(...) { return …; }`",
      );
    }
    if (fn.async || fn.generator) fail("async or generator function", fn);
    const params = children(fn, "params");
    if (params.some((p) => p.type !== "Identifier")) {
      fail("parameter pattern", fn, "parameters must be plain names");
    }
    const stmts = children(child(fn, "body"), "body");
    const ret = stmts[0];
    if (stmts.length !== 1 || ret?.type !== "ReturnStatement" || !ret.argument) {
      fail(
        ret?.type ?? "empty body",
        ret ?? fn,
        "the body must be a single `return <expression>;`",
      );
    }
    const names = params.map((p) => p.name as string);
    const candidates = opts.signature ? [opts.signature] : SIGNATURES
      .filter((s) => s.params.length === names.length)
      .sort((a, b) =>
        Number(b.paramNames.join() === names.join()) - Number(a.paramNames.join() === names.join())
      );
    if (candidates.length === 0) {
      fail("parameter count", fn, `no signature takes ${names.length} parameters`);
    }
    let first: Unsupported | undefined;
    for (const sig of candidates) {
      if (sig.params.length !== names.length) {
        fail(
          "parameter count",
          fn,
          `${sig.name} takes ${sig.params.length} parameters, the function has ${names.length}`,
        );
      }
      const env = new Map(
        names.map((n, j) => [n, { token: PARAM_BASE + j, type: sig.params[j]! }]),
      );
      const out = [SIG_BASE + SIGNATURES.findIndex((s) => s.name === sig.name)];
      try {
        expr(child(ret, "argument"), sig.returns, env, out);
      } catch (err) {
        if (!(err instanceof Unsupported)) throw err;
        first ??= err;
        continue;
      }
      const tree = programTree(out);
      if (!tree.ok) throw new Error(`Parser bug: produced an invalid program (${tree.message})`);
      return { ok: true, tokens: out, signature: sig };
    }
    return failAt(first!);
  } catch (err) {
    if (err instanceof Unsupported) return failAt(err);
    throw err;
  }
}
