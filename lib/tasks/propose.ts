/**
 * Proposing: the policy writes new tasks (paper §3.3.1). Deduction and
 * abduction proposers see K reference triplets from their buffer and write a
 * program and an input; the induction proposer is given a program from the
 * deduction ∪ abduction buffers and writes N inputs. The random-task
 * curriculum replaces the policy with the language's random sampler.
 * @module
 */
import type { TaskType } from "../config.ts";
import type { TokenConstraint } from "../lang/constraint.ts";
import { programSignature } from "../lang/tree.ts";
import type { Signature } from "../lang/types.ts";
import { decodeArgs } from "../lang/values.ts";
import { SEP } from "../lang/vocab.ts";
import type { Policy } from "../model/policy.ts";
import type { Rng } from "../rng.ts";
import type { TaskBuffer } from "./buffer.ts";
import {
  inductionProposalConstraint,
  inductionProposerPrompt,
  type PromptOptions,
  proposalConstraint,
  proposerPrompt,
} from "./prompts.ts";
import type { Json, TaskRecord, Triplet } from "./records.ts";

/** A generated sequence with what the policy gradient needs. */
export interface Rollout {
  role: "propose" | "solve";
  task: TaskType;
  prompt: number[];
  completion: number[];
  /** Log-prob of each completion token at sampling time (the PPO "old" policy). */
  logprobs: number[];
  /** The mask of each completion step. */
  masks: Uint8Array[];
  temperature: number;
  /** Prompt id, for GRPO's per-prompt baseline. */
  group: string;
}

/** One proposal: its rollout (absent for random proposals) and the task it encodes. */
export interface Proposal {
  task: TaskType;
  rollout?: Rollout;
  /** Program tokens (for induction: the given program). */
  programTokens: number[];
  /** Absent only when the completion could not be read (see formatError). */
  signature?: Signature;
  /** Argument tuples (1 for deduction/abduction, N for induction). */
  inputs: Json[][];
  /** Why the completion could not be read (never for constrained, finished samples). */
  formatError?: string;
}

/** Options of {@linkcode proposeTasks}. */
export interface ProposeOptions extends PromptOptions {
  batchSize: number;
  /** The model's context: prompt + generation must fit. */
  contextLen: number;
  refK: number;
  inductionN: number;
  temperature: number;
  /**
   * Samples per prompt (default 1): with G > 1 every prompt is sampled G times and its
   * samples share one `group`, the per-prompt baseline of GRPO.
   */
  groupSize?: number;
}

/** The buffers the proposers read. */
export type Buffers = Record<TaskType, TaskBuffer>;

/** Splits a completion at SEP tokens. */
function splitSep(tokens: readonly number[]): number[][] {
  const parts: number[][] = [[]];
  for (const t of tokens) t === SEP ? parts.push([]) : parts.at(-1)!.push(t);
  return parts;
}

/** `batchSize` proposals of one task type sampled from the policy. */
export async function proposeTasks(
  policy: Policy,
  task: TaskType,
  buffers: Buffers,
  rng: Rng,
  opts: ProposeOptions,
  step: number,
): Promise<Proposal[]> {
  const maxTokens = task === "induction"
    ? opts.inductionN * (opts.inputMaxTokens + 1)
    : opts.programMaxTokens + 1 + opts.inputMaxTokens;
  if (maxTokens + 8 > opts.contextLen) {
    throw new Error(
      `contextLen ${opts.contextLen} cannot hold a ${task} proposal of up to ${maxTokens} tokens: raise contextLen`,
    );
  }
  const G = Math.max(1, opts.groupSize ?? 1);
  const prompts: number[][] = [];
  const constraints: TokenConstraint[] = [];
  const given: { tokens: number[]; signature: Signature }[] = [];
  for (let b = 0; b < opts.batchSize; b++) {
    if (b % G !== 0) {
      // Another sample of the previous prompt (GRPO groups): same prompt, fresh constraint.
      prompts.push(prompts[b - 1]!);
      const g = given[b - 1];
      if (g) given.push(g);
      constraints.push(
        g
          ? inductionProposalConstraint(g.signature, opts.inductionN, opts)
          : proposalConstraint(opts),
      );
    } else if (task === "induction") {
      const pool = [...buffers.deduction.entries, ...buffers.abduction.entries] as Triplet[];
      const source = rng.pick(pool);
      const signature = programSignature(source.tokens);
      given.push({ tokens: source.tokens, signature });
      prompts.push(inductionProposerPrompt(source.tokens));
      constraints.push(inductionProposalConstraint(signature, opts.inductionN, opts));
    } else {
      const refs = buffers[task].references(rng, opts.refK) as Triplet[];
      prompts.push(proposerPrompt(task, refs, opts, opts.contextLen - maxTokens));
      constraints.push(proposalConstraint(opts));
    }
  }
  const s = await policy.sample(prompts, {
    maxTokens,
    temperature: opts.temperature,
    seed: rng.nextU32(),
    constraints,
  });
  return prompts.map((prompt, b) => {
    const rollout: Rollout = {
      role: "propose",
      task,
      prompt,
      completion: s.tokens[b]!,
      logprobs: s.logprobs[b]!,
      masks: s.masks[b]!,
      temperature: opts.temperature,
      group: `propose/${task}/${step}/${Math.floor(b / G)}`,
    };
    const parts = splitSep(s.tokens[b]!);
    if (!s.finished[b]) {
      // Only when the context is too short for the budgets: a config problem, reported per proposal.
      const formatError = `unfinished after ${s.tokens[b]!.length} tokens (contextLen too small?)`;
      return { task, rollout, programTokens: given[b]?.tokens ?? [], inputs: [], formatError };
    }
    const programTokens = task === "induction" ? given[b]!.tokens : parts.shift()!;
    const signature = task === "induction" ? given[b]!.signature : programSignature(programTokens);
    const inputs: Json[][] = [];
    for (const part of parts) {
      const args = decodeArgs(signature, part);
      if (!args.ok) {
        return { task, rollout, programTokens, signature, inputs, formatError: args.message };
      }
      inputs.push(args.value);
    }
    return { task, rollout, programTokens, signature, inputs };
  });
}

/** Whether a record holds the program tokens and inputs of a proposal (for duplicate counting). */
export function proposalKey(p: Proposal | TaskRecord): string {
  const inputs = "inputs" in p
    ? p.inputs
    : "examples" in p
    ? p.examples.map((e) => e.input)
    : [p.input];
  const tokens = "programTokens" in p ? p.programTokens : p.tokens;
  return `${tokens.join(",")}|${JSON.stringify(inputs)}`;
}
