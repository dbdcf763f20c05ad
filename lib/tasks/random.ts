/**
 * The random-task curriculum (an ablation baseline): proposals drawn from the canonical task
 * generator (lib/lang/generate.ts) instead of from the policy — programs from the bank's train
 * split (distinct, input-dependent, no dead code), natural inputs in the same world. Same
 * validation; no proposer rollout to train on. Induction uses programs from the buffers, as the
 * policy does.
 * @module
 */
import type { TaskType } from "../config.ts";
import { type Bank, drawProgram, naturalArgs } from "../lang/generate.ts";
import type { Signature, World } from "../lang/types.ts";
import { programSignature } from "../lang/tree.ts";
import type { Rng } from "../rng.ts";
import type { PromptOptions } from "./prompts.ts";
import type { Buffers, Proposal } from "./propose.ts";
import type { Json, Triplet } from "./records.ts";

/** n proposals of one task type from the generator's bank (see the module doc). */
export function randomProposals(
  task: TaskType,
  buffers: Buffers,
  rng: Rng,
  bank: Bank,
  opts: PromptOptions & { inductionN: number; n: number },
): Proposal[] {
  return Array.from({ length: opts.n }, (): Proposal => {
    const programTokens = task === "induction"
      ? rng.pick([...buffers.deduction.entries, ...buffers.abduction.entries] as Triplet[]).tokens
      : [...drawProgram(rng, bank).tokens];
    const signature = programSignature(programTokens);
    const count = task === "induction" ? opts.inductionN : 1;
    return {
      task,
      programTokens,
      signature,
      inputs: naturalInputs(rng, signature, bank.world, count),
    };
  });
}

/** `count` argument tuples for `signature`, drawn as the generator draws its inputs. */
function naturalInputs(rng: Rng, signature: Signature, world: World, count: number): Json[][] {
  return Array.from({ length: count }, () => naturalArgs(rng, signature, world) as Json[]);
}

/**
 * Not in the paper (config `proposalInputs: natural`): the proposals with their inputs redrawn as
 * the generator draws them (as many as the proposer wrote), programs and rollouts kept; a proposal
 * that could not be read is left as it is.
 */
export function withNaturalInputs(
  proposals: readonly Proposal[],
  rng: Rng,
  world: World,
): Proposal[] {
  return proposals.map((p) =>
    p.formatError || !p.signature
      ? p
      : { ...p, inputs: naturalInputs(rng, p.signature, world, p.inputs.length) }
  );
}
