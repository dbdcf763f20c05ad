import assert from "node:assert/strict";
import { parse as acornParse } from "acorn";
import {
  argsConstraint,
  chainConstraints,
  checkValue,
  decodeArgs,
  decodeValue,
  grammarDecoder,
  LIST_CLOSE,
  LIST_OPEN,
  parseProgram,
  programConstraint,
  programSignature,
  programTree,
  renderProgram,
  SEP,
  SIG_BASE,
  SIGNATURES,
  tokenInt,
  TRUE,
  valueConstraint,
  VOCAB_SIZE,
} from "../../lib/lang/mod.ts";
import { Rng } from "../../lib/rng.ts";
import { randomLogits, sampleWithLogits } from "./helpers.ts";

const BOUNDS = { intMin: -999, intMax: 999, maxListLen: 16 };

Deno.test("10,000 programs sampled under the mask from random logits are complete, typed, render, parse back", () => {
  const rng = new Rng(7);
  const budgets = new Map<number, number>();
  for (let n = 0; n < 10_000; n++) {
    const budget = 2 + (n % 29); // 2..30
    const fixed = n % 3 === 0 ? SIGNATURES[n % SIGNATURES.length] : undefined;
    const c = programConstraint({ budget, ...(fixed ? { signature: fixed } : {}) });
    const tokens = sampleWithLogits(c, randomLogits(rng, 1 + (n % 5)), rng);
    assert.ok(tokens.length <= budget, `over budget ${budget}: ${tokens.length}`);
    budgets.set(budget, Math.max(budgets.get(budget) ?? 0, tokens.length));
    if (fixed) assert.equal(programSignature(tokens).name, fixed.name);
    const tree = programTree(tokens);
    assert.ok(tree.ok, `not a program: ${tokens.join(" ")}`);
    const js = renderProgram(tokens);
    acornParse(js, { ecmaVersion: "latest" });
    const back = parseProgram(js, { signature: programSignature(tokens) });
    assert.ok(back.ok, `${js}: ${back.ok ? "" : back.message}`);
    assert.deepEqual(back.tokens, tokens, js);
  }
  // The budget is used, not just respected: long budgets give long programs.
  assert.ok(budgets.get(30)! > 15, `longest program at budget 30 has ${budgets.get(30)} tokens`);
});

Deno.test("parsing without a signature recovers the sampled program's rendering", () => {
  const rng = new Rng(8);
  for (let n = 0; n < 500; n++) {
    const tokens = sampleWithLogits(programConstraint({ budget: 16 }), randomLogits(rng), rng);
    const js = renderProgram(tokens);
    const back = parseProgram(js);
    assert.ok(back.ok, js);
    assert.equal(renderProgram(back.tokens), js);
  }
});

Deno.test("values sampled under the mask decode, are in bounds, and fit the budget", () => {
  const rng = new Rng(9);
  const bounds = { intMin: -50, intMax: 99, maxListLen: 15 };
  for (let n = 0; n < 3000; n++) {
    const sig = SIGNATURES[n % SIGNATURES.length]!;
    const budget = 6 + (n % 40);
    const tokens = sampleWithLogits(
      argsConstraint(sig, { ...bounds, budget }),
      randomLogits(rng),
      rng,
    );
    assert.ok(tokens.length <= budget);
    const args = decodeArgs(sig, tokens);
    assert.ok(args.ok, String(tokens));
    sig.params.forEach((t, k) => assert.ok(checkValue(t, args.value[k], bounds).ok));
  }
});

Deno.test("list value: length cap and budget both close the list", () => {
  const first = (m: Uint8Array) => m.lastIndexOf(1); // the largest allowed int
  // Budget 4: '[' x x ']' at most, so after two elements only ']' is allowed.
  const c = valueConstraint("int[]", { ...BOUNDS, budget: 4 });
  assert.deepEqual([...c.allowed()].flatMap((b, t) => (b ? [t] : [])), [LIST_OPEN]);
  c.advance(LIST_OPEN);
  c.advance(first(c.allowed()));
  c.advance(first(c.allowed()));
  assert.deepEqual([...c.allowed()].flatMap((b, t) => (b ? [t] : [])), [LIST_CLOSE]);
  c.advance(LIST_CLOSE);
  assert.ok(c.done());
  // maxListLen 1 caps the length whatever the budget.
  const d = valueConstraint("int[]", { ...BOUNDS, maxListLen: 1, budget: 40 });
  d.advance(LIST_OPEN);
  d.advance(first(d.allowed()));
  assert.equal(d.allowed()[LIST_CLOSE], 1);
  assert.equal([...d.allowed()].reduce((s, b) => s + b, 0), 1);
});

