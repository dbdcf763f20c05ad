/**
 * Constrained decoding: state machines that say, token by token, which tokens keep a
 * sequence well-typed and completable within its token budget.
 *
 * Budget rule: with R tokens left, a token is allowed only if the shortest completion that
 * starts with it fits in R, so every sequence sampled under the mask ends complete within
 * its budget. Masks are precomputed and shared; `allowed()` is an array lookup.
 *
 * @example
 * ```ts
 * import { programConstraint } from "./constraint.ts";
 * const c = programConstraint({ budget: 12 });
 * while (!c.done()) {
 *   const mask = c.allowed();
 *   c.advance(mask.indexOf(1)); // a model would sample under the mask here
 * }
 * ```
 * @module
 */
import type { TokenConstraint } from "../model/constraint.ts";
import { alternative, MIN_LEN, ntId, ntMask } from "./nonterminals.ts";
import type { LangType, Signature, ValueBounds } from "./types.ts";
import { SIGNATURES } from "./types.ts";
import {
  FALSE,
  INT_TOKEN_MAX,
  INT_TOKEN_MIN,
  intToken,
  LIST_CLOSE,
  LIST_OPEN,
  PROGRAM_INT_MAX,
  PROGRAM_INT_MIN,
  SEP,
  SIG_BASE,
  tokenName,
  TRUE,
  VOCAB_SIZE,
} from "./vocab.ts";

/** What the model's sampler sees (defined once, in lib/model/constraint.ts). */
export type { TokenConstraint };

const EMPTY_MASK = new Uint8Array(VOCAB_SIZE);
const SEP_MASK = (() => {
  const m = new Uint8Array(VOCAB_SIZE);
  m[SEP] = 1;
  return m;
})();

function reject(what: string, token: number, mask: Uint8Array): never {
  const name = token >= 0 && token < VOCAB_SIZE ? tokenName(token) : String(token);
  const ok: string[] = [];
  for (let t = 0; t < mask.length && ok.length < 8; t++) if (mask[t]) ok.push(tokenName(t));
  throw new Error(
    `${what}: token ${token} ('${name}') is not allowed here; allowed are e.g. ${ok.join(", ")}` +
      " — sample under allowed()",
  );
}

/** Options of a program constraint. */
export interface ProgramConstraintOptions {
  /** Most tokens the program may have, the signature token included. */
  budget: number;
  /** Fix the signature (its token is then the only one allowed first); free when absent. */
  signature?: Signature;
  /** Smallest int literal allowed (the world's); the grammar's own range when absent. */
  literalMin?: number;
  /** Largest int literal allowed (the world's); the grammar's own range when absent. */
  literalMax?: number;
}

/** `mask` without the int literals outside [lo, hi]; cached per (mask, range). */
const LITERAL_MASKS = new Map<string, WeakMap<Uint8Array, Uint8Array>>();
function withLiterals(mask: Uint8Array, lo: number, hi: number): Uint8Array {
  if (lo <= PROGRAM_INT_MIN && hi >= PROGRAM_INT_MAX) return mask;
  const key = `${lo}:${hi}`;
  let byMask = LITERAL_MASKS.get(key);
  if (!byMask) LITERAL_MASKS.set(key, byMask = new WeakMap());
  let m = byMask.get(mask);
  if (!m) {
    m = mask;
    for (let n = PROGRAM_INT_MIN; n <= PROGRAM_INT_MAX; n++) {
      if ((n < lo || n > hi) && mask[intToken(n)]) {
        if (m === mask) m = mask.slice();
        m[intToken(n)] = 0;
      }
    }
    byMask.set(mask, m);
  }
  return m;
}

