/**
 * Teacher-forced cross-entropy under the constrained decoder's masks: the one supervised step of
 * the kit, used by pre-training (`pretrain.ts`) and by the `solverCe` option of self-play (a step
 * on the executor-verified answers of the step's own solver tasks; not in the paper).
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { AdamW } from "../model/optimizer.ts";
import type { Policy } from "../model/policy.ts";
import type { LogprobsForward } from "../model/logprobs.ts";
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

/**
 * How {@linkcode crossEntropyStep} groups examples into micro-batches (config `ceBatching`):
 * `"view"`, one view per micro-batch (the old path); `"length"`, every view together, sorted by
 * length, so rows of similar lengths share a micro-batch whatever their view (less padding, fewer
 * micro-batches).
 */
export type CeBatching = "view" | "length";

/** Padded tokens of a micro-batch: rows × (longest prompt + longest target). */
function paddedTokens(group: readonly SupervisedExample[]): number {
  let p = 0;
  let t = 0;
  for (const e of group) {
    p = Math.max(p, e.prompt.length);
    t = Math.max(t, e.target.length);
  }
  return group.length * (p + t);
}

/**
 * Micro-batches within a padded-token budget (prompt + target per row, at most `budget` over the
 * micro-batch unless one row alone is longer), sorted by length: one view each (`"view"`, the
 * default) or across views (`"length"`, see {@linkcode CeBatching}).
 */
export function ceMicroBatches<E extends SupervisedExample>(
  batch: readonly E[],
  budget: number,
  batching: CeBatching = "view",
): E[][] {
  const out: E[][] = [];
  if (batching === "length") {
    // Prompt length first: the prompt is most of a row and sets the attention's width.
    const sorted = [...batch].sort((x, y) =>
      x.prompt.length - y.prompt.length || x.target.length - y.target.length
    );
    let cur: E[] = [];
    for (const e of sorted) {
      if (cur.length > 0 && paddedTokens([...cur, e]) > budget) {
        out.push(cur);
        cur = [];
      }
      cur.push(e);
    }
    if (cur.length) out.push(cur);
    return out;
  }
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

/** Options of {@linkcode crossEntropyStep}. */
export interface CrossEntropyOptions {
  /** Padded-token budget of a micro-batch (config `microBatchTokens`). */
  microBatchTokens: number;
  /** Scales the loss (default 1). */
  weight?: number;
  /** Micro-batches by view or by length across views (config `ceBatching`; default `"view"`). */
  ceBatching?: CeBatching;
  /** The forward pass of the log-probs (config `logprobsForward`; default `"completion"`). */
  logprobsForward?: LogprobsForward;
  /**
   * When the per-view losses come back to the host: after each micro-batch (`"micro-batch"`, the
   * old path: a read-back that waits for the device each time) or once per step (`"step"`, the
   * default: every row's NLL stacked and read with the step's loss).
   */
  readBack?: "micro-batch" | "step";
}

/**
 * One AdamW step on `weight` × the mean cross-entropy of every target token of `batch` (under its
 * masks, temperature 1), accumulated over micro-batches of at most `microBatchTokens` tokens.
 * The grouping, the forward path and the read-back change the speed, never the math (to float
 * tolerance; `tests/trainer/cross_entropy_paths_test.ts`).
 */
export async function crossEntropyStep(
  policy: Policy,
  optimizer: AdamW,
  batch: readonly SupervisedExample[],
  opts: CrossEntropyOptions,
): Promise<CrossEntropyStats> {
  const tokens = batch.reduce((s, e) => s + e.target.length, 0);
  const weight = opts.weight ?? 1;
  const perView: Record<string, number> = {};
  if (tokens === 0) return { loss: 0, gradNorm: 0, tokens, perView };
  const groups = ceMicroBatches(batch, opts.microBatchTokens, opts.ceBatching ?? "view");
  const perRow: tf.Tensor1D[] = []; // each micro-batch's per-row NLL [B], kept for one read
  const losses = groups.map((group) => () => {
    const out = policy.logprobs({
      prompts: group.map((e) => e.prompt),
      completions: group.map((e) => e.target),
      masks: group.map((e) => e.masks),
      temperature: 1,
      forward: opts.logprobsForward ?? "completion",
    });
    const rowNll = tf.neg(tf.sum(tf.mul(out.logprobs, out.weights), 1)) as tf.Tensor1D; // [B]
    const nll = tf.sum(rowNll);
    if (opts.readBack === "micro-batch") {
      const r = rowNll.dataSync();
      group.forEach((e, i) => perView[e.view] = (perView[e.view] ?? 0) + r[i]!);
    } else {
      perRow.push(tf.keep(rowNll));
    }
    return tf.mul(nll, weight / tokens) as tf.Scalar;
  });
  try {
    const { loss, gradNorm } = await optimizer.stepAccumulated(losses);
    if (perRow.length > 0) {
      const all = tf.concat(perRow);
      const nlls = await all.data();
      all.dispose();
      groups.flat().forEach((e, i) => perView[e.view] = (perView[e.view] ?? 0) + nlls[i]!);
    }
    return { loss: loss / weight, gradNorm, tokens, perView };
  } finally {
    tf.dispose(perRow);
  }
}
