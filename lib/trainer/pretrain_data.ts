/**
 * Pre-training examples: generated, interpreter-labelled tasks in every view self-play uses, as
 * (prompt, target, masks) — the target is what the policy would write in that view, and the
 * masks are the constrained decoder's at each target token (the same masked distribution the
 * policy samples from and RL trains), so cross-entropy trains exactly the decisions self-play
 * makes.
 *
 * | view | prompt | target |
 * |---|---|---|
 * | `deduction` | solver: program, input | the output (with `solverTrace`: the program's trace on the input, then the output) |
 * | `abduction` | solver: program, output | the input that produced it |
 * | `induction` | solver: shown pairs | the canonical program |
 * | `propose_deduction`, `propose_abduction` | K generated reference triplets | a new program SEP its input |
 * | `propose_induction` | a program | N natural inputs it runs on, separated by SEP |
 *
 * With `solverTrace`, a deduction task whose trace cannot be written (a trace value outside the
 * world, e.g. `v * 3` of a list before a filter brings it back) yields no example.
 * @module
 */
import { PRETRAIN_VIEW_NAMES, type TaskType } from "../config.ts";
import { type Bank, type GeneratedTask, generateTask } from "../lang/generate.ts";
import { signatureByName, type World } from "../lang/types.ts";
import { encodeArgs } from "../lang/values.ts";
import { SEP } from "../lang/vocab.ts";
import type { Rng } from "../rng.ts";
import {
  inductionProposalConstraint,
  inductionProposerPrompt,
  type PromptOptions,
  proposalConstraint,
  proposerPrompt,
  solverConstraint,
  solverPrompt,
} from "../tasks/prompts.ts";
import type { TaskRecord, Triplet } from "../tasks/records.ts";
import { targetMasks, verifiedAnswer } from "./cross_entropy.ts";
import type { TokenConstraint } from "../lang/constraint.ts";

/** The views of pre-training. */
export const PRETRAIN_VIEWS = PRETRAIN_VIEW_NAMES;
/** A pre-training view. */
export type PretrainView = (typeof PRETRAIN_VIEWS)[number];

/** One teacher-forced example. */
export interface PretrainExample {
  view: PretrainView;
  prompt: number[];
  target: number[];
  /** The constraint's mask before each target token. */
  masks: Uint8Array[];
  /** Body size of the program the example is about. */
  size: number;
}

/** Options of {@linkcode makeExample}. */
export interface PretrainDataOptions
  extends Omit<PromptOptions, "literalMin" | "literalMax">, World {
  /** Reference triplets in a proposer prompt (config `refK`). */
  refK: number;
  /** Inputs an induction proposer writes (config `inductionN`). */
  inductionN: number;
  /** Model context, so prompt + target fit. */
  contextLen: number;
  /** Per-size draw weights (see `DrawOptions.sizeWeights`). */
  sizeWeights?: readonly number[];
}

function asRecord(t: GeneratedTask): TaskRecord {
  return t as unknown as TaskRecord;
}

function mustTokens(r: { ok: true; tokens: number[] } | { ok: false; message: string }): number[] {
  if (!r.ok) throw new Error(`Generated task cannot be encoded: ${r.message}`);
  return r.tokens;
}

/** One example of `view`, or undefined when the draw produced none (rare; draw again). */
export function makeExample(
  rng: Rng,
  bank: Bank,
  view: PretrainView,
  opts: PretrainDataOptions,
): PretrainExample | undefined {
  const draw = { ...(opts.sizeWeights ? { sizeWeights: opts.sizeWeights } : {}) };
  const solverType: TaskType | undefined = view === "deduction" || view === "abduction" ||
      view === "induction"
    ? view
    : undefined;
  let prompt: number[];
  let target: number[];
  let constraint: TokenConstraint;
  let size: number;
  if (solverType) {
    const t = generateTask(rng, bank, solverType, { ...draw, inductionN: opts.inductionN });
    if (!t) return undefined;
    const record = asRecord(t);
    prompt = solverPrompt(record, opts);
    // What self-play's solverCe teaches too: one definition of the verified answer.
    const answer = verifiedAnswer(record, opts);
    if (answer === undefined) return undefined;
    target = answer;
    constraint = solverConstraint(record, opts);
    size = t.tokens.length - 1;
  } else if (view === "propose_induction") {
    const t = generateTask(rng, bank, "induction", { ...draw, inductionN: opts.inductionN });
    if (!t || t.task !== "induction") return undefined;
    const sig = signatureByName(t.signature)!;
    prompt = inductionProposerPrompt(t.tokens);
    target = t.examples.flatMap((e, k) => [
      ...(k > 0 ? [SEP] : []),
      ...mustTokens(encodeArgs(sig, e.input, opts)),
    ]);
    constraint = inductionProposalConstraint(sig, opts.inductionN, opts);
    size = t.tokens.length - 1;
  } else {
    const task = view === "propose_deduction" ? "deduction" : "abduction";
    const refs: Triplet[] = [];
    for (let k = 0; k < opts.refK; k++) {
      const r = generateTask(rng, bank, task, draw);
      if (r) refs.push(asRecord(r) as Triplet);
    }
    const t = generateTask(rng, bank, task, draw);
    if (!t || t.task === "induction") return undefined;
    const sig = signatureByName(t.signature)!;
    prompt = proposerPrompt(task, refs, opts, Math.floor(opts.contextLen / 2));
    target = [...t.tokens, SEP, ...mustTokens(encodeArgs(sig, t.input, opts))];
    constraint = proposalConstraint(opts);
    size = t.tokens.length - 1;
  }
  if (prompt.length + target.length > opts.contextLen) return undefined;
  const masks = targetMasks(constraint, target);
  if (!masks) return undefined;
  return { view, prompt, target, masks, size };
}

/** `n` examples cycling through `views` (each view gets n / views.length, in order). */
export function makeBatch(
  rng: Rng,
  bank: Bank,
  views: readonly PretrainView[],
  n: number,
  opts: PretrainDataOptions,
): PretrainExample[] {
  const out: PretrainExample[] = [];
  for (let k = 0, misses = 0; out.length < n; k++) {
    const e = makeExample(rng, bank, views[out.length % views.length]!, opts);
    if (e) out.push(e);
    else if (++misses > 50 * n) throw new Error("Pre-training data: the generator keeps failing");
  }
  return out;
}