const SIG_MASKS = new Map<string, Uint8Array>();
function sigMask(fixed: number, budget: number): Uint8Array {
  const key = `${fixed}:${Math.min(budget, 64)}`;
  let m = SIG_MASKS.get(key);
  if (!m) {
    m = new Uint8Array(VOCAB_SIZE);
    SIGNATURES.forEach((s, k) => {
      if ((fixed < 0 || fixed === k) && 1 + MIN_LEN[ntId(k, s.returns, 0)]! <= budget) {
        m![SIG_BASE + k] = 1;
      }
    });
    SIG_MASKS.set(key, m);
  }
  return m;
}

/** Index of a signature in `SIGNATURES`; throws for a signature not from that list. */
export function signatureIndex(signature: Signature): number {
  const k = SIGNATURES.findIndex((s) => s.name === signature.name);
  if (k < 0) throw new Error(`Unknown signature '${signature.name}': use one of SIGNATURES`);
  return k;
}

/** Decodes one program: a signature token, then the body in prefix order. */
class ProgramConstraint implements TokenConstraint {
  readonly #budget: number;
  readonly #fixed: number;
  readonly #litMin: number;
  readonly #litMax: number;
  #used = 0;
  #started = false;
  /** Pending nonterminals; the top is the next to expand. */
  readonly #stack: number[] = [];
  /** `#below[j]`: fewest tokens the entries under `#stack[j]` need. */
  readonly #below: number[] = [];

