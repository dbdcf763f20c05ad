/**
 * The token-constraint protocol between the model's sampler and whoever decides which tokens
 * are legal: the language's decoders (lib/lang/constraint.ts) implement it. It is defined once,
 * here, with no imports, so the model never depends on the language.
 * @module
 */

/** Decides, step by step, which next tokens keep a sequence valid. */
export interface TokenConstraint {
  /**
   * Mask over the whole vocabulary for the next token: 1 = allowed. At least one token allowed
   * unless done(). May return a shared cached array; never mutate it.
   */
  allowed(): Uint8Array;
  /** Consumes the token that was sampled; throws if it is not allowed (a bug in the caller). */
  advance(token: number): void;
  /** The sequence is complete: stop sampling it. */
  done(): boolean;
}
