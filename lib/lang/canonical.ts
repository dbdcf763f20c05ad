/**
 * Canonical answers: supervised targets that are a function of the prompt.
 *
 * An abduction prompt shows a program and an output; many inputs may give that output, and a
 * model trained on whichever input happened to be drawn spreads its probability over all of
 * them (greedy decoding then picks none). An induction prompt shows input/output pairs; many
 * programs may fit them ("program aliasing", Bunel et al., ICLR 2018). So pre-training can teach
 * one answer per prompt instead:
 *
 * - **abduction**: the *smallest* input that gives the output, in a fixed order of the world's
 *   inputs (fewer list elements first, then element by element in the vocabulary's magnitude
 *   order `0 1 -1 2 -2 …`). The first `budget` inputs of that order are searched exactly;
 *   beyond them the drawn input is *shrunk* (delete elements, lower each value, swap out-of-order
 *   elements while the output stays the same, as property-based testing shrinks a failing case).
 *   A shrunk answer is a local minimum, so {@linkcode SmallestInput.exact} says which it is.
 * - **induction**: the first program of the bank, smallest first, that fits every shown pair
 *   (what the enumerative search would return).
 *
 * @example
 * ```ts
 * import { smallestInput, WORLDS, SIGNATURES, parseProgram } from "./mod.ts";
 * const sig = SIGNATURES.find((s) => s.name === "(int[]) -> int")!;
 * const sum = parseProgram("function f(xs) { return xs.reduce((a, v) => a + v, 0); }");
 * if (sum.ok) console.log(smallestInput(sum.tokens, sig, 7, [[3, 4]], WORLDS.small)); // [[7]], exact
 * ```
 * @module
 */
import type { BankProgram, SignatureBank } from "./generate.ts";
import { runInWorld } from "./generate.ts";
import type { LangType, Signature, World } from "./types.ts";
import type { LangValue } from "./values.ts";
import { INT_BASE, intToken } from "./vocab.ts";

/** The world's ints in the vocabulary's magnitude order: `0 1 -1 2 -2 …`. */
export function intsByMagnitude(world: World): number[] {
  const out: number[] = [];
  for (let m = 0; m <= Math.max(world.intMax, -world.intMin); m++) {
    for (const v of m === 0 ? [0] : [m, -m]) {
      if (v >= world.intMin && v <= world.intMax) out.push(v);
    }
  }
  return out;
}

/** Rank of an int in {@linkcode intsByMagnitude}: its place among the vocabulary's int tokens. */
function rank(v: number): number {
  return intToken(v) - INT_BASE;
}

/**
 * The world's argument tuples of `signature` in canonical order: total list length first, then
 * the list lengths (lexicographic), then the scalar slots (int arguments and list elements, in
 * argument order) lexicographically by magnitude rank. Lazy: stop iterating when done.
 */
export function* inputsInOrder(signature: Signature, world: World): Generator<LangValue[]> {
  const ints = intsByMagnitude(world);
  const params = signature.params;
  const lists = params.map((t, k) => (t === "int[]" ? k : -1)).filter((k) => k >= 0);
  for (let total = 0; total <= lists.length * world.maxListLen; total++) {
    for (const lens of splits(total, lists.length, world.maxListLen)) {
      // Slot domains, in argument order.
      const shape = params.map((t, k) => (t === "int[]" ? lens[lists.indexOf(k)]! : 1));
      const domains = params.flatMap((t, k) =>
        Array.from({ length: shape[k]! }, () => domainOf(t, ints))
      );
      const idx = new Array<number>(domains.length).fill(0);
      while (true) {
        yield assemble(params, shape, domains.map((d, j) => d[idx[j]!]!));
        let j = idx.length - 1;
        while (j >= 0 && idx[j]! === domains[j]!.length - 1) idx[j--] = 0;
        if (j < 0) break;
        idx[j]!++;
      }
    }
  }
}

function domainOf(t: LangType, ints: number[]): (number | boolean)[] {
  return t === "bool" ? [false, true] : ints;
}

/** Length vectors of `parts` lists summing to `total`, each ≤ `max`, lexicographic. */
function* splits(total: number, parts: number, max: number): Generator<number[]> {
  if (parts === 0) {
    if (total === 0) yield [];
    return;
  }
  for (let first = 0; first <= Math.min(total, max); first++) {
    for (const rest of splits(total - first, parts - 1, max)) yield [first, ...rest];
  }
}

function assemble(params: readonly LangType[], shape: number[], slots: (number | boolean)[]) {
  const out: LangValue[] = [];
  let j = 0;
  params.forEach((t, k) => {
    if (t === "int[]") out.push(slots.slice(j, j += shape[k]!) as number[]);
    else out.push(slots[j++]!);
  });
  return out;
}

/** A smallest input and whether it is the exact minimum or a shrunk local one. */
export interface SmallestInput {
  input: LangValue[];
  /** True: the first input in canonical order; false: the drawn input shrunk (beyond the budget). */
  exact: boolean;
}

