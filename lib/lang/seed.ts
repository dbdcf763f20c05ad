/**
 * The seed program: the identity, for each signature where it types.
 * @module
 */
import type { Signature } from "./types.ts";
import { signatureToken } from "./tree.ts";
import { PARAM_BASE } from "./vocab.ts";

/**
 * Tokens of `function f(x, …) { return x; }` returning the first parameter whose type is the
 * result type, or null when no parameter has that type (e.g. `(int[]) -> bool`).
 */
export function identityProgram(signature: Signature): number[] | null {
  const j = signature.params.indexOf(signature.returns);
  return j < 0 ? null : [signatureToken(signature), PARAM_BASE + j];
}
