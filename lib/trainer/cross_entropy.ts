/**
 * Teacher-forced cross-entropy under the constrained decoder's masks: the one supervised step of
 * the kit, used by pre-training (`pretrain.ts`) and by the `solverCe` option of self-play (a step
 * on the executor-verified answers of the step's own solver tasks; not in the paper).
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { AdamW } from "../model/optimizer.ts";
import type { Policy } from "../model/policy.ts";
import { signatureByName } from "../lang/types.ts";
import { encodeArgs, encodeValue } from "../lang/values.ts";
import { traceTokens } from "../lang/trace.ts";
import { type PromptOptions, solverConstraint, solverPrompt } from "../tasks/prompts.ts";
import type { TaskRecord } from "../tasks/records.ts";
import type { TokenConstraint } from "../lang/constraint.ts";

/** One teacher-forced example: a prompt, the tokens to write, the mask before each of them. */
export interface SupervisedExample {
  /** What the example teaches (a pre-training view, or `solve/<task>`): micro-batches group by it. */
  view: string;
  prompt: number[];
  target: number[];
  masks: Uint8Array[];
}

/** Masks of a target under a constraint; undefined when the constraint rejects the target. */
export function targetMasks(
  c: TokenConstraint,
  target: readonly number[],
): Uint8Array[] | undefined {
  const masks: Uint8Array[] = [];
  for (const t of target) {
    if (c.done()) return undefined;
    const m = c.allowed();
    if (m[t] !== 1) return undefined;
    masks.push(m);
    c.advance(t);
  }
  return c.done() ? masks : undefined;
}

/**
 * The tokens a solver writes for a task record's verified answer: the output (deduction; after
 * the program's trace when `solverTrace` is on), the input that produced the output (abduction),
 * the program (induction). Undefined when it cannot be written in the world (a value out of
 * bounds, a trace that leaves the world).
 */
export function verifiedAnswer(record: TaskRecord, opts: PromptOptions): number[] | undefined {
  const sig = signatureByName(record.signature);
  if (!sig) return undefined;
  if (record.task === "induction") return [...record.tokens];
  if (record.task === "abduction") {
    const args = encodeArgs(sig, record.input, opts);
    return args.ok ? args.tokens : undefined;
  }
  const trace = opts.solverTrace ? traceTokens(record.tokens, record.input, opts) : [];
  const answer = encodeValue(sig.returns, record.output, opts);
  return trace === undefined || !answer.ok ? undefined : [...trace, ...answer.tokens];
}

/**
 * The solver example of a task record with its verified answer ({@linkcode verifiedAnswer}),
 * under the solver's constraint. Undefined when the answer cannot be written.
 */
export function verifiedAnswerExample(
  record: TaskRecord,
  opts: PromptOptions,
): SupervisedExample | undefined {
  const target = verifiedAnswer(record, opts);
  const masks = target && targetMasks(solverConstraint(record, opts), target);
  if (!target || !masks) return undefined;
  return { view: `solve/${record.task}`, prompt: solverPrompt(record, opts), target, masks };
}

/** Micro-batches of one view each, sorted by length, within a padded-token budget. */
export function ceMicroBatches<E extends SupervisedExample>(
  batch: readonly E[],
  budget: number,
): E[][] {
  const out: E[][] = [];
  const byView = new Map<string, E[]>();
  for (const e of batch) byView.set(e.view, [...(byView.get(e.view) ?? []), e]);
  for (const group of byView.values()) {
    group.sort((x, y) => x.prompt.length + x.target.length - y.prompt.length - y.target.length);
    let cur: E[] = [];
    for (const e of group) {
      if (cur.length > 0 && (cur.length + 1) * (e.prompt.length + e.target.length) > budget) {
        out.push(cur);
        cur = [];
      }
      cur.push(e);
    }
    if (cur.length) out.push(cur);
  }
  return out;
}

/** What one cross-entropy step measured. */
export interface CrossEntropyStats {
  /** Mean negative log-likelihood per target token (nats), before the weight. */
  loss: number;
  gradNorm: number;
  tokens: number;
  /** Summed NLL (nats) per view. */
  perView: Record<string, number>;
}

/**
 * One AdamW step on `weight` × the mean cross-entropy of every target token of `batch` (under its
 * masks, temperature 1), accumulated over micro-batches of at most `microBatchTokens` tokens.
 */
export async function crossEntropyStep(
  policy: Policy,
  optimizer: AdamW,
  batch: readonly SupervisedExample[],
  opts: { microBatchTokens: number; weight?: number },
): Promise<CrossEntropyStats> {
  const tokens = batch.reduce((s, e) => s + e.target.length, 0);
  const weight = opts.weight ?? 1;
  const perView: Record<string, number> = {};
  if (tokens === 0) return { loss: 0, gradNorm: 0, tokens, perView };
  const losses = ceMicroBatches(batch, opts.microBatchTokens).map((group) => () => {
    const out = policy.logprobs({
      prompts: group.map((e) => e.prompt),
      completions: group.map((e) => e.target),
      masks: group.map((e) => e.masks),
      temperature: 1,
    });
    const nll = tf.neg(tf.sum(tf.mul(out.logprobs, out.weights))); // summed over [B, Tc]
    perView[group[0]!.view] = (perView[group[0]!.view] ?? 0) + nll.dataSync()[0]!;
    return tf.mul(nll, weight / tokens) as tf.Scalar;
  });
  const { loss, gradNorm } = await optimizer.stepAccumulated(losses);
  return { loss: loss / weight, gradNorm, tokens, perView };
}
