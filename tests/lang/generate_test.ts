/**
 * The canonical task generator against independent references: a brute-force enumeration of
 * every program the grammar allows (depth-first through the constrained decoder, not the
 * bottom-up enumerator), programs run as plain JS (`new Function` on the rendered source), and
 * the real sandbox for the labels.
 */
import assert from "node:assert/strict";
import {
  bankSizes,
  buildBank,
  drawProgram,
  generateTask,
  isHeldOut,
  naturalArgs,
  probeSet,
  splitBank,
  usesLambdaVariable,
} from "../../lib/lang/generate.ts";
import { programConstraint } from "../../lib/lang/constraint.ts";
import { renderProgram } from "../../lib/lang/render.ts";
import { signatureByName, WORLDS } from "../../lib/lang/types.ts";
import { checkValue, type LangValue } from "../../lib/lang/values.ts";
import { Rng } from "../../lib/rng.ts";
import { createSandbox } from "../../lib/sandbox/mod.ts";

const world = WORLDS.small;
const INT_INT = signatureByName("(int) -> int")!;
const INT2_INT = signatureByName("(int, int) -> int")!;

/** Every program of `sig` with a body of at most `maxSize` tokens, by DFS under the constraint. */
function allPrograms(sig: typeof INT_INT, maxSize: number): number[][] {
  const out: number[][] = [];
  const walk = (prefix: number[], make: () => ReturnType<typeof programConstraint>) => {
    const c = make();
    for (const t of prefix) c.advance(t);
    if (c.done()) {
      out.push(prefix);
      return;
    }
    const mask = c.allowed();
    for (let t = 0; t < mask.length; t++) if (mask[t]) walk([...prefix, t], make);
  };
  walk([], () =>
    programConstraint({
      budget: maxSize + 1,
      signature: sig,
      literalMin: world.literalMin,
      literalMax: world.literalMax,
    }));
  return out;
}

/** Behaviour of a program on inputs by plain JS: outputs (or "E"), and how many are valid. */
function jsBehaviour(tokens: number[], sig: typeof INT_INT, inputs: unknown[][]) {
  const f = new Function(`${renderProgram(tokens)}\nreturn f;`)() as (...a: unknown[]) => unknown;
  let valid = 0;
  const outs = new Set<string>();
  const key = inputs.map((args) => {
    try {
      const v = f(...args);
      const ok = checkValue(sig.returns, v, world).ok; // -0 counts as 0, as the sandbox returns it
      if (ok) {
        valid++;
        outs.add(JSON.stringify(v));
      }
      return ok ? JSON.stringify(v) : "E";
    } catch {
      return "E";
    }
  }).join("|");
  return { key, valid, distinct: outs.size };
}

for (const sig of [INT_INT, INT2_INT]) {
  Deno.test(`bank of ${sig.name} (≤ 3 tokens) = the smallest program of every input-dependent behaviour, by brute force`, () => {
    const maxSize = 3;
    const bank = buildBank({ world, maxSize, signatures: [sig.name] });
    const inputs = probeSet(sig, world, 24, 0);
    // Brute force: smallest size per behaviour, over every program the grammar allows.
    const smallest = new Map<string, number>();
    for (const p of allPrograms(sig, maxSize)) {
      const b = jsBehaviour(p, sig, inputs);
      if (b.distinct < 2 || b.valid < 0.5 * inputs.length) continue;
      const size = p.length - 1;
      if (size < (smallest.get(b.key) ?? Infinity)) smallest.set(b.key, size);
    }
    const programs = bank.signatures[0]!.programs;
    const got = new Map<string, number>();
    for (const p of programs) {
      const b = jsBehaviour([...p.tokens], sig, inputs);
      assert.ok(!got.has(b.key), `two bank programs share a behaviour: ${renderProgram(p.tokens)}`);
      got.set(b.key, p.size);
      assert.ok(b.distinct >= 2, `constant program in the bank: ${renderProgram(p.tokens)}`);
    }
    assert.equal(got.size, smallest.size, "same number of behaviours as brute force");
    for (const [key, size] of smallest) {
      assert.equal(got.get(key), size, `behaviour ${key.slice(0, 60)}… smallest size`);
    }
  });
}

Deno.test("bank (≤ 3 tokens, every signature): input-dependent on fresh inputs too, sizes reported", () => {
  const bank = buildBank({ world, maxSize: 3 });
  const sizes = bankSizes(bank);
  assert.equal(Object.keys(sizes).length, bank.signatures.length);
  const rng = new Rng(5);
  let constantOnFresh = 0;
  let total = 0;
  for (const s of bank.signatures) {
    for (const p of s.programs) {
      total++;
      const inputs = Array.from({ length: 30 }, () => naturalArgs(rng, s.signature, world));
      if (jsBehaviour([...p.tokens], s.signature, inputs).distinct < 2) constantOnFresh++;
    }
  }
  assert.ok(total > 300, `bank has ${total} programs`);
  // Probes define behaviours; on 30 fresh inputs almost every program still varies.
  assert.ok(
    constantOnFresh / total < 0.05,
    `${constantOnFresh}/${total} look constant on fresh inputs`,
  );
});

Deno.test("natural inputs stay in the world; lists are sometimes empty, sometimes sorted", () => {
  const rng = new Rng(1);
  const sig = signatureByName("(int[]) -> int")!;
  let empty = 0;
  let sorted = 0;
  for (let k = 0; k < 2000; k++) {
    const [xs] = naturalArgs(rng, sig, world) as [number[]];
    assert.ok(checkValue("int[]", xs, world).ok, JSON.stringify(xs));
    if (xs.length === 0) empty++;
    if (xs.length >= 3 && xs.every((x, i) => i === 0 || xs[i - 1]! <= x)) sorted++;
  }
  assert.ok(empty > 100 && empty < 400, `empty lists: ${empty}/2000`);
  assert.ok(sorted > 200, `sorted lists of 3+: ${sorted}/2000`);
});

