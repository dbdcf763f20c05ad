/**
 * Pre-training targets that are a function of the prompt, and the batch's view mix: the
 * abduction target is the smallest preimage (checked by hand for programs whose preimages are
 * known), the induction target the smallest bank program fitting the shown pairs (checked as
 * plain JS), the drawn answers stay available, and per-view weights split a batch as computed
 * by hand.
 */
import assert from "node:assert/strict";
import { buildBank, generateTask, splitBank } from "../../lib/lang/generate.ts";
import { parseProgram } from "../../lib/lang/parse.ts";
import { renderProgram } from "../../lib/lang/render.ts";
import { decodeArgs } from "../../lib/lang/values.ts";
import { programTree } from "../../lib/lang/tree.ts";
import { Rng } from "../../lib/rng.ts";
import {
  makeBatch,
  makeExample,
  PRETRAIN_VIEWS,
  viewCounts,
} from "../../lib/trainer/pretrain_data.ts";
import { oneProgramBank, OPTS as BASE_OPTS, programBank, WORLD } from "./bank_helpers.ts";

/** Six induction pairs: three shown. */
const OPTS = { ...BASE_OPTS, inductionN: 6 };

Deno.test("viewCounts: a batch split by weight, largest remainders first (hand-computed)", () => {
  const w = {
    deduction: 4,
    abduction: 3,
    induction: 3,
    propose_deduction: 0.3,
    propose_abduction: 0.3,
    propose_induction: 0.3,
  };
  // 256 × w / 10.9 = 93.94, 70.46, 70.46, 7.05 × 3 → floors sum to 254; +1 to the two largest
  // remainders (deduction .94, then abduction .46, before induction's equal .46).
  assert.deepEqual([...viewCounts(PRETRAIN_VIEWS, 256, w).values()], [94, 71, 70, 7, 7, 7]);
  // No weights: an even split; unnamed views weigh 1.
  assert.deepEqual([...viewCounts(PRETRAIN_VIEWS, 12).values()], [2, 2, 2, 2, 2, 2]);
  assert.deepEqual(
    [...viewCounts(["deduction", "abduction"], 10, { deduction: 4 }).values()],
    [8, 2],
  );
  assert.throws(() => viewCounts(["deduction"], 8, { deduction: 0 }), /weight 0/);
});

Deno.test("makeBatch: the weighted mix, every example of its view", () => {
  const bank = splitBank(buildBank({ world: WORLD, maxSize: 3 }), "train");
  const batch = makeBatch(new Rng(1), bank, ["deduction", "abduction", "induction"], 20, {
    ...OPTS,
    pretrainViewWeights: { deduction: 2, abduction: 1, induction: 1 },
  });
  const count = (v: string) => batch.filter((e) => e.view === v).length;
  assert.deepEqual([count("deduction"), count("abduction"), count("induction")], [10, 5, 5]);
});

Deno.test("abduction target: the smallest input giving the output, or the drawn one", () => {
  // A sum's smallest preimage of n is [] for 0 and [n] otherwise (one element beats two).
  const bank = oneProgramBank("function f(xs) { return xs.reduce((a, v) => a + v, 0); }");
  const sig = bank.signatures[0]!.signature;
  let longer = 0;
  for (let seed = 0; seed < 40; seed++) {
    const smallest = makeExample(new Rng(seed), bank, "abduction", {
      ...OPTS,
      pretrainAbductionTarget: "smallest",
    });
    const drawn = makeExample(new Rng(seed), bank, "abduction", {
      ...OPTS,
      pretrainAbductionTarget: "drawn",
    });
    const t = generateTask(new Rng(seed), bank, "abduction"); // the same draw
    if (!smallest || !drawn || !t || t.task !== "abduction") continue;
    const n = t.output as number;
    const got = decodeArgs(sig, smallest.target);
    assert.ok(got.ok);
    assert.deepEqual(got.value, [n === 0 ? [] : [n]], `output ${n}`);
    const old = decodeArgs(sig, drawn.target);
    assert.ok(old.ok);
    assert.deepEqual(old.value, t.input);
    assert.deepEqual(smallest.prompt, drawn.prompt); // the prompt does not change
    if ((t.input[0] as number[]).length > 1) longer++;
  }
  assert.ok(longer > 5, `${longer} drawn inputs longer than the smallest`);
});

