/**
 * Batched sampling with a KV cache under token constraints. Prompts may differ in length (they
 * are left-padded, see transformer.ts); rows that finish are dropped from the cache so they stop
 * costing compute.
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { Rng } from "../rng.ts";
import type { TokenConstraint } from "./constraint.ts";
import { drawToken, fitMask } from "./distribution.ts";
import { cacheTensors, type KVCache, padLeftBatch, type Transformer } from "./transformer.ts";

/** Options of {@linkcode sampleTokens}. */
export interface PolicySampleOptions {
  /** Most tokens generated per sequence. */
  maxTokens: number;
  /** Softmax temperature (> 0); log-probs are reported under this temperature. */
  temperature: number;
  /** Nucleus sampling threshold in (0, 1] (default 1: off). */
  topP?: number;
  /** Take the most likely allowed token at every step. */
  greedy?: boolean;
  /** The random generator to draw from (advanced in place); or give `seed`. */
  rng?: Rng;
  /** Seed of a fresh generator when `rng` is not given (default 0). */
  seed?: number;
  /** One constraint per prompt (advanced in place); absent = every token allowed. */
  constraints?: TokenConstraint[];
  /**
   * Most padded prompt tokens (rows × longest prompt) prefilled at once; larger
   * batches are sampled in consecutive chunks of prompts of similar length
   * (same results for a given generator, bounded memory). Default 8192.
   */
  maxBatchTokens?: number;
}

/** What {@linkcode sampleTokens} returns; every array has one entry per prompt. */
export interface PolicySampleResult {
  /** Generated tokens (prompt excluded). */
  tokens: number[][];
  /** Log-prob of each generated token under the masked, temperature-scaled distribution. */
  logprobs: number[][];
  /** The mask used at each step (by reference: the constraint's own arrays). */
  masks: Uint8Array[][];
  /** Whether the constraint reported done() (false: stopped by maxTokens or contextLen). */
  finished: boolean[];
}

