/**
 * A small seeded random generator (sfc32) whose state is four uint32s, so it
 * can be saved in a checkpoint and restored exactly. Every stage that needs
 * randomness takes one of these as an argument; nothing uses Math.random.
 *
 * @example
 * ```ts
 * import { Rng } from "./rng.ts";
 * const rng = new Rng(42);
 * const x = rng.next();          // uniform in [0, 1)
 * const i = rng.int(10);         // uniform integer in [0, 10)
 * const copy = Rng.fromState(rng.state());
 * ```
 * @module
 */

/** Seeded sfc32 generator. */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /** Seeds from a non-negative integer (splitmix32 expands it to four words). */
  constructor(seed: number) {
    let s = seed >>> 0;
    const split = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#a = split();
    this.#b = split();
    this.#c = split();
    this.#d = split();
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  /** Restores a generator saved with {@linkcode Rng.state}. */
  static fromState(state: readonly number[]): Rng {
    if (state.length !== 4 || state.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff)) {
      throw new Error("Cannot restore Rng: state must be four uint32 words");
    }
    const rng = new Rng(0);
    [rng.#a, rng.#b, rng.#c, rng.#d] = state as [number, number, number, number];
    return rng;
  }

  /** The four state words (JSON-serialisable). */
  state(): number[] {
    return [this.#a, this.#b, this.#c, this.#d];
  }

  /** Next uint32. */
  nextU32(): number {
    const t = (((this.#a + this.#b) >>> 0) + this.#d) >>> 0;
    this.#d = (this.#d + 1) >>> 0;
    this.#a = (this.#b ^ (this.#b >>> 9)) >>> 0;
    this.#b = (this.#c + (this.#c << 3)) >>> 0;
    this.#c = ((this.#c << 21) | (this.#c >>> 11)) >>> 0;
    this.#c = (this.#c + t) >>> 0;
    return t;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform element of a non-empty array. */
  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error("Rng.pick: empty array");
    return xs[this.int(xs.length)]!;
  }

  /** k distinct elements, uniformly without replacement (fewer if xs is shorter). */
  sample<T>(xs: readonly T[], k: number): T[] {
    const copy = xs.slice();
    const n = Math.min(k, copy.length);
    for (let i = 0; i < n; i++) {
      const j = i + this.int(copy.length - i);
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.slice(0, n);
  }

  /** A new generator seeded from this one (for independent streams). */
  fork(): Rng {
    return new Rng(this.nextU32());
  }
}