Deno.test("induction target: the smallest bank program fitting the shown pairs (plain JS)", () => {
  const bank = splitBank(
    buildBank({ world: WORLD, maxSize: 4, signatures: ["(int[]) -> int[]"] }),
    "train",
  );
  const programs = bank.signatures[0]!.programs;
  let smaller = 0;
  for (let seed = 0; seed < 40; seed++) {
    const e = makeExample(new Rng(seed), bank, "induction", {
      ...OPTS,
      pretrainInductionTarget: "smallest",
    });
    const t = generateTask(new Rng(seed), bank, "induction", { inductionN: OPTS.inductionN });
    if (!e || !t || t.task !== "induction") continue;
    const tree = programTree(e.target);
    assert.ok(tree.ok);
    const f = new Function(`${renderProgram(e.target)}\nreturn f;`)() as (
      xs: number[],
    ) => unknown;
    for (const pair of t.examples.slice(0, t.shown)) {
      assert.equal(
        JSON.stringify(f(structuredClone(pair.input[0]) as number[])),
        JSON.stringify(pair.output),
      );
    }
    // The target is a bank program, and none before it fits every shown pair.
    const k = programs.findIndex((p) => p.tokens.join() === e.target.join());
    assert.ok(k >= 0, "the target is a bank program");
    for (const p of programs.slice(0, k)) {
      const g = new Function(`${renderProgram([...p.tokens])}\nreturn f;`)() as (
        xs: number[],
      ) => unknown;
      const fitsAll: boolean = t.examples.slice(0, t.shown).every((pair) => {
        try {
          return JSON.stringify(g(structuredClone(pair.input[0]) as number[])) ===
            JSON.stringify(pair.output);
        } catch {
          return false;
        }
      });
      assert.equal(fitsAll, false, `${renderProgram([...p.tokens])} fits and comes first`);
    }
    const drawnIndex = programs.findIndex((p) => p.tokens.join() === t.tokens.join());
    assert.ok(k <= drawnIndex);
    if (k < drawnIndex) smaller++;
  }
  assert.ok(smaller > 0, "some shown pairs are fitted by a smaller program than the drawn one");
});

Deno.test("proposer targets: 'nonconstant' never teaches a program constant on the probes", () => {
  // x - x is 0 whatever the input.
  const constant = oneProgramBank("function f(x) { return x - x; }");
  const varying = oneProgramBank("function f(x) { return x + 1; }");
  for (const view of ["propose_deduction", "propose_abduction"] as const) {
    const made = (bank: typeof constant, targets: "all" | "nonconstant") =>
      Array.from(
        { length: 20 },
        (_, k) =>
          makeExample(new Rng(k), bank, view, { ...OPTS, pretrainProposerTargets: targets }),
      ).filter((e) => e !== undefined).length;
    assert.equal(made(constant, "all"), 20, `${view}: every draw is a target by default`);
    assert.equal(made(constant, "nonconstant"), 0, `${view}: the constant program is refused`);
    assert.equal(made(varying, "nonconstant"), 20, `${view}: a varying program is kept`);
  }
});

Deno.test("pretrainLambdaWeight reaches the solver's and the proposer's draws: 0 never, 1 about half, 20 nearly always", () => {
  // Two programs of one size: one maps with its lambda variable, one does not.
  const [map, slice] = [
    "function f(xs) { return xs.map((v) => -v); }",
    "function f(xs) { return xs.slice(0, 2); }",
  ];
  const bank = programBank(map, slice);
  const mapToken = (parseProgram(map) as { tokens: number[] }).tokens[1]!;
  assert.ok(!(parseProgram(slice) as { tokens: number[] }).tokens.includes(mapToken));
  const mapShare = (weight: number | undefined) => {
    const opts = { ...OPTS, ...(weight === undefined ? {} : { pretrainLambdaWeight: weight }) };
    const batch = makeBatch(new Rng(4), bank, ["deduction", "propose_deduction"], 200, opts);
    // The drawn program is in the deduction prompt, and it is the proposer's target.
    return batch.filter((e) => (e.view === "deduction" ? e.prompt : e.target).includes(mapToken))
      .length / batch.length;
  };
  assert.equal(mapShare(0), 0);
  const uniform = mapShare(undefined);
  assert.ok(uniform > 0.35 && uniform < 0.65, `weight 1: ${uniform}`);
  assert.equal(mapShare(1), uniform);
  assert.ok(mapShare(20) > 0.9, `weight 20: ${mapShare(20)}`);
});