Deno.test("int value mask is exactly the bounds", () => {
  const m = valueConstraint("int", { intMin: -3, intMax: 5, maxListLen: 4, budget: 1 }).allowed();
  const ints = [...m].flatMap((b, t) => (b ? [tokenInt(t)!] : [])).sort((p, q) => p - q);
  assert.deepEqual(ints, [-3, -2, -1, 0, 1, 2, 3, 4, 5]);
});

Deno.test("advance with a token that is not allowed throws", () => {
  const c = programConstraint({ budget: 10 });
  assert.throws(() => c.advance(TRUE), /not allowed/);
  const v = valueConstraint("bool", { ...BOUNDS, budget: 1 });
  assert.throws(() => v.advance(LIST_OPEN), /not allowed/);
});

Deno.test("too small budgets are rejected when the constraint is built", () => {
  assert.throws(() => programConstraint({ budget: 1 }), /too small/);
  assert.throws(() => argsConstraint(SIGNATURES[9]!, { ...BOUNDS, budget: 3 }), /too small/);
  assert.throws(
    () => valueConstraint("int", { ...BOUNDS, intMin: -5000, budget: 3 }),
    /int tokens/,
  );
});

Deno.test("budget 2 allows only one-leaf bodies", () => {
  const c = programConstraint({ budget: 2, signature: SIGNATURES[3]! });
  c.advance(SIG_BASE + 3);
  const allowed = [...c.allowed()].flatMap((b, t) => (b ? [t] : []));
  // (int[]) -> int[] with one token left: the parameter xs or [] only.
  assert.equal(allowed.length, 2);
});

Deno.test("chain: program SEP args typed by the program's signature", () => {
  const rng = new Rng(3);
  for (let n = 0; n < 300; n++) {
    const c = chainConstraints([
      () => programConstraint({ budget: 12 }),
      ([p]) => argsConstraint(programSignature(p!), { ...BOUNDS, budget: 20 }),
    ]);
    const tokens = sampleWithLogits(c, randomLogits(rng), rng);
    const sep = tokens.indexOf(SEP);
    assert.ok(sep > 0);
    const program = tokens.slice(0, sep);
    assert.ok(programTree(program).ok);
    assert.ok(decodeArgs(programSignature(program), tokens.slice(sep + 1)).ok);
  }
});

Deno.test("chain: N argument tuples for a fixed signature", () => {
  const rng = new Rng(4);
  const sig = SIGNATURES[6]!;
  const c = chainConstraints(
    Array.from({ length: 3 }, () => () => argsConstraint(sig, { ...BOUNDS, budget: 10 })),
  );
  const tokens = sampleWithLogits(c, randomLogits(rng), rng);
  const parts: number[][] = [[]];
  for (const t of tokens) t === SEP ? parts.push([]) : parts.at(-1)!.push(t);
  assert.equal(parts.length, 3);
  for (const p of parts) assert.ok(decodeArgs(sig, p).ok);
  assert.ok(c.done());
  assert.equal(c.allowed().indexOf(1), -1);
});

Deno.test("raw API: start/allowed/advance/done; masks are cached arrays", () => {
  const s = grammarDecoder.start({ kind: "value", type: "bool", ...BOUNDS, budget: 1 });
  const m1 = grammarDecoder.allowed(s);
  assert.equal(m1.length, VOCAB_SIZE);
  assert.equal(
    m1,
    grammarDecoder.start({ kind: "value", type: "bool", ...BOUNDS, budget: 1 }).allowed(),
  );
  grammarDecoder.advance(s, TRUE);
  assert.ok(grammarDecoder.done(s));
  assert.deepEqual(decodeValue("bool", [TRUE]), { ok: true, value: true });
});
