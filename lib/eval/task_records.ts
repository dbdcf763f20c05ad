/**
 * Eval tasks as task records: what the solver is asked and what `checkAnswers` checks, or why a
 * task is outside the language (its program or signature, or a value out of the world's bounds).
 * @module
 */
import { parseProgram } from "../lang/parse.ts";
import { renderProgram } from "../lang/render.ts";
import { signatureByName, type ValueBounds } from "../lang/types.ts";
import { checkArgs, checkValue } from "../lang/values.ts";
import { tokenInt } from "../lang/vocab.ts";
import type { Json, TaskRecord } from "../tasks/records.ts";
import type { EvalTask } from "./suite.ts";

/** The world an eval task must fit: value bounds, and program literals when known. */
export interface EvalWorld extends ValueBounds {
  /** Smallest int literal a program may contain (default: `intMin`). */
  readonly literalMin?: number;
  /** Largest int literal a program may contain (default: `intMax`). */
  readonly literalMax?: number;
}

/**
 * Turns an eval task into task records (one per query), or the reason it is not expressible:
 * its signature or program is outside the language, a program literal is outside the world's
 * literals (the model of that world has no token for it), or a value is out of its bounds.
 */
export function evalTaskRecords(t: EvalTask, bounds: EvalWorld): TaskRecord[] | string {
  const declared = t.signature ? signatureByName(t.signature) : undefined;
  if (t.signature && !declared) return `signature ${t.signature} is outside the language`;
  let tokens: number[] = [];
  let program = t.program ?? "";
  let signature = declared;
  if (t.task !== "induction" || t.program) {
    const parsed = parseProgram(t.program ?? "", declared ? { signature: declared } : {});
    if (!parsed.ok) {
      if (t.task !== "induction") return `program: ${parsed.construct}: ${parsed.message}`;
    } else {
      const lo = bounds.literalMin ?? bounds.intMin;
      const hi = bounds.literalMax ?? bounds.intMax;
      const outside = parsed.tokens.map(tokenInt).filter((n) =>
        n !== undefined && (n < lo || n > hi)
      );
      if (outside.length && t.task !== "induction") {
        return `program: literal ${outside[0]} is outside the world's literals [${lo}, ${hi}]`;
      }
      tokens = parsed.tokens;
      signature = parsed.signature;
      program = renderProgram(tokens);
    }
  }
  if (!signature) return "no signature";
  for (const ex of t.examples) {
    const a = checkArgs(signature, ex.input, bounds);
    const o = checkValue(signature.returns, ex.output, bounds);
    if (!a.ok || !o.ok) {
      return `value out of the codec's bounds: ${a.ok ? "" : a.message}${o.ok ? "" : o.message}`;
    }
  }
  const sigName = signature.name;
  if (t.task === "induction") {
    // The solver only needs the signature; keep a placeholder program when the reference is outside the language.
    return [{
      task: "induction",
      program: program || "function f() {}",
      tokens: tokens.length ? tokens : [0],
      signature: sigName,
      examples: t.examples as { input: Json[]; output: Json }[],
      shown: t.shown,
      step: 0,
    }];
  }
  return t.examples.map((ex) => ({
    task: t.task as "deduction" | "abduction",
    program,
    tokens,
    signature: sigName,
    input: ex.input as Json[],
    output: ex.output as Json,
    step: 0,
  }));
}
