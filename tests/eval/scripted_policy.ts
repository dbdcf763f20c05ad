/**
 * Test helpers for the eval tests that score a sampler's answers: programs written in the test
 * as tokens, and a policy that answers from a script.
 */
import { parseProgram } from "../../lib/lang/parse.ts";
import type { Policy } from "../../lib/model/policy.ts";
import type { PolicySampleOptions, PolicySampleResult } from "../../lib/model/sample.ts";

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
