/**
 * Canonical answers against independent references: the canonical input order against a
 * hand-written list and a brute-force enumerator written here; the smallest input and the
 * smallest fitting program against a brute-force search that runs each program as plain JS
 * (`new Function` on the rendered source), not through the reference interpreter.
 */
import assert from "node:assert/strict";
import {
  inputsInOrder,
  intsByMagnitude,
  shrink,
  smallestFittingProgram,
  smallestInput,
} from "../../lib/lang/canonical.ts";
import { buildBank, generateTask, splitBank } from "../../lib/lang/generate.ts";
import { parseProgram } from "../../lib/lang/parse.ts";
import { renderProgram } from "../../lib/lang/render.ts";
import { signatureByName, type World, WORLDS } from "../../lib/lang/types.ts";
import type { LangValue } from "../../lib/lang/values.ts";
import { Rng } from "../../lib/rng.ts";

/** A world small enough to enumerate every input: ints -2..2, lists of at most 3. */
const TINY: World = { intMin: -2, intMax: 2, maxListLen: 3, literalMin: -1, literalMax: 2 };
const LIST_INT = signatureByName("(int[]) -> int")!;
const LIST_LIST = signatureByName("(int[]) -> int[]")!;
const LIST_N_LIST = signatureByName("(int[], int) -> int[]")!;

/** The program as plain JS: its rendered source evaluated by V8. */
function asJs(tokens: readonly number[]): (...args: unknown[]) => unknown {
  return new Function(`${renderProgram([...tokens])}\nreturn f;`)() as (
    ...args: unknown[]
  ) => unknown;
}

/**
 * In the world: ints in range, lists of ints in range and of allowed length, bools (`-0` is read
 * as 0, as the sandbox returns it).
 */
function inWorld(v: unknown, w: World): boolean {
  const int = (x: unknown) =>
    Number.isInteger(x) && (x as number) >= w.intMin && (x as number) <= w.intMax;
  if (typeof v === "boolean") return true;
  if (Array.isArray(v)) return v.length <= w.maxListLen && v.every(int);
  return int(v);
}

function tokensOf(js: string): number[] {
  const r = parseProgram(js);
  if (!r.ok) throw new Error(r.message);
  return r.tokens;
}

Deno.test("intsByMagnitude: 0 1 -1 2 -2 … inside the world", () => {
  assert.deepEqual(intsByMagnitude(TINY), [0, 1, -1, 2, -2]);
  assert.deepEqual(intsByMagnitude({ ...TINY, intMin: -1, intMax: 3 }), [0, 1, -1, 2, 3]);
});

Deno.test("inputsInOrder: fewer list elements first, then element by element by magnitude", () => {
  const w: World = { ...TINY, intMin: -1, intMax: 1, maxListLen: 2 };
  const got = [...inputsInOrder(LIST_INT, w)].map((x) => JSON.stringify(x));
  // Written out by hand: 1 + 3 + 9 lists.
  const want = [
    [[]],
    [[0]],
    [[1]],
    [[-1]],
    [[0, 0]],
    [[0, 1]],
    [[0, -1]],
    [[1, 0]],
    [[1, 1]],
    [[1, -1]],
    [[-1, 0]],
    [[-1, 1]],
    [[-1, -1]],
  ].map((x) => JSON.stringify(x));
  assert.deepEqual(got, want);
  // Two arguments: total list length first; every tuple exactly once.
  const pairs = [...inputsInOrder(LIST_N_LIST, w)].map((x) => JSON.stringify(x));
  assert.deepEqual(pairs.slice(0, 4), ["[[],0]", "[[],1]", "[[],-1]", "[[0],0]"]);
  assert.equal(pairs.length, 13 * 3);
  assert.equal(new Set(pairs).size, pairs.length);
});

/** Brute force, written independently: every input of ≤ maxListLen, sorted by the order's key. */
function bruteForceOrder(w: World): LangValue[][] {
  const ints: number[] = [];
  for (let v = w.intMin; v <= w.intMax; v++) ints.push(v);
  const rank = (v: number) => (v === 0 ? 0 : v > 0 ? 2 * v - 1 : -2 * v);
  let lists: number[][] = [[]];
  let frontier: number[][] = [[]];
  for (let len = 1; len <= w.maxListLen; len++) {
    frontier = frontier.flatMap((xs) => ints.map((v) => [...xs, v]));
    lists = [...lists, ...frontier];
  }
  const key = (xs: number[]) => [xs.length, ...xs.map(rank)];
  const cmp = (a: number[], b: number[]) => {
    const ka = key(a);
    const kb = key(b);
    for (let k = 0; k < Math.max(ka.length, kb.length); k++) {
      if ((ka[k] ?? -1) !== (kb[k] ?? -1)) return (ka[k] ?? -1) - (kb[k] ?? -1);
    }
    return 0;
  };
  return lists.sort(cmp).map((xs) => [xs]);
}