  constructor(opts: ProgramConstraintOptions) {
    this.#budget = opts.budget;
    this.#fixed = opts.signature ? signatureIndex(opts.signature) : -1;
    this.#litMin = opts.literalMin ?? PROGRAM_INT_MIN;
    this.#litMax = opts.literalMax ?? PROGRAM_INT_MAX;
    if (this.#litMin > this.#litMax) {
      throw new Error(`Literal range [${this.#litMin}, ${this.#litMax}] is empty`);
    }
    if (sigMask(this.#fixed, this.#budget).indexOf(1) < 0) {
      throw new Error(
        `Program budget ${opts.budget} is too small: programs need at least 2 tokens`,
      );
    }
  }

  allowed(): Uint8Array {
    if (!this.#started) return sigMask(this.#fixed, this.#budget);
    const top = this.#stack.length - 1;
    if (top < 0) return EMPTY_MASK;
    const mask = ntMask(this.#stack[top]!, this.#budget - this.#used - this.#below[top]!);
    return withLiterals(mask, this.#litMin, this.#litMax);
  }

  advance(token: number): void {
    const mask = this.allowed();
    if (mask[token] !== 1) reject("Program constraint", token, mask);
    this.#used++;
    if (!this.#started) {
      this.#started = true;
      const k = token - SIG_BASE;
      this.#push(ntId(k, SIGNATURES[k]!.returns, 0));
      return;
    }
    const nt = this.#stack.pop()!;
    this.#below.pop();
    const alt = alternative(nt, token)!;
    for (let c = alt.children.length - 1; c >= 0; c--) this.#push(alt.children[c]!);
  }

  #push(nt: number): void {
    const top = this.#stack.length - 1;
    this.#below.push(top < 0 ? 0 : this.#below[top]! + MIN_LEN[this.#stack[top]!]!);
    this.#stack.push(nt);
  }

  done(): boolean {
    return this.#started && this.#stack.length === 0;
  }
}

/** A program constraint (see {@linkcode ProgramConstraintOptions}). */
export function programConstraint(opts: ProgramConstraintOptions): TokenConstraint {
  return new ProgramConstraint(opts);
}

/** Fewest tokens a value of `type` takes (an int or bool is one token, a list two). */
export function valueMinLen(type: LangType): number {
  return type === "int[]" ? 2 : 1;
}

interface ValueMasks {
  int: Uint8Array;
  bool: Uint8Array;
  open: Uint8Array;
  intOrClose: Uint8Array;
  close: Uint8Array;
}
const VALUE_MASKS = new Map<string, ValueMasks>();

/** Checks bounds against the int tokens; throws with the fix when they do not fit. */
export function assertBounds(b: ValueBounds): void {
  if (
    !Number.isInteger(b.intMin) || !Number.isInteger(b.intMax) || b.intMin > b.intMax ||
    b.intMin < INT_TOKEN_MIN || b.intMax > INT_TOKEN_MAX
  ) {
    throw new Error(
      `Value bounds [${b.intMin}, ${b.intMax}] must be integers inside the int tokens ` +
        `[${INT_TOKEN_MIN}, ${INT_TOKEN_MAX}]: set intMin/intMax inside that range`,
    );
  }
  if (!Number.isInteger(b.maxListLen) || b.maxListLen < 0) {
    throw new Error(`maxListLen must be a non-negative integer, got ${b.maxListLen}`);
  }
}

function valueMasks(b: ValueBounds): ValueMasks {
  const key = `${b.intMin}:${b.intMax}`;
  let m = VALUE_MASKS.get(key);
  if (!m) {
    assertBounds(b);
    const int = new Uint8Array(VOCAB_SIZE);
    for (let n = b.intMin; n <= b.intMax; n++) int[intToken(n)] = 1;
    const bool = new Uint8Array(VOCAB_SIZE);
    bool[TRUE] = bool[FALSE] = 1;
    const open = new Uint8Array(VOCAB_SIZE);
    open[LIST_OPEN] = 1;
    const close = new Uint8Array(VOCAB_SIZE);
    close[LIST_CLOSE] = 1;
    const intOrClose = int.slice();
    intOrClose[LIST_CLOSE] = 1;
    m = { int, bool, open, intOrClose, close };
    VALUE_MASKS.set(key, m);
  }
  return m;
}

/** Options of a value or args constraint. */
export interface ValueConstraintOptions extends ValueBounds {
  /** Most tokens the value(s) may take. */
  budget: number;
}

/** Decodes a sequence of values, one per type, written back to back (no separators). */
class ValuesConstraint implements TokenConstraint {
  readonly #types: readonly LangType[];
  readonly #masks: ValueMasks;
  readonly #maxListLen: number;
  readonly #budget: number;
  /** `#rest[k]`: fewest tokens the values after value k need. */
  readonly #rest: number[];
  #k = 0;
  #used = 0;
  #inList = false;
  #listLen = 0;

  constructor(types: readonly LangType[], opts: ValueConstraintOptions) {
    this.#types = types;
    this.#masks = valueMasks(opts);
    this.#maxListLen = opts.maxListLen;
    this.#budget = opts.budget;
    this.#rest = types.map((_, k) => types.slice(k + 1).reduce((s, t) => s + valueMinLen(t), 0));
    const need = types.reduce((s, t) => s + valueMinLen(t), 0);
    if (need > opts.budget) {
      throw new Error(
        `Value budget ${opts.budget} is too small for (${types.join(", ")}): it needs ${need}`,
      );
    }
  }

  allowed(): Uint8Array {
    const type = this.#types[this.#k];
    if (type === undefined) return EMPTY_MASK;
    const room = this.#budget - this.#used - this.#rest[this.#k]!;
    if (this.#inList) {
      return this.#listLen < this.#maxListLen && room >= 2
        ? this.#masks.intOrClose
        : this.#masks.close;
    }
    return type === "int" ? this.#masks.int : type === "bool" ? this.#masks.bool : this.#masks.open;
  }

  advance(token: number): void {
    const mask = this.allowed();
    if (mask[token] !== 1) reject("Value constraint", token, mask);
    this.#used++;
    if (token === LIST_OPEN) {
      this.#inList = true;
      this.#listLen = 0;
    } else if (token === LIST_CLOSE) {
      this.#inList = false;
      this.#k++;
    } else if (this.#inList) {
      this.#listLen++;
    } else {
      this.#k++;
    }
  }

  done(): boolean {
    return this.#k >= this.#types.length;
  }
}

/** A constraint for one value of `type`. */
export function valueConstraint(type: LangType, opts: ValueConstraintOptions): TokenConstraint {
  return new ValuesConstraint([type], opts);
}

/** A constraint for values of `types` written back to back (e.g. a solver's trace, then its answer). */
export function valuesConstraint(
  types: readonly LangType[],
  opts: ValueConstraintOptions,
): TokenConstraint {
  return new ValuesConstraint(types, opts);
}

/** A constraint for a signature's argument tuple: its parameter values back to back. */
export function argsConstraint(
  signature: Signature,
  opts: ValueConstraintOptions,
): TokenConstraint {
  return new ValuesConstraint(signature.params, opts);
}

/** Builds one part of a chain from the tokens of the parts before it (SEPs excluded). */
export type PartFactory = (previous: readonly (readonly number[])[]) => TokenConstraint;

/** Parts separated by SEP; each later part is built from the earlier parts' tokens. */
class ChainConstraint implements TokenConstraint {
  readonly #factories: readonly PartFactory[];
  readonly #parts: number[][] = [[]];
  #current: TokenConstraint;
  #k = 0;

  constructor(factories: readonly PartFactory[]) {
    if (factories.length === 0) throw new Error("chainConstraints needs at least one part");
    this.#factories = factories;
    this.#current = factories[0]!([]);
  }

  allowed(): Uint8Array {
    if (!this.#current.done()) return this.#current.allowed();
    return this.#k < this.#factories.length - 1 ? SEP_MASK : EMPTY_MASK;
  }

  advance(token: number): void {
    if (this.#current.done()) {
      const mask = this.allowed();
      if (mask[token] !== 1) reject("Chain constraint", token, mask);
      this.#k++;
      this.#current = this.#factories[this.#k]!(this.#parts);
      this.#parts.push([]);
      return;
    }
    this.#current.advance(token);
    this.#parts[this.#k]!.push(token);
  }

  done(): boolean {
    return this.#k === this.#factories.length - 1 && this.#current.done();
  }
}

/**
 * Chains parts separated by SEP: `part0 SEP part1 SEP …`. Part k is built when part k-1 is
 * complete, from the tokens of parts 0..k-1.
 *
 * @example Deduction proposer: a program, then arguments typed by its own signature.
 * ```ts
 * import { SIGNATURES } from "./types.ts";
 * import { SIG_BASE } from "./vocab.ts";
 * const bounds = { intMin: -99, intMax: 99, maxListLen: 8 };
 * chainConstraints([
 *   () => programConstraint({ budget: 24 }),
 *   // A program's first token names its signature.
 *   ([program]) => argsConstraint(SIGNATURES[program![0]! - SIG_BASE]!, { budget: 40, ...bounds }),
 * ]);
 * ```
 */
export function chainConstraints(parts: readonly PartFactory[]): TokenConstraint {
  return new ChainConstraint(parts);
}

/** A decoding request for {@linkcode grammarDecoder.start}. */
export type DecodeKind =
  | ({ kind: "program" } & ProgramConstraintOptions)
  | ({ kind: "value"; type: LangType } & ValueConstraintOptions)
  | ({ kind: "args"; signature: Signature } & ValueConstraintOptions);

/**
 * The raw state-machine API: `start(kind) → state`, `allowed(state) → mask`,
 * `advance(state, token)`, `done(state)`. The state is a {@linkcode TokenConstraint}.
 */
export const grammarDecoder = {
  start(kind: DecodeKind): TokenConstraint {
    if (kind.kind === "program") return programConstraint(kind);
    if (kind.kind === "value") return valueConstraint(kind.type, kind);
    return argsConstraint(kind.signature, kind);
  },
  allowed(state: TokenConstraint): Uint8Array {
    return state.allowed();
  },
  advance(state: TokenConstraint, token: number): void {
    state.advance(token);
  },
  done(state: TokenConstraint): boolean {
    return state.done();
  },
};
