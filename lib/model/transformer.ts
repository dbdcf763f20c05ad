/**
 * A decoder-only transformer on raw tfjs ops (GPT-2 shape): token + learned position embeddings,
 * pre-LayerNorm blocks with causal multi-head attention and a GELU MLP, a final LayerNorm and an
 * output head (tied to the token embedding or not).
 *
 * Batches are **left-padded**: row b holds `padLeft[b]` pad slots, then its tokens. Positions count
 * from the first real token, and pad keys are masked out of attention, so a row's logits do not
 * depend on its padding. Left padding keeps every row's newest token in the same column, which is
 * what lets the KV cache grow by one column per sampling step and lets log-probs slice completions
 * with one plain slice.
 *
 * @example
 * ```ts
 * import { Transformer } from "./transformer.ts";
 * const model = new Transformer({ vocabSize: 100, dModel: 32, nLayers: 1, nHeads: 2, mlpRatio: 2,
 *   contextLen: 64, tieEmbeddings: true, seed: 0 });
 * console.log(model.paramCount());
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { Rng } from "../rng.ts";
import "./gradients.ts";
import {
  bmm,
  bmmTDepthwise,
  dense,
  embed,
  embedGather,
  gelu as geluFast,
  geluTanh,
  layerNorm,
} from "./ops.ts";

/** Sizes of a {@linkcode Transformer} (a subset of Config plus the vocabulary size). */
export interface TransformerOptions {
  /** Tokens in the vocabulary (the language module owns it). */
  vocabSize: number;
  /** Width of the residual stream. */
  dModel: number;
  /** Transformer blocks. */
  nLayers: number;
  /** Attention heads per block (must divide dModel). */
  nHeads: number;
  /** MLP hidden width as a multiple of dModel. */
  mlpRatio: number;
  /** Longest sequence in tokens (rows of the position embedding). */
  contextLen: number;
  /** Share the token embedding with the output head. */
  tieEmbeddings: boolean;
  /** Seed of the weight initialisation. */
  seed: number;
  /**
   * The kernels of the embeddings and GELU (not a weight: never saved). `"fast"` (default): one-hot
   * matMuls and GELU through sigmoid; `"reference"`: gather and tanh, the kit's before issue 17,
   * kept for benchmarks and for tests that pin the two to the same values.
   */
  kernels?: "fast" | "reference";
  /**
   * How attention's two batched products are computed (not a weight: never saved). `"depthwise"`:
   * as depthwise convolutions ({@linkcode bmmTDepthwise}: XNNPACK on wasm, where a batched matMul
   * of two batched operands has no fast kernel); `"matMul"`: tfjs's batched matMul. Unset: depthwise
   * on the wasm backend with the fast kernels, else matMul.
   */
  attention?: "matMul" | "depthwise";
}

/** Keys and values of every layer for the columns seen so far. */
export interface KVCache {
  /** Per layer, keys [B*H, Tc, hd]. */
  k: tf.Tensor3D[];
  /** Per layer, values [B*H, Tc, hd]. */
  v: tf.Tensor3D[];
  /** Additive attention bias over the cached columns, [B, 1, 1, Tc]: 0 = real token, -1e9 = pad. */
  padBias: tf.Tensor4D;
  /** Rows in the cache. */
  batch: number;
}

/** A left-padded token batch. */
export interface PaddedBatch {
  /** Token ids, row-major [B, T] (pad slots hold 0). */
  ids: Int32Array;
  /** Rows. */
  batch: number;
  /** Columns. */
  time: number;
  /** Pad slots at the start of each row. */
  padLeft: number[];
}

const NEG = -1e9;

/** Left-pads token rows to one width (`width` ≥ the longest row, default the longest). */
export function padLeftBatch(rows: readonly (readonly number[])[], width?: number): PaddedBatch {
  const time = width ?? Math.max(1, ...rows.map((r) => r.length));
  const ids = new Int32Array(rows.length * time);
  const padLeft = rows.map((r, b) => {
    const pad = time - r.length;
    if (pad < 0) throw new Error(`padLeftBatch: row ${b} has ${r.length} tokens > width ${time}`);
    ids.set(r, b * time + pad);
    return pad;
  });
  return { ids, batch: rows.length, time, padLeft };
}

/** The transformer's weights and its forward passes (full and one-token-with-cache). */
export class Transformer {
  /** The sizes it was built with. */
  readonly options: Readonly<TransformerOptions>;
  /** Everything it was built with, its kernels included: what builds a twin in another thread. */
  readonly spec: Readonly<TransformerOptions>;
  /** Every weight by name, in a fixed order (the checkpoint and optimizer order). */
  readonly params: Map<string, tf.Variable>;
  readonly #headDim: number;
  readonly #kernels: "fast" | "reference";
  readonly #attention: "matMul" | "depthwise" | undefined;

