/**
 * The token-constraint protocol between the model and whoever decides which tokens are legal
 * (the language module's decoders satisfy it structurally; the model never imports them).
 * @module
 */

/** Decides, step by step, which next tokens keep a sequence valid. */
export interface TokenConstraint {
  /**
   * Mask over the whole vocabulary for the next token: 1 = allowed. At least one token allowed
   * unless done(). May return a shared cached array; never mutate it.
   */
  allowed(): Uint8Array;
  /** Consumes the token that was sampled. */
  advance(token: number): void;
  /** The sequence is complete: stop sampling it. */
  done(): boolean;
}

/** Allows every token and never finishes (sampling stops at maxTokens). */
export class UnconstrainedTokens implements TokenConstraint {
  readonly #mask: Uint8Array;
  /** One shared all-ones mask over `vocabSize` tokens. */
  constructor(vocabSize: number) {
    this.#mask = new Uint8Array(vocabSize).fill(1);
  }
  /** The all-ones mask. */
  allowed(): Uint8Array {
    return this.#mask;
  }
  /** Nothing to track. */
  advance(_token: number): void {}
  /** Never done. */
  done(): boolean {
    return false;
  }
}
