/**
 * Types and entry signatures of the program language.
 *
 * Adding a type (e.g. `string`) is local work: extend {@linkcode LangType}, give it
 * value tokens in `vocab.ts`, a codec case in `values.ts`, and productions in `grammar.ts`.
 * @module
 */

/** The value types of the language. */
export type LangType = "int" | "bool" | "int[]";

/** All types, in a fixed order (used to index precomputed tables). */
export const LANG_TYPES: readonly LangType[] = ["int", "bool", "int[]"];

/** An entry signature: the parameter types and names of `function f(...)` and its result type. */
export interface Signature {
  /** Printable form, e.g. `"(int[], int) -> int[]"` (what task records store). */
  readonly name: string;
  /** Parameter types, in order. */
  readonly params: readonly LangType[];
  /** Canonical parameter names used when rendering, e.g. `["xs", "n"]`. */
  readonly paramNames: readonly string[];
  /** Result type. */
  readonly returns: LangType;
}

function sig(params: LangType[], paramNames: string[], returns: LangType): Signature {
  return { name: `(${params.join(", ")}) -> ${returns}`, params, paramNames, returns };
}

/**
 * The entry signatures; a program's first token picks one. Their order is part of the
 * vocabulary (it fixes token ids), so append, never reorder.
 */
export const SIGNATURES: readonly Signature[] = [
  sig(["int"], ["x"], "int"),
  sig(["int"], ["x"], "bool"),
  sig(["int"], ["n"], "int[]"),
  sig(["int[]"], ["xs"], "int[]"),
  sig(["int[]"], ["xs"], "int"),
  sig(["int[]"], ["xs"], "bool"),
  sig(["int[]", "int"], ["xs", "n"], "int[]"),
  sig(["int[]", "int"], ["xs", "n"], "int"),
  sig(["int", "int"], ["x", "y"], "int"),
  sig(["int[]", "int[]"], ["xs", "ys"], "int[]"),
  sig(["int[]", "int[]"], ["xs", "ys"], "int"),
];

/** Looks a signature up by its printable name (`"(int[]) -> int"`); undefined when unknown. */
export function signatureByName(name: string): Signature | undefined {
  const compact = name.replace(/\s+/g, "");
  return SIGNATURES.find((s) => s.name.replace(/\s+/g, "") === compact);
}

/** Value bounds of the codec and of validation (the `language` section of the config). */
export interface ValueBounds {
  /** Smallest int a value may hold. */
  readonly intMin: number;
  /** Largest int a value may hold. */
  readonly intMax: number;
  /** Longest list a value may hold. */
  readonly maxListLen: number;
}

/** The bounds the eval suites use: ints in [-999, 999], lists of at most 16 elements. */
export const DEFAULT_BOUNDS: ValueBounds = { intMin: -999, intMax: 999, maxListLen: 16 };
