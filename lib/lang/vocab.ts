/**
 * The one token vocabulary of the kit: structural tokens (prompt layout), signature tokens,
 * production tokens, parameter and lambda-variable tokens, and value tokens. Ids are the
 * positions in a fixed list, so they are stable as long as the lists in `types.ts` and
 * `grammar.ts` are only appended to; {@linkcode vocabHash} changes whenever they change
 * and is stored with every checkpoint.
 *
 * **Int encoding: one token per int** in [{@linkcode INT_TOKEN_MIN}, {@linkcode INT_TOKEN_MAX}],
 * ordered by magnitude (`0 1 -1 2 -2 …`), so the tokens of a world whose ints lie in ±R are a
 * prefix of the vocabulary: a model of that world has {@linkcode worldVocabSize} rows, and its
 * token ids mean the same in every world.
 * The model is tiny and starts from random weights, so sequences must be short and the
 * grammar regular: an int is one decoding step, a 16-element list is 18 tokens (it fits the
 * 40-token value budget; sign-and-digits would need up to 66), and the value mask is a plain
 * range with no digit-count states. The price is generality: ints outside ±999 cannot be
 * written (they are invalid outputs, like out-of-bound values), and no digit structure is
 * shared between numbers. Program literals reuse the same tokens (so `3` means the same
 * thing in a program and in a value) but programs may only use the small range
 * [{@linkcode PROGRAM_INT_MIN}, {@linkcode PROGRAM_INT_MAX}], which keeps the program
 * masks small and random programs readable.
 * @module
 */
import { PRODUCTIONS } from "./grammar.ts";
import { BOUND_VARS } from "./grammar.ts";
import { SIGNATURES } from "./types.ts";

/** Smallest int with a token. */
export const INT_TOKEN_MIN = -999;
/** Largest int with a token. */
export const INT_TOKEN_MAX = 999;
/** Smallest int literal a program may contain. */
export const PROGRAM_INT_MIN = -10;
/** Largest int literal a program may contain. */
export const PROGRAM_INT_MAX = 10;

const STRUCTURAL = [
  "PAD",
  "BOS",
  "EOS",
  "SEP",
  "ROLE_PROPOSE",
  "ROLE_SOLVE",
  "TASK_DEDUCTION",
  "TASK_ABDUCTION",
  "TASK_INDUCTION",
  "REF",
  "PROGRAM",
  "INPUT",
  "OUTPUT",
  "PAIR",
  "ANSWER",
] as const;

const names: string[] = [...STRUCTURAL];
/** Id of the first signature token; signature k is `SIG_BASE + k`. */
export const SIG_BASE = names.length;
names.push(...SIGNATURES.map((s) => `sig ${s.name}`));
/** Id of the first production token; production k is `PROD_BASE + k`. */
export const PROD_BASE = names.length;
names.push(...PRODUCTIONS.map((p) => p.name));
/** Id of the first parameter token; parameter j is `PARAM_BASE + j`. */
export const PARAM_BASE = names.length;
names.push("PARAM0", "PARAM1");
/** Number of parameter tokens (the most parameters a signature may have). */
export const MAX_PARAMS = 2;
/** Id of the first lambda-variable token (order of `BOUND_VARS`: v, i, a). */
export const VAR_BASE = names.length;
names.push(...BOUND_VARS.map((v) => `VAR_${v}`));
/** Token of `true` (program literal and bool value). */
export const TRUE = names.push("true") - 1;
/** Token of `false`. */
export const FALSE = names.push("false") - 1;
/** Opens a list value. */
export const LIST_OPEN = names.push("[") - 1;
/** Closes a list value. */
export const LIST_CLOSE = names.push("]") - 1;
/** Id of the token of int 0; ints follow by magnitude: `0 1 -1 2 -2 …` (see {@linkcode intToken}). */
export const INT_BASE = names.length;
names.push("0");
for (let n = 1; n <= INT_TOKEN_MAX; n++) names.push(String(n), String(-n));

/** Printable name of every token, indexed by id. */
export const TOKEN_NAMES: readonly string[] = names;
/** Number of tokens. */
export const VOCAB_SIZE = names.length;