Deno.test("held-out split is by behaviour, deterministic, and disjoint from train", () => {
  const bank = buildBank({ world, maxSize: 3 });
  const train = splitBank(bank, "train", 0.1);
  const held = splitBank(bank, "heldout", 0.1);
  const key = (t: readonly number[]) => t.join(",");
  const trainSet = new Set(train.signatures.flatMap((s) => s.programs.map((p) => key(p.tokens))));
  const heldList = held.signatures.flatMap((s) => s.programs);
  assert.ok(heldList.length > 0);
  for (const p of heldList) {
    assert.ok(!trainSet.has(key(p.tokens)));
    assert.ok(isHeldOut(p.tokens, 0.1));
  }
  const n = bank.signatures.reduce((s, x) => s + x.programs.length, 0);
  assert.equal(trainSet.size + heldList.length, n);
  const frac = heldList.length / n;
  assert.ok(frac > 0.05 && frac < 0.15, `held-out fraction ${frac}`);
  // Tasks drawn from the train split never use a held-out program.
  const rng = new Rng(2);
  for (let k = 0; k < 200; k++) {
    const t = generateTask(rng, train, "deduction");
    if (t) assert.ok(!isHeldOut(t.tokens, 0.1));
  }
});

Deno.test("generated labels agree with the sandbox (every task type)", async () => {
  const bank = buildBank({
    world,
    maxSize: 4,
    signatures: ["(int[]) -> int[]", "(int[], int) -> int", "(int) -> bool"],
  });
  const rng = new Rng(3);
  const jobs: { program: string; args: LangValue[]; expected: unknown }[] = [];
  for (let k = 0; k < 120; k++) {
    const type = (["deduction", "abduction", "induction"] as const)[k % 3]!;
    const t = generateTask(rng, bank, type);
    if (!t) continue;
    const pairs = t.task === "induction" ? t.examples : [{ input: t.input, output: t.output }];
    for (const e of pairs) jobs.push({ program: t.program, args: e.input, expected: e.output });
  }
  assert.ok(jobs.length > 300);
  const sandbox = await createSandbox({ poolSize: 1 });
  try {
    const results = await sandbox.run(jobs.map(({ program, args }) => ({ program, args })));
    results.forEach((r, k) => {
      assert.ok(r.ok, `${jobs[k]!.program} failed in the sandbox: ${JSON.stringify(r)}`);
      if (r.ok) assert.deepEqual(r.value, jobs[k]!.expected, jobs[k]!.program);
    });
  } finally {
    await sandbox.close();
  }
});

Deno.test("lambdaWeight: programs using a lambda variable drawn that many times as often within their size; 1 is the plain draw", () => {
  const bank = buildBank({ world, maxSize: 4, signatures: ["(int[]) -> int[]"] });
  const programs = bank.signatures[0]!.programs;
  // The token-level predicate against the rendered source: a lambda variable after an arrow.
  for (const p of programs) {
    const src = renderProgram([...p.tokens]);
    assert.equal(usesLambdaVariable(p.tokens), /=>.*\b[via]\b/.test(src), src);
  }
  const bySize = new Map<number, { lambdas: number; others: number }>();
  for (const p of programs) {
    const c = bySize.get(p.size) ?? { lambdas: 0, others: 0 };
    if (/=>.*\b[via]\b/.test(renderProgram([...p.tokens]))) c.lambdas++;
    else c.others++;
    bySize.set(p.size, c);
  }
  const mixed = [...bySize].filter(([, c]) => c.lambdas > 0 && c.others > 0);
  assert.ok(mixed.length > 0, "a size with both kinds");

  const draws = 40_000;
  const seen = new Map<number, { lambdas: number; n: number }>();
  const rng = new Rng(11);
  for (let k = 0; k < draws; k++) {
    const p = drawProgram(rng, bank, { lambdaWeight: 4 });
    const c = seen.get(p.size) ?? { lambdas: 0, n: 0 };
    c.n++;
    if (usesLambdaVariable(p.tokens)) c.lambdas++;
    seen.set(p.size, c);
  }
  for (const [size, c] of mixed) {
    const expected = (4 * c.lambdas) / (4 * c.lambdas + c.others);
    const got = seen.get(size)!;
    const se = Math.sqrt((expected * (1 - expected)) / got.n);
    assert.ok(
      Math.abs(got.lambdas / got.n - expected) < 4 * se + 1e-9,
      `size ${size}: ${got.lambdas}/${got.n} drawn using a lambda variable, expected ${expected}`,
    );
    assert.ok(expected > c.lambdas / (c.lambdas + c.others), "the weight raises their share");
  }
  // Weight 1 is the uniform draw, call for call; weight 0 never draws them where others exist.
  const [a, b, z] = [new Rng(3), new Rng(3), new Rng(3)];
  for (let k = 0; k < 500; k++) {
    assert.deepEqual(drawProgram(a, bank, { lambdaWeight: 1 }), drawProgram(b, bank));
    const p = drawProgram(z, bank, { lambdaWeight: 0 });
    const c = bySize.get(p.size)!;
    if (c.others > 0) assert.ok(!usesLambdaVariable(p.tokens), renderProgram([...p.tokens]));
  }
});
