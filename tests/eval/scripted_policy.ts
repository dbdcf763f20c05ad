/**
 * Test helpers for the eval tests that score a sampler's answers: programs written in the test
 * as tokens, a policy that answers from a script, and a list-sorting induction task.
 */
import { parseProgram } from "../../lib/lang/parse.ts";
import { signatureByName, WORLDS } from "../../lib/lang/types.ts";
import type { Policy } from "../../lib/model/policy.ts";
import type { PolicySampleOptions, PolicySampleResult } from "../../lib/model/sample.ts";
import type { InductionRecord } from "../../lib/tasks/records.ts";

/** The tokens of a program written in the language (throws when it does not parse). */
export function tokens(js: string): number[] {
  const r = parseProgram(js);
  if (!r.ok) throw new Error(r.message);
  return r.tokens;
}

/** A policy that answers every prompt with the next program of a script, in order. */
export function scripted(script: number[][]): Policy {
  let next = 0;
  return {
    sample(prompts: readonly (readonly number[])[], _opts: PolicySampleOptions) {
      const out = prompts.map(() => script[next++ % script.length]!);
      const result: PolicySampleResult = {
        tokens: out,
        logprobs: out.map((t) => t.map(() => 0)),
        masks: out.map(() => []),
        finished: out.map(() => true),
      };
      return Promise.resolve(result);
    },
    logprobs() {
      throw new Error("not used");
    },
  };
}

/** The list signature of the fixtures, and prompt bounds that fit them. */
export const LIST_SIG = signatureByName("(int[]) -> int[]")!;
export const OPTS = { ...WORLDS.small, programMaxTokens: 16, inputMaxTokens: 16 };

export const IDENTITY = "function f(xs) { return xs; }";
export const REVERSE = "function f(xs) { return [...xs].reverse(); }";
export const SORT = "function f(xs) { return [...xs].sort((a, b) => a - b); }";

/**
 * Induction of sort: the shown pairs are fitted by identity and sort alike (already sorted), the
 * hidden pairs only by sort ([2, 1] is fitted by reverse too, [3, -1, 0] is not).
 */
export const SORT_RECORD: InductionRecord = {
  task: "induction",
  program: SORT,
  tokens: tokens(SORT),
  signature: LIST_SIG.name,
  step: -1,
  examples: [
    { input: [[1, 2]], output: [1, 2] },
    { input: [[0, 3, 4]], output: [0, 3, 4] },
    { input: [[2, 1]], output: [1, 2] },
    { input: [[3, -1, 0]], output: [-1, 0, 3] },
  ],
  shown: 2,
};