/** Samples continuations of `prompts` (each non-empty) from `model`. */
export async function sampleTokens(
  model: Transformer,
  prompts: readonly (readonly number[])[],
  opts: PolicySampleOptions,
): Promise<PolicySampleResult> {
  const budget = opts.maxBatchTokens ?? 8192;
  // Identical prompts (e.g. n rollouts of one task) are prefilled once, so the budget counts
  // distinct prompts × the longest; the decode cache holds every row, bounded at 4× the budget.
  const keys = prompts.map((p) => p.join(","));
  const fits = (rows: number, distinct: number, maxLen: number) =>
    distinct * maxLen <= budget && rows * maxLen <= 4 * budget;
  const longest = Math.max(0, ...prompts.map((p) => p.length));
  if (prompts.length > 1 && !fits(prompts.length, new Set(keys).size, longest)) {
    // Chunks keep the prompts' order and draw from one generator in sequence,
    // so a given seed gives the same samples every time.
    const rng = opts.rng ?? new Rng(opts.seed ?? 0);
    const out: PolicySampleResult = { tokens: [], logprobs: [], masks: [], finished: [] };
    let start = 0;
    while (start < prompts.length) {
      let end = start + 1;
      let maxLen = prompts[start]!.length;
      const seen = new Set([keys[start]]);
      while (end < prompts.length) {
        const len = Math.max(maxLen, prompts[end]!.length);
        const distinct = seen.size + (seen.has(keys[end]) ? 0 : 1);
        if (!fits(end - start + 1, distinct, len)) break;
        seen.add(keys[end]!);
        maxLen = len;
        end++;
      }
      const part = await sampleTokens(model, prompts.slice(start, end), {
        ...opts,
        rng,
        maxBatchTokens: Infinity,
        ...(opts.constraints ? { constraints: opts.constraints.slice(start, end) } : {}),
      });
      out.tokens.push(...part.tokens);
      out.logprobs.push(...part.logprobs);
      out.masks.push(...part.masks);
      out.finished.push(...part.finished);
      start = end;
    }
    return out;
  }
  const B = prompts.length;
  const V = model.options.vocabSize;
  if (opts.constraints && opts.constraints.length !== B) {
    throw new Error(
      `sample: ${opts.constraints.length} constraints for ${B} prompts; give one each`,
    );
  }
  if (!(opts.temperature > 0)) {
    throw new Error(`sample: temperature must be > 0, got ${opts.temperature}`);
  }
  prompts.forEach((p, b) => {
    if (p.length === 0) throw new Error(`sample: prompt ${b} is empty; start it with a BOS token`);
    for (const t of p) {
      if (!Number.isInteger(t) || t < 0 || t >= V) {
        throw new Error(`sample: prompt ${b} has token ${t} outside [0, ${V})`);
      }
    }
  });
  const rng = opts.rng ?? new Rng(opts.seed ?? 0);
  const allOnes = new Uint8Array(V).fill(1);
  const out: PolicySampleResult = {
    tokens: prompts.map(() => []),
    logprobs: prompts.map(() => []),
    masks: prompts.map(() => []),
    finished: prompts.map(() => false),
  };
  const doneNow = (b: number) => opts.constraints?.[b]?.done() ?? false;
  const room = (b: number) =>
    out.tokens[b]!.length < opts.maxTokens &&
    prompts[b]!.length + out.tokens[b]!.length < model.options.contextLen;
  prompts.forEach((_, b) => (out.finished[b] = doneNow(b)));
  if (opts.maxTokens <= 0 || out.finished.every((f) => f)) return out;

  // Prefill: one full forward over the distinct left-padded prompts; keep every column's keys
  // and values, then give each row the cache and logits of its prompt.
  const { distinct, rowOf } = dedupe(prompts);
  const U = distinct.length;
  let cache: KVCache | undefined;
  let logits = tf.tidy(() => {
    const run = model.forward(padLeftBatch(distinct));
    const T = run.hidden.shape[1];
    const last = tf.slice(run.hidden, [0, T - 1, 0], [U, 1, model.options.dModel]); // [U, 1, D]
    const lastLogits = model.logits(tf.reshape(last, [U, model.options.dModel]) as tf.Tensor2D); // [U, V]
    cache = U === B ? run.cache : model.selectRows(run.cache, rowOf);
    cacheTensors(cache).forEach((t) => tf.keep(t));
    return U === B ? lastLogits : tf.gather(lastLogits, Int32Array.from(rowOf)); // [B, V]
  });
  let rows = prompts.map((_, b) => b); // rows[r] = the prompt whose state is row r of the cache
  try {
    while (true) {
      const data = (await logits.data()) as Float32Array;
      logits.dispose();
      const next: number[] = [];
      const nextTokens: number[] = [];
      rows.forEach((b, r) => {
        if (out.finished[b] || !room(b)) return;
        const constraint = opts.constraints?.[b];
        const mask = constraint ? fitMask(constraint.allowed(), V) : allOnes;
        const drawOpts = {
          temperature: opts.temperature,
          greedy: opts.greedy ?? false,
          topP: opts.topP ?? 1,
        };
        const { token, logprob } = drawToken(
          data.subarray(r * V, (r + 1) * V),
          mask,
          rng,
          drawOpts,
        );
        out.tokens[b]!.push(token);
        out.logprobs[b]!.push(logprob);
        out.masks[b]!.push(mask);
        constraint?.advance(token);
        out.finished[b] = doneNow(b);
        if (!out.finished[b] && room(b)) {
          next.push(r);
          nextTokens.push(token);
        }
      });
      if (next.length === 0) break;
      const old: KVCache = cache!;
      const keepRows = next.length < rows.length ? next : undefined;
      logits = tf.tidy(() => {
        const base = keepRows ? model.selectRows(old, keepRows) : old;
        const positions = next.map((r) =>
          prompts[rows[r]!]!.length + out.tokens[rows[r]!]!.length - 1
        );
        const run = model.step(base, nextTokens, positions);
        cache = run.cache;
        cacheTensors(run.cache).forEach((t) => tf.keep(t));
        return model.logits(
          tf.reshape(run.hidden, [next.length, model.options.dModel]) as tf.Tensor2D,
        );
      });
      tf.dispose(cacheTensors(old));
      rows = next.map((r) => rows[r]!);
    }
  } finally {
    if (cache) tf.dispose(cacheTensors(cache));
  }
  return out;
}

/** The distinct prompts in first-seen order, and for each prompt the index of its distinct copy. */
function dedupe(prompts: readonly (readonly number[])[]): {
  distinct: (readonly number[])[];
  rowOf: number[];
} {
  const index = new Map<string, number>();
  const distinct: (readonly number[])[] = [];
  const rowOf = prompts.map((p) => {
    const key = p.join(",");
    let i = index.get(key);
    if (i === undefined) {
      i = distinct.length;
      index.set(key, i);
      distinct.push(p);
    }
    return i;
  });
  return { distinct, rowOf };
}