/** Padding (id 0). */
export const PAD = 0;
/** Start of a sequence. */
export const BOS = 1;
/** End of a sequence. */
export const EOS = 2;
/** Separates parts of one generation (program SEP args, args SEP args, …). */
export const SEP = 3;
/** Prompt role: the policy proposes a task. */
export const ROLE_PROPOSE = 4;
/** Prompt role: the policy solves a task. */
export const ROLE_SOLVE = 5;
/** Task type deduction (program, input → output). */
export const TASK_DEDUCTION = 6;
/** Task type abduction (program, output → input). */
export const TASK_ABDUCTION = 7;
/** Task type induction (pairs → program). */
export const TASK_INDUCTION = 8;
/** Starts a reference example in a prompt. */
export const REF = 9;
/** Marks a program in a prompt. */
export const PROGRAM = 10;
/** Marks an input (argument tuple). */
export const INPUT = 11;
/** Marks an output value. */
export const OUTPUT = 12;
/** Marks an input/output pair. */
export const PAIR = 13;
/** Marks where the answer starts. */
export const ANSWER = 14;

const byName = new Map(names.map((n, id) => [n, id]));

/** Token id of a printable name; throws for an unknown name (a bug in the caller). */
export function tokenId(name: string): number {
  const id = byName.get(name);
  if (id === undefined) throw new Error(`Unknown token name '${name}'`);
  return id;
}

/** Printable name of a token id; throws for an id outside the vocabulary. */
export function tokenName(id: number): string {
  const n = TOKEN_NAMES[id];
  if (n === undefined) {
    throw new Error(`Token id ${id} is outside the vocabulary [0, ${VOCAB_SIZE})`);
  }
  return n;
}

/** Space-separated printable names of a token sequence. */
export function tokensToString(tokens: readonly number[]): string {
  return tokens.map(tokenName).join(" ");
}

/** Token of int `n`; throws when `n` has no token. */
export function intToken(n: number): number {
  if (!Number.isInteger(n) || n < INT_TOKEN_MIN || n > INT_TOKEN_MAX) {
    throw new Error(
      `No token for int ${n}: ints with tokens are [${INT_TOKEN_MIN}, ${INT_TOKEN_MAX}]`,
    );
  }
  return INT_BASE + (n > 0 ? 2 * n - 1 : -2 * n);
}

/** The int a token stands for, or undefined when it is not an int token. */
export function tokenInt(id: number): number | undefined {
  if (!(id >= INT_BASE && id < VOCAB_SIZE)) return undefined;
  const k = id - INT_BASE;
  return k % 2 === 1 ? (k + 1) / 2 : k === 0 ? 0 : -k / 2;
}

/** Int range of a world (its values and its program literals). */
export interface IntRange {
  readonly intMin: number;
  readonly intMax: number;
}

/**
 * Tokens a model of a world needs: every token up to the last int the world can write (ints are
 * ordered by magnitude, so that is a prefix of the vocabulary). Throws for ints without tokens.
 */
export function worldVocabSize(world: IntRange): number {
  const r = Math.max(Math.abs(world.intMin), Math.abs(world.intMax));
  if (!Number.isInteger(r) || r > INT_TOKEN_MAX) {
    throw new Error(
      `World ints [${world.intMin}, ${world.intMax}] need tokens beyond ±${INT_TOKEN_MAX}`,
    );
  }
  return INT_BASE + 2 * r + 1;
}

/** Hash of the first `size` token names: what a checkpoint of that vocabulary size stores. */
export function vocabHashOf(size: number): string {
  return fnv1a(`azr-lang-v2\n${names.slice(0, size).join("\n")}`);
}

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let k = 0; k < text.length; k++) {
    h ^= text.charCodeAt(k);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

/**
 * Hash of the vocabulary (every token name in id order, FNV-1a 32-bit, hex). A checkpoint
 * stores it; loading a checkpoint with a different hash is an error.
 */
export const vocabHash: string = vocabHashOf(names.length);

/** The vocabulary of a model of a world: its size (a prefix of the ids) and that prefix's hash. */
export function worldVocab(world: IntRange): { size: number; hash: string } {
  const size = worldVocabSize(world);
  return { size, hash: vocabHashOf(size) };
}
