/**
 * Solver traces: the intermediate values a deduction solver may write before its answer.
 *
 * The trace of a program is the value of every non-leaf sub-expression that JS evaluates
 * exactly once per call, in evaluation order (post-order, children left to right), the root
 * excluded (its value is the answer). Two kinds of sub-expression are left out:
 * - lambda bodies (`xs.map((v) => e)`): `e` runs once per element, or never;
 * - lazy operands: the branches of `c ? a : b` and the right operand of `p && q`, `p || q`.
 *   JS may skip them, and a skipped one may have no value at all (`xs.length > 0 ? xs[0] : 0`
 *   on `[]`), so a trace that held them would fail on exactly the programs that guard.
 * Outside those every sub-expression is closed (no lambda variable is bound there), so its
 * value depends on the arguments only, and the trace's types follow from the program alone.
 *
 * Values are self-delimiting, so a trace and then the answer are written back to back
 * with no new tokens; the solver's constraint is the chain of their value constraints.
 *
 * @example `xs.map((v) => v + 1).filter((v) => v > 0).length` on `[1, -3, 2]`
 * ```ts
 * import { parseProgram } from "./parse.ts";
 * import { traceTypes, traceValues } from "./trace.ts";
 * const p = parseProgram("function f(xs) { return xs.map((v) => v + 1).filter((v) => v > 0).length; }");
 * if (p.ok) {
 *   traceTypes(p.tokens); // ["int[]", "int[]"]
 *   traceValues(p.tokens, [[1, -3, 2]], { intMin: -9, intMax: 9, maxListLen: 6 }); // [[2, -2, 3], [2, 3]]
 * }
 * ```
 * @module
 */
import { type Compiled, PRODUCTIONS } from "./grammar.ts";
import { compileNode, interpretProgram, toDomain } from "./interpret.ts";
import { mustProgramTree, type ProgramNode } from "./tree.ts";
import type { LangType, ValueBounds } from "./types.ts";
import { checkValue, decodeValue, encodeValue, type LangValue } from "./values.ts";
import { LIST_CLOSE, LIST_OPEN, PROD_BASE } from "./vocab.ts";

/** Child slots JS may not evaluate, by production name (lambda bodies are found by `binds`). */
const LAZY_SLOTS: Readonly<Record<string, readonly number[]>> = {
  COND_INT: [1, 2],
  COND_LIST: [1, 2],
  AND: [1],
  OR: [1],
};

/** The trace's nodes of a program body, in evaluation order (root excluded). */
function traceNodes(body: ProgramNode): ProgramNode[] {
  const out: ProgramNode[] = [];
  const visit = (node: ProgramNode): void => {
    const p = PRODUCTIONS[node.token - PROD_BASE];
    if (node.kids.length === 0 || node.token < PROD_BASE || p === undefined) return;
    const lazy = LAZY_SLOTS[p.name] ?? [];
    node.kids.forEach((kid, k) => {
      if (p.children[k]?.binds === undefined && !lazy.includes(k)) visit(kid);
    });
    out.push(node);
  };
  visit(body);
  out.pop(); // the root: its value is the answer, not part of the trace
  return out;
}

function resultType(node: ProgramNode): LangType {
  return PRODUCTIONS[node.token - PROD_BASE]!.result;
}

/** Types of a program's trace values, in order (throws for tokens that are not a program). */
export function traceTypes(programTokens: readonly number[]): LangType[] {
  return traceNodes(mustProgramTree(programTokens).body).map(resultType);
}

/**
 * The trace of a program on one argument tuple, by the reference interpreter; undefined when a
 * trace value throws, is not a JSON value, or lies outside `bounds` (it cannot be written).
 */
export function traceValues(
  programTokens: readonly number[],
  args: readonly unknown[],
  bounds: ValueBounds,
): LangValue[] | undefined {
  // A program that throws on `args` (or runs out of fuel) has no trace to write: the
  // interpreter's judgement. Once it runs, every traced sub-expression runs inside it, so a throw
  // below is a bug in the trace and propagates rather than silently dropping the example.
  const run = interpretProgram(programTokens, args);
  if (!run.ok && run.kind !== "invalid_value") return undefined;
  const nodes = traceNodes(mustProgramTree(programTokens).body);
  const out: LangValue[] = [];
  for (const node of nodes) {
    const f: Compiled = compileNode(node);
    const raw = f({
      params: args.map((a) => (Array.isArray(a) ? a.slice() : a)),
      fuel: { left: 1e6 },
    });
    const r = toDomain(raw);
    if (!r.ok || !checkValue(resultType(node), r.value, bounds).ok) return undefined;
    out.push(r.value as LangValue);
  }
  return out;
}

/** Tokens of a program's trace on `args` (values back to back), or undefined as for traceValues. */
export function traceTokens(
  programTokens: readonly number[],
  args: readonly unknown[],
  bounds: ValueBounds,
): number[] | undefined {
  const values = traceValues(programTokens, args, bounds);
  if (values === undefined) return undefined;
  const types = traceTypes(programTokens);
  return values.flatMap((v, k) => {
    const r = encodeValue(types[k]!, v, bounds);
    if (!r.ok) throw new Error(`Bug: a checked trace value cannot be encoded: ${r.message}`);
    return r.tokens;
  });
}

/** Most tokens values of `types` take in a world (an int or bool is one token, a list ≤ max + 2). */
export function valuesMaxTokens(types: readonly LangType[], bounds: ValueBounds): number {
  return types.reduce((s, t) => s + (t === "int[]" ? bounds.maxListLen + 2 : 1), 0);
}

/**
 * Splits tokens into values of `types` written back to back; undefined unless each piece
 * decodes as its type and no token is left over.
 */
export function decodeValues(
  types: readonly LangType[],
  tokens: readonly number[],
): LangValue[] | undefined {
  const out: LangValue[] = [];
  let pos = 0;
  for (const type of types) {
    let end = pos + 1;
    if (tokens[pos] === LIST_OPEN) {
      const close = tokens.indexOf(LIST_CLOSE, pos + 1);
      if (close < 0) return undefined;
      end = close + 1;
    }
    if (end > tokens.length) return undefined;
    const v = decodeValue(type, tokens.slice(pos, end));
    if (!v.ok) return undefined;
    out.push(v.value);
    pos = end;
  }
  return pos === tokens.length ? out : undefined;
}
