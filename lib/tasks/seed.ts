/**
 * The seed of every buffer: the identity program. The paper seeds with
 * `def f(a): return a` on "Hello world"; here the identity exists for each
 * signature whose result type matches a parameter, and each runs on a few
 * fixed inputs. Seeds carry step -1.
 * @module
 */
import { renderProgram } from "../lang/render.ts";
import { identityProgram } from "../lang/seed.ts";
import { type LangType, type Signature, SIGNATURES } from "../lang/types.ts";
import type { InductionRecord, Json, Triplet } from "./records.ts";

const SAMPLE_VALUES: Record<LangType, Json[]> = {
  int: [1, 5, -3],
  bool: [true, false, true],
  "int[]": [[1, 2, 3], [4, -1], [7]],
};

/** Identity programs (tokens) with their signature: `function f(x, …) { return x; }`. */
export function identityPrograms(): { signature: Signature; tokens: number[] }[] {
  const out: { signature: Signature; tokens: number[] }[] = [];
  for (const signature of SIGNATURES) {
    const tokens = identityProgram(signature);
    if (tokens) out.push({ signature, tokens });
  }
  return out;
}

function inputs(sig: Signature, i: number): Json[] {
  return sig.params.map((t, p) => SAMPLE_VALUES[t][(i + p) % 3]!);
}

/** Seed triplets for a deduction or abduction buffer: each identity on its first sample input. */
export function seedTriplets(task: "deduction" | "abduction"): Triplet[] {
  return identityPrograms().map(({ signature, tokens }) => {
    const input = inputs(signature, 0);
    return {
      task,
      program: renderProgram(tokens),
      tokens,
      signature: signature.name,
      input,
      output: input[signature.params.indexOf(signature.returns)]!,
      step: -1,
    };
  });
}

/** Seed induction records: each identity with three pairs, one shown. */
export function seedInduction(): InductionRecord[] {
  return identityPrograms().map(({ signature, tokens }) => {
    const j = signature.params.indexOf(signature.returns);
    const examples = [0, 1, 2].map((i) => {
      const input = inputs(signature, i);
      return { input, output: input[j]! };
    });
    return {
      task: "induction",
      program: renderProgram(tokens),
      tokens,
      signature: signature.name,
      examples,
      shown: 1,
      step: -1,
    };
  });
}
