import assert from "node:assert/strict";
import { accuracyBySize, currentMetricKey, evalSetMetrics } from "../../lib/eval/eval_sets.ts";
import type { EvalReport, TaskOutcome } from "../../lib/eval/evaluate.ts";
import { generatorSet, onlyPrograms } from "../../lib/eval/generator_suite.ts";
import { buildBank, splitBank } from "../../lib/lang/generate.ts";
import { WORLDS } from "../../lib/lang/types.ts";
import { resolveConfig } from "../../lib/config.ts";

const outcome = (task: TaskOutcome["task"], score: number, size?: number): TaskOutcome => ({
  suite: "s",
  id: `${task}-${score}`,
  task,
  score,
  answer: "",
  ...(size === undefined ? {} : { size }),
});

/** A report with the fields the metrics read; the rest empty. */
function report(outcomes: TaskOutcome[], extra: Partial<EvalReport> = {}): EvalReport {
  return {
    accuracy: { deduction: 0.5, induction: 0 },
    searchAccuracy: {},
    counts: {},
    baselines: {
      deduction: [
        { name: "majority", kind: "trivial", k: 1, n: 4 },
        { name: "copy_argument", kind: "trivial", k: 2, n: 4 },
      ],
      abduction: [],
      induction: [{ name: "search@10", kind: "search", k: 3, n: 4 }],
    },
    listLength: { k: 3, n: 4 },
    perSuite: {},
    notExpressible: [],
    outcomes,
    ...extra,
  };
}

Deno.test("accuracyBySize: mean score per task type and size, outcomes without a size skipped", () => {
  const r = report([
    outcome("deduction", 1, 2),
    outcome("deduction", 0, 2),
    outcome("deduction", 1, 4),
    outcome("deduction", 1), // a suite task whose program the language does not parse
    outcome("induction", 0, 3),
  ]);
  assert.deepEqual(accuracyBySize(r), {
    deduction: { 2: 0.5, 4: 1 },
    induction: { 3: 0 },
  });
});

Deno.test("evalSetMetrics: eval/<set>/<task>, sizes, list length, and chance only when asked", () => {
  const r = report([outcome("deduction", 1, 2), outcome("deduction", 0, 5)]);
  assert.deepEqual(evalSetMetrics("generator", r), {
    "eval/generator/deduction": 0.5,
    "eval/generator/induction": 0,
    "eval/generator/deduction/size2": 1,
    "eval/generator/deduction/size5": 0,
    "eval/generator/list_length": 0.75,
  });
  const withChance = evalSetMetrics("suite", r, { chance: true });
  // The best trivial level (copy_argument's 2/4); the search is no chance level.
  assert.equal(withChance["chance/suite/deduction"], 0.5);
  assert.equal(withChance["chance/suite/induction"], undefined);
  assert.equal(withChance["eval/suite/deduction"], 0.5);
  // No list-valued deduction: no list-length metric.
  assert.equal(
    evalSetMetrics("train", report([], { listLength: { k: 0, n: 0 } }))["eval/train/list_length"],
    undefined,
  );
});

Deno.test("currentMetricKey: the keys older runs wrote read under the one scheme", () => {
  const cases: [string, string][] = [
    ["eval/acc/deduction", "eval/suite/deduction"],
    ["chance/abduction", "chance/suite/abduction"],
    ["acc/generator/induction", "eval/generator/induction"],
    ["acc/generator/deduction/size4", "eval/generator/deduction/size4"],
    ["acc/train/list_length", "eval/train/list_length"],
    ["acc/suite/abduction", "eval/suite/abduction"],
    // Already current, or not an eval key: unchanged.
    ["eval/generator/deduction", "eval/generator/deduction"],
    ["chance/generator/deduction", "chance/generator/deduction"],
    ["acc/solve/deduction", "acc/solve/deduction"],
    ["chance/other", "chance/other"],
    ["pretrain/loss", "pretrain/loss"],
  ];
  for (const [old, now] of cases) assert.equal(currentMetricKey(old), now, old);
});

Deno.test("generatorSet: the config's seeds draw the set, each task carries its program's size", () => {
  const bank = buildBank({
    world: WORLDS.small,
    maxSize: 3,
    signatures: ["(int) -> int", "(int[]) -> int"],
  });
  const cfg = resolveConfig({ preset: "tiny" });
  const split = {
    train: splitBank(bank, "train", 0.3),
    heldout: splitBank(bank, "heldout", 0.3),
  };
  const a = generatorSet(split, "generator", 5, cfg);
  const b = generatorSet(split, "generator", 5, cfg);
  assert.deepEqual(a, b, "one seed, one set");
  const other = generatorSet(split, "generator", 5, { ...cfg, generatorEvalSeed: 7 });
  assert.notDeepEqual(other.tasks, a.tasks, "another seed draws other tasks");
  const train = generatorSet(split, "train", 5, cfg);
  assert.equal(train.name, "train");
  for (const t of [...a.tasks, ...train.tasks]) {
    assert.ok(t.size !== undefined && t.size >= 1 && t.size <= 3, `${t.id}: size ${t.size}`);
    assert.ok(t.id.endsWith(`-s${t.size}`), t.id);
  }
});

Deno.test("--programs lambda: the generator sets draw only programs that use a lambda variable", () => {
  const bank = buildBank({ world: WORLDS.small, maxSize: 4, signatures: ["(int[]) -> int[]"] });
  const split = { train: splitBank(bank, "train", 0.3), heldout: splitBank(bank, "heldout", 0.3) };
  const cfg = resolveConfig({ preset: "tiny" });
  // A lambda variable after an arrow, read off the rendered source (not the token predicate).
  const usesVariable = (src: string | undefined) => /=>.*\b[via]\b/.test(src ?? "");
  for (const set of ["generator", "train"] as const) {
    const all = generatorSet(split, set, 40, cfg).tasks;
    const lambda = generatorSet(onlyPrograms(split, "lambda"), set, 40, cfg).tasks;
    assert.ok(lambda.length >= 40, `${set}: ${lambda.length} tasks`);
    assert.ok(lambda.every((t) => usesVariable(t.program)), set);
    assert.ok(all.some((t) => !usesVariable(t.program)), `${set}: the plain set has others`);
  }
  assert.equal(onlyPrograms(split, "all"), split);
});
