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
 * | `abduction` | solver: program, output | the smallest input that gives the output (`pretrainAbductionTarget`; or the drawn input) |
 * | `induction` | solver: shown pairs | the smallest bank program that fits them (`pretrainInductionTarget`; or the drawn program) |
 * | `propose_deduction`, `propose_abduction` | K generated reference triplets | a new program SEP its input (with `pretrainProposerTargets` `nonconstant`: never a program constant on the probes) |
 * | `propose_induction` | a program | N natural inputs it runs on, separated by SEP |
 *
 * With `solverTrace`, a deduction task whose trace cannot be written (a trace value outside the
 * world, e.g. `v * 3` of a list before a filter brings it back) yields no example.
 * @module
 */
import { type Config, PRETRAIN_VIEW_NAMES, type TaskType } from "../config.ts";
import { type Bank, type GeneratedTask, generateTask } from "../lang/generate.ts";
import { smallestFittingProgram, smallestInput } from "../lang/canonical.ts";
import { signatureByName, type World } from "../lang/types.ts";
import { encodeArgs } from "../lang/values.ts";
import { renderProgram } from "../lang/render.ts";
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
import { constantOnProbes } from "../tasks/constant.ts";
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
  /** Per-size draw weights (see `BankDrawOptions.sizeWeights`). */
  sizeWeights?: readonly number[];
  /** Draw weight of the bank programs that use a lambda variable (see `BankDrawOptions.lambdaWeight`). */
  pretrainLambdaWeight?: number;
  /** Abduction's target: the smallest input giving the output, or the drawn one (default drawn). */
  pretrainAbductionTarget?: "smallest" | "drawn";
  /** Induction's target: the smallest bank program fitting the shown pairs, or the drawn one. */
  pretrainInductionTarget?: "smallest" | "drawn";
  /** The proposer views' targets: every draw (default), or only those not constant on the probes. */
  pretrainProposerTargets?: "all" | "nonconstant";
  /** Inputs searched exactly for the smallest abduction input (default 2000). */
  abductionSearchBudget?: number;
}

/**
 * The task with its canonical answer in place of the drawn one (see `lang/canonical.ts`): the
 * smallest input for abduction, the smallest fitting program of the bank for induction.
 */
export function canonicalTask(
  t: GeneratedTask,
  bank: Bank,
  opts: PretrainDataOptions,
): GeneratedTask {
  const sig = signatureByName(t.signature)!;
  if (t.task === "abduction" && opts.pretrainAbductionTarget === "smallest") {
    const { input } = smallestInput(
      t.tokens,
      sig,
      t.output,
      t.input,
      bank.world,
      opts.abductionSearchBudget,
    );
    return { ...t, input };
  }
  if (t.task === "induction" && opts.pretrainInductionTarget === "smallest") {
    const sb = bank.signatures.find((s) => s.signature === sig)!;
    const p = smallestFittingProgram(sb, t.examples.slice(0, t.shown), bank.world);
    // The drawn program is in the bank and fits, so there is always one; keep the drawn one if not.
    return p ? { ...t, tokens: [...p.tokens], program: renderProgram([...p.tokens]) } : t;
  }
  return t;
}

/** A generated task is a buffer record (the shapes agree; the compiler checks it here). */
function asRecord(t: GeneratedTask): TaskRecord {
  return t;
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
  const draw = {
    ...(opts.sizeWeights ? { sizeWeights: opts.sizeWeights } : {}),
    ...(opts.pretrainLambdaWeight !== undefined ? { lambdaWeight: opts.pretrainLambdaWeight } : {}),
  };
  const solverType: TaskType | undefined = view === "deduction" || view === "abduction" ||
      view === "induction"
    ? view
    : undefined;
  let prompt: number[];
  let target: number[];
  let constraint: TokenConstraint;
  let size: number;
  if (solverType) {
    const drawn = generateTask(rng, bank, solverType, { ...draw, inductionN: opts.inductionN });
    if (!drawn) return undefined;
    const t = canonicalTask(drawn, bank, opts);
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
      if (r && r.task !== "induction") refs.push(r);
    }
    const t = generateTask(rng, bank, task, draw);
    if (!t || t.task === "induction") return undefined;
    const sig = signatureByName(t.signature)!;
    if (
      opts.pretrainProposerTargets === "nonconstant" &&
      constantOnProbes(t.tokens, sig, opts) === true
    ) return undefined;
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

/**
 * Examples per view in a batch of `n`: `n` split by `weights` (views not named weigh 1; an empty
 * record is an even split), largest remainders first, so every batch has the same mix.
 */
export function viewCounts(
  views: readonly PretrainView[],
  n: number,
  weights: Partial<Record<PretrainView, number>> = {},
): Map<PretrainView, number> {
  const w = views.map((v) => weights[v] ?? 1);
  const total = w.reduce((a, b) => a + b, 0);
  if (total <= 0) throw new Error("Pre-training: every view in pretrainViews has weight 0");
  const exact = w.map((x) => (n * x) / total);
  const counts = exact.map(Math.floor);
  const order = exact.map((x, k) => [x - Math.floor(x), k] as const).sort((a, b) => b[0] - a[0]);
  for (let r = n - counts.reduce((a, b) => a + b, 0), j = 0; r > 0; r--, j++) {
    counts[order[j]![1]]!++;
  }
  return new Map(views.map((v, k) => [v, counts[k]!]));
}

/** `n` examples of `views`, split by `weights` ({@linkcode viewCounts}), grouped by view. */
export function makeBatch(
  rng: Rng,
  bank: Bank,
  views: readonly PretrainView[],
  n: number,
  opts: PretrainDataOptions & { pretrainViewWeights?: Partial<Record<PretrainView, number>> },
): PretrainExample[] {
  const out: PretrainExample[] = [];
  for (const [view, count] of viewCounts(views, n, opts.pretrainViewWeights)) {
    for (let k = 0, misses = 0; k < count;) {
      const e = makeExample(rng, bank, view, opts);
      if (e) {
        out.push(e);
        k++;
      } else if (++misses > 50 * Math.max(1, count)) {
        throw new Error(`Pre-training data: the generator keeps failing for view '${view}'`);
      }
    }
  }
  return out;
}

/** Size weights of the curriculum at `progress` ∈ [0, 1): sizes unlock one by one. */
export function curriculumWeights(maxSize: number, progress: number): number[] {
  const unlocked = 1 + Math.floor(progress * maxSize);
  return Array.from({ length: maxSize + 1 }, (_, k) => (k >= 1 && k <= unlocked ? 1 : 0));
}

/**
 * Pre-training's batch at `step`: `pretrainBatch` examples of `pretrainViews`, with the size
 * curriculum's weights at that step when `pretrainSizeCurriculum` is on. The one definition the
 * main thread and the data worker (`pretrain_batches.ts`) share, so both draw the same batches.
 */
export function pretrainStepBatch(
  rng: Rng,
  train: Bank,
  cfg: Config,
  step: number,
): PretrainExample[] {
  const sizeWeights = cfg.pretrainSizeCurriculum
    ? curriculumWeights(cfg.pretrainMaxSize, step / cfg.pretrainSteps)
    : undefined;
  return makeBatch(rng, train, cfg.pretrainViews, cfg.pretrainBatch, {
    ...cfg,
    ...(sizeWeights ? { sizeWeights } : {}),
  });
}