/** Exact results per (program, output); a search that found nothing is remembered as null. */
const EXACT = new Map<string, LangValue[] | null>();
const EXACT_CAP = 200_000;

/**
 * The smallest input of `tokens` (a program of `signature`) whose output is `output`: exact within
 * the first `budget` inputs of {@linkcode inputsInOrder}, else `drawn` (an input known to give the
 * output) shrunk. Deterministic in (program, output) whenever `exact`.
 */
export function smallestInput(
  tokens: readonly number[],
  signature: Signature,
  output: LangValue,
  drawn: readonly LangValue[],
  world: World,
  budget = 2000,
): SmallestInput {
  const want = JSON.stringify(output);
  const gives = (x: readonly LangValue[]) =>
    JSON.stringify(runInWorld(tokens, signature, x, world) ?? null) === want;
  const key = `${tokens.join(",")}|${want}|${budget}`;
  let found = EXACT.get(key);
  if (found === undefined) {
    found = null;
    let n = 0;
    for (const x of inputsInOrder(signature, world)) {
      if (n++ >= budget) break;
      if (gives(x)) {
        found = x;
        break;
      }
    }
    if (EXACT.size >= EXACT_CAP) EXACT.clear();
    EXACT.set(key, found);
  }
  if (found) return { input: structuredClone(found), exact: true };
  return { input: shrink(drawn, signature, gives, world), exact: false };
}

/**
 * Shrinks `x` while `ok` holds: delete list elements, lower values in magnitude order, swap
 * out-of-order list elements; every accepted move makes the input smaller in canonical order,
 * so it ends.
 */
export function shrink(
  x: readonly LangValue[],
  signature: Signature,
  ok: (x: readonly LangValue[]) => boolean,
  world: World,
): LangValue[] {
  const ints = intsByMagnitude(world);
  let cur: LangValue[] = structuredClone([...x]);
  const tryMove = (next: LangValue[]): boolean => {
    if (!ok(next)) return false;
    cur = next;
    return true;
  };
  for (let changed = true; changed;) {
    changed = false;
    signature.params.forEach((t, k) => {
      if (t === "int[]") {
        // Delete elements.
        for (let i = 0; i < (cur[k] as number[]).length;) {
          const xs = cur[k] as number[];
          const next = [...cur];
          next[k] = [...xs.slice(0, i), ...xs.slice(i + 1)];
          if (tryMove(next)) changed = true;
          else i++;
        }
        // Swap a later, smaller element forward.
        const n = (cur[k] as number[]).length;
        for (let i = 0; i < n; i++) {
          for (let j = i + 1; j < n; j++) {
            const xs = cur[k] as number[];
            if (rank(xs[j]!) >= rank(xs[i]!)) continue;
            const ys = [...xs];
            [ys[i], ys[j]] = [ys[j]!, ys[i]!];
            const next = [...cur];
            next[k] = ys;
            if (tryMove(next)) changed = true;
          }
        }
        // Lower each element.
        for (let i = 0; i < n; i++) {
          for (const v of ints) {
            const xs = cur[k] as number[];
            if (rank(v) >= rank(xs[i]!)) break;
            const next = [...cur];
            next[k] = xs.map((u, j) => (j === i ? v : u));
            if (tryMove(next)) {
              changed = true;
              break;
            }
          }
        }
      } else if (t === "int") {
        for (const v of ints) {
          if (rank(v) >= rank(cur[k] as number)) break;
          const next = [...cur];
          next[k] = v;
          if (tryMove(next)) {
            changed = true;
            break;
          }
        }
      } else if (cur[k] === true && tryMove(cur.map((u, j) => (j === k ? false : u)))) {
        changed = true;
      }
    });
  }
  return cur;
}

/** Input/output pairs a program must reproduce. */
export type Pairs = readonly { input: readonly LangValue[]; output: LangValue }[];

/**
 * A test of programs of `signature`: does a program give every pair's output, inside `world`?
 * (The outputs are serialised once, for the many programs a search tries.)
 */
export function fitsPairs(
  signature: Signature,
  pairs: Pairs,
  world: World,
): (tokens: readonly number[]) => boolean {
  const want = pairs.map((p) => JSON.stringify(p.output));
  return (tokens) =>
    pairs.every((pair, k) =>
      JSON.stringify(runInWorld(tokens, signature, pair.input, world) ?? null) === want[k]
    );
}

/**
 * The first program of `bank` (smallest first, the bank's order) that gives every shown pair's
 * output; undefined when none does (the caller's own program is normally in the bank, so there
 * is one).
 */
export function smallestFittingProgram(
  bank: SignatureBank,
  pairs: Pairs,
  world: World,
): BankProgram | undefined {
  const fits = fitsPairs(bank.signature, pairs, world);
  return bank.programs.find((p) => fits(p.tokens));
}
