/**
 * Renders program tokens to the JS source of `function f(...) { return ...; }`.
 * Precedence decides parentheses, so acorn reads back the same tree.
 * @module
 */
import { BOUND_VARS, PREC, PRODUCTIONS, type Rendered } from "./grammar.ts";
import { mustProgramTree, type ProgramNode } from "./tree.ts";
import type { Signature } from "./types.ts";
import { FALSE, PARAM_BASE, PROD_BASE, tokenInt, tokenName, TRUE, VAR_BASE } from "./vocab.ts";

function renderNode(node: ProgramNode, sig: Signature): Rendered {
  const t = node.token;
  const n = tokenInt(t);
  if (n !== undefined) return { code: String(n), prec: n < 0 ? PREC.unary : PREC.primary };
  if (t === TRUE) return { code: "true", prec: PREC.primary };
  if (t === FALSE) return { code: "false", prec: PREC.primary };
  const param = sig.paramNames[t - PARAM_BASE];
  if (t >= PARAM_BASE && param !== undefined) return { code: param, prec: PREC.primary };
  const v = BOUND_VARS[t - VAR_BASE];
  if (t >= VAR_BASE && v !== undefined) return { code: v, prec: PREC.primary };
  const p = PRODUCTIONS[t - PROD_BASE];
  if (t >= PROD_BASE && p) return p.render(node.kids.map((k) => renderNode(k, sig)));
  throw new Error(`Cannot render token '${tokenName(t)}' inside a program`);
}

/**
 * JS source of a program: `function f(xs) { return xs.map((v) => v * 2); }`.
 * Throws for tokens that are not a valid program (check with `programTree` first).
 */
export function renderProgram(tokens: readonly number[]): string {
  const tree = mustProgramTree(tokens);
  const body = renderNode(tree.body, tree.signature).code;
  return `function f(${tree.signature.paramNames.join(", ")}) { return ${body}; }`;
}
