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

/** The bounds of the `wide` world: ints in [-999, 999], lists of at most 16 elements. */
export const DEFAULT_BOUNDS: ValueBounds = { intMin: -999, intMax: 999, maxListLen: 16 };

/**
 * A world: the value domain (ints, list length) and the int literals programs may use. The
 * vocabulary a model needs follows from it (`worldVocabSize` in `vocab.ts`); checkpoints record it.
 */
export interface World extends ValueBounds {
  /** Smallest int literal a program may contain. */
  readonly literalMin: number;
  /** Largest int literal a program may contain. */
  readonly literalMax: number;
}

/** The named worlds (config key `world`). */
export const WORLDS = {
  /** The embedded default: small enough that a laptop learns it in minutes. */
  small: { intMin: -9, intMax: 9, maxListLen: 6, literalMin: -3, literalMax: 5 },
  /** The original domain, for bigger models and GPUs. */
  wide: { intMin: -999, intMax: 999, maxListLen: 16, literalMin: -10, literalMax: 10 },
} as const satisfies Record<string, World>;
/** The name of a world. */
export type WorldName = keyof typeof WORLDS;

/** The world part of a config-like object. */
export function worldOf(w: World): World {
  return {
    intMin: w.intMin,
    intMax: w.intMax,
    maxListLen: w.maxListLen,
    literalMin: w.literalMin,
    literalMax: w.literalMax,
  };
}

/** `ints [-9, 9], lists ≤ 6, literals [-3, 5]`: a world in words, for error messages. */
export function describeWorld(w: World): string {
  return `ints [${w.intMin}, ${w.intMax}], lists ≤ ${w.maxListLen}, literals [${w.literalMin}, ${w.literalMax}]`;
}

/**
 * Why a checkpoint of world `saved` cannot be used in world `now` (undefined when they match):
 * the vocabulary, the codec and the literals all follow from the world.
 */
export function worldMismatch(saved: World, now: World): string | undefined {
  const a = worldOf(saved);
  const b = worldOf(now);
  if (JSON.stringify(a) === JSON.stringify(b)) return undefined;
  return `the checkpoint's world is ${describeWorld(a)}, this run's is ${
    describeWorld(b)
  }; use --world (or the five domain keys) of the checkpoint, or another checkpoint`;
}
