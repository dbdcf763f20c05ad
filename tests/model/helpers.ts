/** Shared fixtures of the model tests: backend, tiny models, synthetic constraints. */
import * as tf from "@tensorflow/tfjs-core";
import {
  initBackend,
  type TokenConstraint,
  Transformer,
  type TransformerOptions,
} from "../../lib/model/mod.ts";

/** Switches to a backend once per test file (quietly). */
export async function useBackend(name: "wasm" | "cpu" = "wasm"): Promise<void> {
  if (tf.getBackend() !== name) await initBackend(name, { log: false });
}

/** The sizes of the oracle tests' models: small enough for finite differences. */
export const TINY_SIZES = {
  dModel: 16,
  nLayers: 2,
  nHeads: 2,
  mlpRatio: 2,
  contextLen: 32,
  tieEmbeddings: true,
} as const;

/** A tiny model: fast enough for oracle tests. */
export function tinyModel(over: Partial<TransformerOptions> = {}): Transformer {
  return new Transformer({ vocabSize: 11, ...TINY_SIZES, seed: 7, ...over });
}

/** Allows only even token ids; never done. */
export class EvenTokens implements TokenConstraint {
  readonly mask: Uint8Array;
  constructor(vocabSize: number) {
    this.mask = new Uint8Array(vocabSize).map((_, i) => (i % 2 === 0 ? 1 : 0));
  }
  allowed(): Uint8Array {
    return this.mask;
  }
  advance(token: number): void {
    if (token % 2 !== 0) throw new Error(`EvenTokens: got odd token ${token}`);
  }
  done(): boolean {
    return false;
  }
}

/** Exactly `length` tokens, the i-th drawn from {i mod V, (i+1) mod V}; then done. */
export class FixedLength implements TokenConstraint {
  n = 0;
  constructor(readonly vocabSize: number, readonly length: number) {}
  allowed(): Uint8Array {
    const m = new Uint8Array(this.vocabSize);
    m[this.n % this.vocabSize] = 1;
    m[(this.n + 1) % this.vocabSize] = 1;
    return m;
  }
  advance(token: number): void {
    if (!this.allowed()[token]) {
      throw new Error(`FixedLength: token ${token} not allowed at ${this.n}`);
    }
    this.n++;
  }
  done(): boolean {
    return this.n >= this.length;
  }
}

/** Logits [T, V] of one unpadded sequence from a full forward pass (the reference). */
export function fullLogits(model: Transformer, seq: number[]): Float32Array[] {
  return tf.tidy(() => {
    const { hidden } = model.forward({
      ids: Int32Array.from(seq),
      batch: 1,
      time: seq.length,
      padLeft: [0],
    });
    const V = model.options.vocabSize;
    const data = model.logits(tf.reshape(hidden, [seq.length, model.options.dModel]) as tf.Tensor2D)
      .dataSync() as Float32Array;
    return seq.map((_, t) => data.slice(t * V, (t + 1) * V));
  });
}

/** Largest absolute difference of two arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
