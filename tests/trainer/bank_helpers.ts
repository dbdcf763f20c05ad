/** Shared by the pre-training data and proposer tests: small-world options and hand-made banks. */
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

/**
 * A bank of one signature holding `js`'s programs (every one of that signature), so draws pick among
 * them: by size first, then uniformly (`drawProgram`).
 */
export function programBank(...js: string[]): Bank {
  const parsed = js.map((src) => {
    const r = parseProgram(src);
    if (!r.ok) throw new Error(r.message);
    return r;
  });
  const name = parsed[0]!.signature.name;
  if (parsed.some((r) => r.signature.name !== name)) {
    throw new Error(`programBank: every program must have the signature ${name}`);
  }
  return {
    world: WORLD,
    maxSize: Math.max(...parsed.map((r) => r.tokens.length - 1)),
    signatures: [{
      signature: signatureByName(name)!,
      programs: parsed.map((r) => ({ tokens: r.tokens, size: r.tokens.length - 1, valid: 1 })),
      evals: 0,
      ms: 0,
    }],
  };
}

/** A bank holding one program (drawn every time). */
export function oneProgramBank(js: string): Bank {
  return programBank(js);
}
