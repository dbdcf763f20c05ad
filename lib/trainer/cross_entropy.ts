/**
 * Teacher-forced cross-entropy under the constrained decoder's masks: the one supervised step of
 * the kit, used by pre-training (`pretrain.ts`) and by the `solverCe` option of self-play (a step
 * on the executor-verified answers of the step's own solver tasks; not in the paper).
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { accumulateGradients, type AdamW, addGradients } from "../model/optimizer.ts";
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
  /** Micro-batches computed on this thread and by the gradient worker (0 without one). */
  microBatches: { local: number; worker: number };
}

/** What a second thread sends back for its share of a step's micro-batches. */
export interface WorkerGradients {
  /** Per variable, in the model's order; null where the losses do not depend on it. */
  grads: (Float32Array | null)[];
  /** Each micro-batch's loss. */
  values: number[];
  /** Every row's NLL, the micro-batches' rows one after another. */
  rowNll: Float32Array;
}

/** A second thread that computes the gradients of micro-batches (`grad_worker.ts` starts one). */
export interface GradWorker extends AsyncDisposable {
  /** The gradients of `groups` under `vars`' current values (read now, before any update). */
  gradients(
    vars: readonly tf.Variable[],
    groups: SupervisedExample[][],
    forward: LogprobsForward,
    scale: number,
  ): Promise<WorkerGradients>;
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
  /**
   * A second thread with a twin of the model (config `pretrainGradWorker`): it computes about
   * half of the micro-batches, by padded tokens, on this step's weights while this thread
   * computes the rest; its gradients join this thread's before the one update.
   */
  gradWorker?: GradWorker;
}

/**
 * The loss closures of micro-batches, one each: `scale` × the summed NLL of its target tokens. Each
 * hands its per-row NLL [B] to `onRows` (to read now, or to keep for one read per step).
 */
export function microBatchLosses(
  policy: Pick<Policy, "logprobs">,
  groups: readonly (readonly SupervisedExample[])[],
  forward: LogprobsForward,
  scale: number,
  onRows: (rowNll: tf.Tensor1D, group: readonly SupervisedExample[]) => void,
): (() => tf.Scalar)[] {
  return groups.map((group) => () => {
    const out = policy.logprobs({
      prompts: group.map((e) => e.prompt),
      completions: group.map((e) => e.target),
      masks: group.map((e) => e.masks),
      temperature: 1,
      forward,
    });
    const rowNll = tf.neg(tf.sum(tf.mul(out.logprobs, out.weights), 1)) as tf.Tensor1D; // [B]
    onRows(rowNll, group);
    return tf.mul(tf.sum(rowNll), scale) as tf.Scalar;
  });
}

/**
 * Splits micro-batches in two of about equal padded tokens (the largest first, each to the lighter
 * side), each side in the original order: this thread's and the gradient worker's.
 */
export function splitMicroBatches<E extends SupervisedExample>(
  groups: readonly E[][],
): [E[][], E[][]] {
  const cost = groups.map(paddedTokens);
  const order = groups.map((_, i) => i).sort((a, b) => cost[b]! - cost[a]! || a - b);
  const load = [0, 0];
  const side = new Array<number>(groups.length);
  for (const i of order) {
    const s = load[0]! <= load[1]! ? 0 : 1;
    side[i] = s;
    load[s]! += cost[i]!;
  }
  return [groups.filter((_, i) => side[i] === 0), groups.filter((_, i) => side[i] === 1)];
}

/**
 * One AdamW step on `weight` × the mean cross-entropy of every target token of `batch` (under its
 * masks, temperature 1), accumulated over micro-batches of at most `microBatchTokens` tokens.
 * The grouping, the forward path, the read-back and the gradient worker change the speed, never
 * the math (to float tolerance; `tests/trainer/cross_entropy_paths_test.ts`).
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
  if (tokens === 0) return { loss: 0, gradNorm: 0, tokens, perView, microBatches: count([]) };
  const addNll = (group: readonly SupervisedExample[], nll: ArrayLike<number>) =>
    group.forEach((e, i) => perView[e.view] = (perView[e.view] ?? 0) + nll[i]!);
  const groups = ceMicroBatches(batch, opts.microBatchTokens, opts.ceBatching ?? "view");
  const forward = opts.logprobsForward ?? "completion";
  const scale = weight / tokens;
  const vars = optimizer.variables;
  // The worker's share starts first, on the weights before this step's update.
  const [local, remote] = opts.gradWorker && groups.length > 1
    ? splitMicroBatches(groups)
    : [groups, []];
  const fromWorker = remote.length > 0
    ? opts.gradWorker!.gradients(vars, remote, forward, scale)
    : undefined;
  fromWorker?.catch(() => {}); // a failure surfaces where it is awaited below
  const perRow: tf.Tensor1D[] = []; // each micro-batch's per-row NLL [B], kept for one read
  const losses = microBatchLosses(policy, local, forward, scale, (rowNll, group) => {
    if (opts.readBack === "micro-batch") addNll(group, rowNll.dataSync());
    else perRow.push(tf.keep(rowNll));
  });
  let grads: tf.NamedTensorMap = {};
  const values: tf.Scalar[] = [];
  try {
    const mine = accumulateGradients(losses, vars);
    grads = mine.grads;
    values.push(...mine.values);
    if (fromWorker) {
      const w = await fromWorker;
      const theirs: tf.NamedTensorMap = {};
      vars.forEach((v, i) => {
        const g = w.grads[i];
        if (g) theirs[v.name] = tf.tensor(g, v.shape);
      });
      grads = addGradients(grads, theirs);
      values.push(...w.values.map((x) => tf.scalar(x)));
      addNll(remote.flat(), w.rowNll);
    }
    const { loss, gradNorm } = await optimizer.apply(grads, values);
    if (perRow.length > 0) {
      const all = tf.concat(perRow);
      const nlls = await all.data();
      all.dispose();
      addNll(local.flat(), nlls);
    }
    return { loss: loss / weight, gradNorm, tokens, perView, microBatches: count(local, remote) };
  } finally {
    tf.dispose(perRow);
    tf.dispose(Object.values(grads));
    tf.dispose(values);
  }
}

function count(local: unknown[], remote: unknown[] = []): CrossEntropyStats["microBatches"] {
  return { local: local.length, worker: remote.length };
}