  /** Builds a model with GPT-2-style random weights (normal σ 0.02, residual projections scaled). */
  constructor(options: TransformerOptions) {
    const { vocabSize, dModel, nLayers, nHeads, mlpRatio, contextLen } = options;
    for (
      const [k, v] of Object.entries({ vocabSize, dModel, nLayers, nHeads, mlpRatio, contextLen })
    ) {
      if (!Number.isInteger(v) || v <= 0) {
        throw new Error(`Transformer: '${k}' must be a positive integer, got ${v}`);
      }
    }
    if (dModel % nHeads !== 0) {
      throw new Error(`Transformer: nHeads (${nHeads}) must divide dModel (${dModel})`);
    }
    const { kernels, attention, ...sizes } = options;
    this.options = sizes;
    this.spec = { ...options };
    this.#kernels = kernels ?? "fast";
    this.#attention = attention;
    this.#headDim = dModel / nHeads;
    const rng = new Rng(options.seed);
    const hidden = dModel * mlpRatio;
    const residStd = 0.02 / Math.sqrt(2 * nLayers);
    const specs: [string, number[], "normal" | "zeros" | "ones", number][] = [
      ["wte", [vocabSize, dModel], "normal", 0.02],
      ["wpe", [contextLen, dModel], "normal", 0.01],
    ];
    for (let l = 0; l < nLayers; l++) {
      specs.push(
        [`h${l}.ln1.g`, [dModel], "ones", 0],
        [`h${l}.ln1.b`, [dModel], "zeros", 0],
        [`h${l}.attn.q.w`, [dModel, dModel], "normal", 0.02],
        [`h${l}.attn.q.b`, [dModel], "zeros", 0],
        [`h${l}.attn.k.w`, [dModel, dModel], "normal", 0.02],
        [`h${l}.attn.k.b`, [dModel], "zeros", 0],
        [`h${l}.attn.v.w`, [dModel, dModel], "normal", 0.02],
        [`h${l}.attn.v.b`, [dModel], "zeros", 0],
        [`h${l}.attn.out.w`, [dModel, dModel], "normal", residStd],
        [`h${l}.attn.out.b`, [dModel], "zeros", 0],
        [`h${l}.ln2.g`, [dModel], "ones", 0],
        [`h${l}.ln2.b`, [dModel], "zeros", 0],
        [`h${l}.mlp.fc.w`, [dModel, hidden], "normal", 0.02],
        [`h${l}.mlp.fc.b`, [hidden], "zeros", 0],
        [`h${l}.mlp.proj.w`, [hidden, dModel], "normal", residStd],
        [`h${l}.mlp.proj.b`, [dModel], "zeros", 0],
      );
    }
    specs.push(["lnf.g", [dModel], "ones", 0], ["lnf.b", [dModel], "zeros", 0]);
    if (!options.tieEmbeddings) specs.push(["head.w", [dModel, vocabSize], "normal", 0.02]);
    this.params = new Map();
    for (const [name, shape, kind, std] of specs) {
      const size = shape.reduce((a, b) => a * b, 1);
      const data = new Float32Array(size);
      if (kind === "ones") data.fill(1);
      if (kind === "normal") fillNormal(data, rng, std);
      this.params.set(name, tf.tidy(() => tf.variable(tf.tensor(data, shape), true)));
    }
  }

  /** Number of trainable scalars. */
  paramCount(): number {
    let n = 0;
    for (const v of this.params.values()) n += v.size;
    return n;
  }

  /** The variables in checkpoint order. */
  variables(): tf.Variable[] {
    return [...this.params.values()];
  }

  /** Frees every weight. */
  dispose(): void {
    for (const v of this.params.values()) v.dispose();
  }

