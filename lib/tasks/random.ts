/**
 * The random-task curriculum (an ablation baseline): proposals drawn from the
 * language's random sampler (lib/lang/sample.ts) instead of from the policy —
 * random well-typed programs within the same token budget, random inputs
 * within the same bounds. Same validation; no proposer rollout to train on.
 * @module
 */
import type { TaskType } from "../config.ts";
import { sampleArgs, sampleProgram } from "../lang/sample.ts";
import { programSignature } from "../lang/tree.ts";
import type { Rng } from "../rng.ts";
import type { PromptOptions } from "./prompts.ts";
import type { Buffers, Proposal } from "./propose.ts";
import type { Json, Triplet } from "./records.ts";

/** n random proposals of one task type (induction uses programs from the buffers, as the policy does). */
export function randomProposals(
  task: TaskType,
  buffers: Buffers,
  rng: Rng,
  opts: PromptOptions & { inductionN: number; n: number },
): Proposal[] {
  return Array.from({ length: opts.n }, (): Proposal => {
    const programTokens = task === "induction"
      ? rng.pick([...buffers.deduction.entries, ...buffers.abduction.entries] as Triplet[]).tokens
      : sampleProgram(rng, { budget: opts.programMaxTokens });
    const signature = programSignature(programTokens);
    const count = task === "induction" ? opts.inductionN : 1;
    const inputs = Array.from({ length: count }, () => sampleArgs(rng, signature, opts) as Json[]);
    return { task, programTokens, signature, inputs };
  });
}