Deno.test("smallestInput with a budget over every input = the brute-force first preimage", () => {
  const order = bruteForceOrder(TINY);
  assert.equal(order.length, 1 + 5 + 25 + 125);
  const bank = buildBank({ world: TINY, maxSize: 4, signatures: [LIST_INT.name, LIST_LIST.name] });
  const rng = new Rng(3);
  let checked = 0;
  for (let k = 0; k < 150; k++) {
    const t = generateTask(rng, bank, "abduction");
    if (!t || t.task !== "abduction") continue;
    const sig = signatureByName(t.signature)!;
    const js = asJs(t.tokens);
    const want = JSON.stringify(t.output);
    const first = order.find((x) => {
      let v: unknown;
      try {
        v = js(...structuredClone(x));
      } catch {
        return false; // a runtime error is no preimage
      }
      return inWorld(v, TINY) && JSON.stringify(v) === want; // JSON writes -0 as 0
    });
    assert.ok(first, `${t.program}: the drawn input is a preimage`);
    const got = smallestInput(t.tokens, sig, t.output, t.input, TINY, order.length);
    assert.equal(got.exact, true);
    assert.deepEqual(got.input, first, `${t.program} -> ${want}`);
    checked++;
  }
  assert.ok(checked >= 100, `${checked} tasks checked`);
});

Deno.test("smallestInput: exact within the budget, else the drawn input shrunk", () => {
  const sum = tokensOf("function f(xs) { return xs.reduce((a, v) => a + v, 0); }");
  // [7] comes before [3, 4] (fewer elements): found exactly.
  assert.deepEqual(smallestInput(sum, LIST_INT, 7, [[3, 4]], WORLDS.small), {
    input: [[7]],
    exact: true,
  });
  // No budget: shrinking [3, 4] cannot delete or lower an element and keep the sum.
  assert.deepEqual(smallestInput(sum, LIST_INT, 7, [[3, 4]], WORLDS.small, 0), {
    input: [[3, 4]],
    exact: false,
  });
  // Sorting: the swaps bring a permutation to its smallest order; the length cannot shrink.
  const sort = tokensOf("function f(xs) { return [...xs].sort((a, b) => a - b); }");
  const r = smallestInput(sort, LIST_LIST, [1, 2, 3, 4, 5, 6], [[4, 1, 6, 2, 5, 3]], WORLDS.small);
  assert.deepEqual(r, { input: [[1, 2, 3, 4, 5, 6]], exact: false });
});

Deno.test("shrink: every result still gives the output and is never larger", () => {
  const len = tokensOf("function f(xs) { return xs.length; }");
  const js = asJs(len);
  const got = shrink([[5, -4, 3]], LIST_INT, (x) => js(...x) === 3, WORLDS.small);
  assert.deepEqual(got, [[0, 0, 0]]);
  const pos = tokensOf("function f(xs) { return xs.filter((v) => v > 0); }");
  const jp = asJs(pos);
  const out = JSON.stringify([3, 1]);
  const got2 = shrink(
    [[-2, 3, 0, 1, -5]],
    LIST_LIST,
    (x) => JSON.stringify(jp(...x)) === out,
    WORLDS.small,
  );
  assert.deepEqual(got2, [[3, 1]]);
});

Deno.test("smallestFittingProgram = the first bank program that fits, checked as plain JS", () => {
  const bank = splitBank(
    buildBank({ world: TINY, maxSize: 4, signatures: [LIST_LIST.name] }),
    "train",
  );
  const sb = bank.signatures[0]!;
  // The bank is smallest first.
  sb.programs.forEach((p, k) => k > 0 && assert.ok(p.size >= sb.programs[k - 1]!.size));
  const rng = new Rng(5);
  let differs = 0;
  for (let k = 0; k < 60; k++) {
    const t = generateTask(rng, bank, "induction", { inductionN: 6 });
    if (!t || t.task !== "induction") continue;
    const shown = t.examples.slice(0, t.shown);
    const fits = (tokens: readonly number[]) => {
      const js = asJs(tokens);
      return shown.every((e) => {
        try {
          const v = js(...structuredClone(e.input));
          return inWorld(v, TINY) && JSON.stringify(v) === JSON.stringify(e.output);
        } catch {
          return false;
        }
      });
    };
    const got = smallestFittingProgram(sb, shown, TINY);
    assert.ok(got);
    const want = sb.programs.find((p) => fits(p.tokens))!;
    assert.deepEqual(got.tokens, want.tokens, renderProgram([...t.tokens]));
    if (got.tokens.join() !== t.tokens.join()) differs++;
  }
  // Aliasing is real: some shown pairs are fitted by a smaller program than the drawn one.
  assert.ok(differs > 0);
});