  #p<R extends tf.Rank>(name: string): tf.Tensor<R> {
    const v = this.params.get(name);
    if (!v) throw new Error(`Transformer: no parameter '${name}'`);
    return v as unknown as tf.Tensor<R>;
  }

  /**
   * Full forward over a left-padded batch. Returns the final hidden states [B, T - from, D] of
   * columns `from`… (before the final LayerNorm; `from` default 0: every column) and the KV cache
   * of every column (for sampling). With `from` > 0 the last block runs its queries, output
   * projection and MLP only on those columns (its keys and values still cover every column): the
   * same values for those columns, fewer FLOPs when only they are scored. Call inside tf.tidy.
   */
  forward(
    batch: PaddedBatch,
    opts: { from?: number } = {},
  ): { hidden: tf.Tensor3D; cache: KVCache } {
    const { batch: B, time: T, padLeft } = batch;
    if (T > this.options.contextLen) {
      throw new Error(
        `Transformer: sequence of ${T} tokens exceeds contextLen ${this.options.contextLen}`,
      );
    }
    const from = opts.from ?? 0;
    if (!Number.isInteger(from) || from < 0 || from >= T) {
      throw new Error(`Transformer: 'from' must be an integer in [0, ${T}), got ${from}`);
    }
    const pos = new Int32Array(B * T);
    const pad = new Float32Array(B * T);
    for (let b = 0; b < B; b++) {
      const p0 = padLeft[b]!;
      for (let t = 0; t < T; t++) {
        pos[b * T + t] = Math.max(0, t - p0);
        pad[b * T + t] = t < p0 ? NEG : 0;
      }
    }
    const causal = new Float32Array(T * T);
    for (let q = 0; q < T; q++) for (let k = q + 1; k < T; k++) causal[q * T + k] = NEG;
    const padBias = tf.tensor4d(pad, [B, 1, 1, T]);
    const bias = tf.add(padBias, tf.tensor2d(causal, [T, T])) as tf.Tensor4D; // [B, 1, T, T]
    return this.#run(
      tf.tensor1d(batch.ids, "int32"),
      tf.tensor1d(pos, "int32"),
      B,
      T,
      bias,
      padBias,
      undefined,
      from,
    );
  }

  /**
   * One new token per row on top of a cache: tokens [B], positions [B] (each row's own position).
   * Returns the hidden state [B, 1, D] and the cache with one more column. Call inside tf.tidy.
   */
  step(cache: KVCache, tokens: readonly number[], positions: readonly number[]): {
    hidden: tf.Tensor3D;
    cache: KVCache;
  } {
    const B = cache.batch;
    if (tokens.length !== B || positions.length !== B) {
      throw new Error(`Transformer.step: expected ${B} tokens and positions`);
    }
    for (const p of positions) {
      if (p >= this.options.contextLen) {
        throw new Error(
          `Transformer.step: position ${p} exceeds contextLen ${this.options.contextLen}`,
        );
      }
    }
    const padBias = tf.concat([cache.padBias, tf.zeros([B, 1, 1, 1])], 3) as tf.Tensor4D;
    return this.#run(
      tf.tensor1d(Int32Array.from(tokens), "int32"),
      tf.tensor1d(Int32Array.from(positions), "int32"),
      B,
      1,
      padBias,
      padBias,
      cache,
    );
  }

  /** Logits [N, V] from hidden states [N, D]: final LayerNorm, then the output head. */
  logits(hidden: tf.Tensor2D): tf.Tensor2D {
    const h = layerNorm(hidden, this.#p("lnf.g"), this.#p("lnf.b"));
    return this.options.tieEmbeddings
      ? dense(h, tf.transpose(this.#p<tf.Rank.R2>("wte")))
      : dense(h, this.#p("head.w"));
  }

  /** Keeps only the given rows of a cache (drops finished sequences). Call inside tf.tidy. */
  selectRows(cache: KVCache, rows: readonly number[]): KVCache {
    const H = this.options.nHeads;
    const headRows = tf.tensor1d(
      Int32Array.from(rows.flatMap((r) => range(H).map((h) => r * H + h))),
      "int32",
    );
    const batchRows = tf.tensor1d(Int32Array.from(rows), "int32");
    return {
      k: cache.k.map((t) => tf.gather(t, headRows)),
      v: cache.v.map((t) => tf.gather(t, headRows)),
      padBias: tf.gather(cache.padBias, batchRows),
      batch: rows.length,
    };
  }

  /**
   * x: token ids [B*T], pos [B*T]; bias [B, 1, T|1, Tk]; past: the cache before these columns;
   * from: the first column the last block computes queries for (0 = all).
   */
  #run(
    ids: tf.Tensor1D,
    pos: tf.Tensor1D,
    B: number,
    T: number,
    bias: tf.Tensor4D,
    padBias: tf.Tensor4D,
    past?: KVCache,
    from = 0,
  ): { hidden: tf.Tensor3D; cache: KVCache } {
    const { dModel: D, nHeads: H, nLayers } = this.options;
    const hd = this.#headDim;
    const fast = this.#kernels === "fast";
    const gelu = fast ? geluFast : geluTanh;
    const depthwise = this.#attention === "depthwise" ||
      (this.#attention === undefined && fast && tf.getBackend() === "wasm");
    // A full forward's positions are below T (the rows of wpe it uses); a step's are anywhere.
    const [tokens, positions] = fast
      ? [embed(this.#p("wte"), ids), embed(this.#p("wpe"), pos, past ? undefined : T)]
      : [embedGather(this.#p("wte"), ids), embedGather(this.#p("wpe"), pos)];
    let x = tf.add(tokens, positions) as tf.Tensor2D; // [B*T, D]
    const toHeads = (t: tf.Tensor2D, rows = T) =>
      tf.reshape(tf.transpose(tf.reshape(t, [B, rows, H, hd]), [0, 2, 1, 3]), [
        B * H,
        rows,
        hd,
      ]) as tf.Tensor3D;
    /** The last Tq columns of each row: [B*T, D] → [B*Tq, D]. */
    const lastCols = (t: tf.Tensor2D, Tq: number) =>
      tf.reshape(tf.slice(tf.reshape(t, [B, T, D]), [0, T - Tq, 0], [B, Tq, D]), [
        B * Tq,
        D,
      ]) as tf.Tensor2D;
    const ks: tf.Tensor3D[] = [];
    const vs: tf.Tensor3D[] = [];
    for (let l = 0; l < nLayers; l++) {
      // The last block's queries: only columns from… when asked (Tq of them), else all T.
      const Tq = l === nLayers - 1 ? T - from : T;
      const h = layerNorm(x, this.#p(`h${l}.ln1.g`), this.#p(`h${l}.ln1.b`));
      // Three [D, D] projections: column-slicing one [N, 3D] product is slow on wasm.
      const proj = (n: string, hn: tf.Tensor2D, rows: number) =>
        toHeads(dense(hn, this.#p(`h${l}.attn.${n}.w`), this.#p(`h${l}.attn.${n}.b`)), rows);
      const hq = Tq === T ? h : lastCols(h, Tq);
      // scaled here: fewer entries than the scores
      const q = tf.mul(proj("q", hq, Tq), 1 / Math.sqrt(hd)) as tf.Tensor3D;
      let k = proj("k", h, T);
      let v = proj("v", h, T);
      if (past) {
        k = tf.concat([past.k[l]!, k], 1);
        v = tf.concat([past.v[l]!, v], 1);
      }
      ks.push(k);
      vs.push(v);
      const Tk = k.shape[1];
      const biasQ = Tq === T ? bias : tf.slice(bias, [0, 0, T - Tq, 0], [B, 1, Tq, Tk]);
      // Batched matMuls take a slow kernel on wasm (no XNNPACK path when both operands are
      // batched): there, attention's products go through depthwise convolutions instead.
      // One query column (a cached sampling step): the batched matMul is as fast, without the
      // transposes the convolution's layout needs.
      const conv = depthwise && Tq > 1;
      const scores = conv ? bmmTDepthwise(q, k) : bmm(q, tf.transpose(k, [0, 2, 1])); // [B*H, Tq, Tk]
      const probs = tf.softmax(tf.add(tf.reshape(scores, [B, H, Tq, Tk]), biasQ)); // [B, H, Tq, Tk]
      const flat = tf.reshape(probs, [B * H, Tq, Tk]) as tf.Tensor3D;
      const att = conv ? bmmTDepthwise(flat, tf.transpose(v, [0, 2, 1])) : bmm(flat, v); // [B*H, Tq, hd]
      const merged = tf.reshape(tf.transpose(tf.reshape(att, [B, H, Tq, hd]), [0, 2, 1, 3]), [
        B * Tq,
        D,
      ]);
      const xq = Tq === T ? x : lastCols(x, Tq);
      x = tf.add(
        xq,
        dense(merged as tf.Tensor2D, this.#p(`h${l}.attn.out.w`), this.#p(`h${l}.attn.out.b`)),
      );
      const h2 = layerNorm(x, this.#p(`h${l}.ln2.g`), this.#p(`h${l}.ln2.b`));
      const fc = gelu(dense(h2, this.#p(`h${l}.mlp.fc.w`), this.#p(`h${l}.mlp.fc.b`))); // [B*Tq, rD]
      x = tf.add(x, dense(fc, this.#p(`h${l}.mlp.proj.w`), this.#p(`h${l}.mlp.proj.b`)));
    }
    return {
      hidden: tf.reshape(x, [B, T - from, D]),
      cache: { k: ks, v: vs, padBias, batch: B },
    };
  }
}

/** Tensors held by a cache (to keep or dispose them together). */
export function cacheTensors(cache: KVCache): tf.Tensor[] {
  return [...cache.k, ...cache.v, cache.padBias];
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Fills with N(0, std²) draws from the seeded generator (Box–Muller). */
function fillNormal(out: Float32Array, rng: Rng, std: number): void {
  for (let i = 0; i < out.length; i += 2) {
    const u = 1 - rng.next(); // (0, 1]: log stays finite
    const r = Math.sqrt(-2 * Math.log(u)) * std;
    const a = 2 * Math.PI * rng.next();
    out[i] = r * Math.cos(a);
    if (i + 1 < out.length) out[i + 1] = r * Math.sin(a);
  }
}
