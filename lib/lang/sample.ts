/**
 * Seeded random programs and values: the random-task curriculum baseline and the test
 * generator. Programs are drawn under the same constraint the model decodes with, so every
 * sample is complete and well-typed by construction.
 * @module
 */
import type { Rng } from "../rng.ts";
import { programConstraint, type TokenConstraint } from "./constraint.ts";
import type { LangType, Signature, ValueBounds } from "./types.ts";
import { INT_BASE, MAX_PARAMS, PARAM_BASE, PROD_BASE, tokenId } from "./vocab.ts";

const EMPTY_TOKEN = tokenId("EMPTY");

/** Options of {@linkcode sampleProgram}. */
export interface SampleProgramOptions {
  /** Token budget (the signature token included); programs never exceed it. */
  budget: number;
  /** Fix the signature; any when absent. */
  signature?: Signature;
  /** Keep choosing productions (not leaves) until the program has this many tokens
   *  (default a third of the budget), so programs are not mostly bare constants. */
  minTokens?: number;
  /** Probability of a production rather than a leaf after that (default 0.35). */
  grow?: number;
  /** Resample (up to 100 times) until the program reads a parameter (default true). */
  usesParams?: boolean;
}

/**
 * Draws tokens under `constraint` until it is done. At each step it picks, with probability
 * `grow`, uniformly among the allowed productions, else uniformly among the allowed leaves
 * (falling back to whichever group is non-empty). A leaf is a parameter, lambda variable,
 * `true`/`false` or `[]` half the time, an int literal otherwise.
 */
export function sampleUnder(
  constraint: TokenConstraint,
  rng: Rng,
  grow = 0.35,
  minTokens = 0,
): number[] {
  const out: number[] = [];
  const prods: number[] = [];
  const leaves: number[] = [];
  const names: number[] = [];
  while (!constraint.done()) {
    const mask = constraint.allowed();
    prods.length = 0;
    leaves.length = 0;
    names.length = 0;
    for (let t = 0; t < mask.length; t++) {
      if (mask[t] !== 1) continue;
      if (t >= PROD_BASE && t < PARAM_BASE && t !== EMPTY_TOKEN) prods.push(t);
      else (t >= INT_BASE ? leaves : names).push(t);
    }
    // Parameters and lambda variables are as likely as all literals together.
    if (names.length > 0 && (leaves.length === 0 || rng.next() < 0.5)) {
      leaves.length = 0;
      leaves.push(...names);
    }
    const p = out.length < minTokens ? 1 : grow;
    const pool = prods.length > 0 && (leaves.length === 0 || rng.next() < p) ? prods : leaves;
    const t = rng.pick(pool);
    constraint.advance(t);
    out.push(t);
  }
  return out;
}

/** A random program (tokens) within the budget. */
export function sampleProgram(rng: Rng, opts: SampleProgramOptions): number[] {
  const minTokens = opts.minTokens ?? Math.floor(opts.budget / 3);
  let tokens: number[] = [];
  for (let attempt = 0; attempt < 100; attempt++) {
    tokens = sampleUnder(programConstraint(opts), rng, opts.grow ?? 0.35, minTokens);
    if (
      opts.usesParams === false ||
      tokens.some((t) => t >= PARAM_BASE && t < PARAM_BASE + MAX_PARAMS)
    ) break;
  }
  return tokens;
}

/** Options of {@linkcode sampleValue}. */
export interface SampleValueOptions extends ValueBounds {
  /** Probability that an int is drawn from [-10, 10] rather than the whole range (0.7). */
  smallInts?: number;
  /** Longest sampled list (at most maxListLen; default min(8, maxListLen)). */
  maxSampleLen?: number;
}

/** A random value of `type` within the bounds (small ints and short lists are favoured). */
export function sampleValue(
  rng: Rng,
  type: LangType,
  opts: SampleValueOptions,
): number | boolean | number[] {
  const small = opts.smallInts ?? 0.7;
  const int = () => {
    const lo = rng.next() < small ? Math.max(opts.intMin, -10) : opts.intMin;
    const hi = lo === opts.intMin ? opts.intMax : Math.min(opts.intMax, 10);
    return lo + rng.int(hi - lo + 1);
  };
  if (type === "int") return int();
  if (type === "bool") return rng.next() < 0.5;
  const maxLen = Math.min(opts.maxSampleLen ?? 8, opts.maxListLen);
  return Array.from({ length: rng.int(maxLen + 1) }, int);
}

/** A random argument tuple for a signature. */
export function sampleArgs(
  rng: Rng,
  signature: Signature,
  opts: SampleValueOptions,
): (number | boolean | number[])[] {
  return signature.params.map((t) => sampleValue(rng, t, opts));
}
