/** Shared by the pre-training data tests: small-world options and a bank of one program. */
import type { Bank } from "../../lib/lang/generate.ts";
import { parseProgram } from "../../lib/lang/parse.ts";
import { signatureByName, WORLDS } from "../../lib/lang/types.ts";

/** The small world. */
export const WORLD = WORLDS.small;

/** Prompt and data options of the small world at test sizes. */
export const OPTS = {
  ...WORLD,
  programMaxTokens: 16,
  inputMaxTokens: 16,
  refK: 2,
  inductionN: 4,
  contextLen: 256,
};

/** A bank holding one program (drawn every time). */
export function oneProgramBank(js: string): Bank {
  const r = parseProgram(js);
  if (!r.ok) throw new Error(r.message);
  return {
    world: WORLD,
    maxSize: r.tokens.length - 1,
    signatures: [{
      signature: signatureByName(r.signature.name)!,
      programs: [{ tokens: r.tokens, size: r.tokens.length - 1, valid: 1 }],
      evals: 0,
      ms: 0,
    }],
  };
}
