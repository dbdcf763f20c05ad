/**
 * Chance levels counted by hand on a hand-written suite (expected values worked out in the
 * comments, not with the code under test), the list-length metric of the eval, and the formatter.
 */
import assert from "node:assert/strict";
import {
  type BaselineReport,
  bestTrivialLevel,
  bestTrivialLevels,
  candidatePrograms,
  type EvalTask,
  evaluateSuites,
  formatChanceTable,
  formatKN,
  listLengthRight,
  parseSuite,
  recordBaselines,
  suiteBaselines,
  suiteBoundsOf,
} from "../../lib/eval/mod.ts";
import { signatureByName, WORLDS } from "../../lib/lang/types.ts";
import { encodeValue } from "../../lib/lang/values.ts";
import type { Policy } from "../../lib/model/policy.ts";
import { createSandbox, type Executor } from "../../lib/sandbox/mod.ts";
import { inductionSplit } from "../../lib/tasks/prompts.ts";
import type { InductionRecord } from "../../lib/tasks/records.ts";

const SMALL = WORLDS.small;

/** One suite line. */
function task(
  id: string,
  kind: EvalTask["task"],
  signature: string,
  body: string,
  examples: [unknown[], unknown][],
  shown?: number,
): string {
  const params = signatureByName(signature)!.paramNames.join(", ");
  return JSON.stringify({
    id,
    task: kind,
    program: `function f(${params}) { return ${body}; }`,
    examples: examples.map(([input, output]) => ({ input, output })),
    shown: shown ?? examples.length,
    signature,
  });
}

const SUITE = parseSuite(
  [
    // ── deduction ──
    // majority: int outputs 3, 3, 7, 6 → mode 3 → d-head, d-length right (2);
    //   int[] outputs [4,4], [2] → tie, the first ([4,4]) → d-reverse right (1). Total 3/6.
    // copy_argument: only d-reverse (xs = [4,4] is its output) and d-max (y = 6) → 2/6; the
    //   (int[]) -> int tasks have no int argument to copy.
    task("d-head", "deduction", "(int[]) -> int", "xs[0]", [[[[3, 1]], 3]]),
    task("d-length", "deduction", "(int[]) -> int", "xs.length", [[[[5, 5, 5]], 3]]),
    task("d-last", "deduction", "(int[]) -> int", "xs.at(-1)", [[[[2, 7]], 7]]),
    task("d-reverse", "deduction", "(int[]) -> int[]", "[...xs].reverse()", [[[[4, 4]], [4, 4]]]),
    task("d-tail", "deduction", "(int[]) -> int[]", "xs.slice(1)", [[[[1, 2]], [2]]]),
    task("d-max", "deduction", "(int, int) -> int", "Math.max(x, y)", [[[2, 6], 6]]),
    // ── abduction ──
    // (int) -> int inputs [2], [2], [-2] → mode [2]: 2·2 = 4 ✓, 2 + 1 = 3 ✓, 2 − 5 = −3 ≠ −7 ✗ → 2.
    // (int[]) -> bool inputs [[0]], [[1]] tie; [[0]]: a-long ✓ (false), a-has-1 ✗ → 1;
    //   [[1]]: a-long ✓ ([1].length > 2 is false), a-has-1 ✓ → 2; the better tie wins → 2.
    // Total 4/5.
    task("a-square", "abduction", "(int) -> int", "x * x", [[[2], 4]]),
    task("a-inc", "abduction", "(int) -> int", "x + 1", [[[2], 3]]),
    task("a-minus-5", "abduction", "(int) -> int", "x - 5", [[[-2], -7]]),
    task("a-long", "abduction", "(int[]) -> bool", "xs.length > 2", [[[[0]], false]]),
    task("a-has-1", "abduction", "(int[]) -> bool", "xs.includes(1)", [[[[1]], true]]),
    // ── induction (4 examples, 2 shown; the held-out pairs decide) ──
    // (int[]) -> int[] candidates xs, sorted, reversed, []:
    //   xs: i-pos only (held out [3,4]→[3,4], [2,1]→[2,1]) → 1
    //   sorted: i-sort ([5,4]→[4,5], []→[]) and i-small3 ([3,1,2]→[1,2,3], [9]→[9]) → 2
    //   reversed: i-sort only → 1;  []: none → best 2.
    // (int) -> int candidates x, 0, 1: i-double none; i-neg-part held out [2]→0, [4]→0 → 0 fits → 1.
    // Total 3/5.
    task("i-sort", "induction", "(int[]) -> int[]", "[...xs].sort((p, q) => p - q)", [
      [[[3, 1]], [1, 3]],
      [[[2]], [2]],
      [[[5, 4]], [4, 5]],
      [[[]], []],
    ], 2),
    task("i-pos", "induction", "(int[]) -> int[]", "xs.filter((v) => v > 0)", [
      [[[1, 2]], [1, 2]],
      [[[-1]], []],
      [[[3, 4]], [3, 4]],
      [[[2, 1]], [2, 1]],
    ], 2),
    task("i-small3", "induction", "(int[]) -> int[]", "[...xs].sort((p, q) => p - q).slice(0, 3)", [
      [[[4, 3, 2, 1]], [1, 2, 3]],
      [[[2, 1]], [1, 2]],
      [[[3, 1, 2]], [1, 2, 3]],
      [[[9]], [9]],
    ], 2),
    task("i-double", "induction", "(int) -> int", "x * 2", [
      [[1], 2],
      [[0], 0],
      [[3], 6],
      [[-2], -4],
    ], 2),
    task("i-neg-part", "induction", "(int) -> int", "Math.min(x, 0)", [
      [[-1], -1],
      [[5], 0],
      [[2], 0],
      [[4], 0],
    ], 2),
  ].join("\n"),
  "hand.jsonl",
  suiteBoundsOf("small"),
);
const HAND = [{ name: "hand", path: "hand.jsonl", tasks: SUITE }];

Deno.test("baselines: hand-counted chance levels of a hand-written suite", async () => {
  await using executor = await createSandbox({ poolSize: 1 });
  const b = await suiteBaselines(executor, HAND, { bounds: SMALL });
  assert.deepEqual(b, {
    deduction: [
      { name: "majority", kind: "trivial", k: 3, n: 6 },
      { name: "copy_argument", kind: "trivial", k: 2, n: 6 },
    ],
    abduction: [{ name: "common_input", kind: "trivial", k: 4, n: 5 }],
    induction: [{ name: "best_program", kind: "trivial", k: 3, n: 5 }],
  });
  // `limit` keeps the first task of each type: d-head (majority of one: right; nothing to
  // copy), a-square (its own input), i-sort (sorted or reversed reproduce it).
  const one = await suiteBaselines(executor, HAND, { bounds: SMALL, limit: 1 });
  assert.deepEqual(one, {
    deduction: [{ name: "majority", kind: "trivial", k: 1, n: 1 }, {
      name: "copy_argument",
      kind: "trivial",
      k: 0,
      n: 1,
    }],
    abduction: [{ name: "common_input", kind: "trivial", k: 1, n: 1 }],
    induction: [{ name: "best_program", kind: "trivial", k: 1, n: 1 }],
  });
  // no tasks of a type: an empty list
  assert.deepEqual(await recordBaselines(executor, [], { bounds: SMALL }), {
    deduction: [],
    abduction: [],
    induction: [],
  });
});

Deno.test("baselines: the enumerative search is the strong induction reference", async () => {
  await using executor = await createSandbox({ poolSize: 1 });
  const b = await suiteBaselines(executor, HAND, { bounds: SMALL, searchEvals: 5_000 });
  const search = b.induction[1]!;
  assert.equal(search.name, "search@5000");
  assert.equal(search.kind, "search");
  assert.deepEqual(b.induction.map((x) => x.kind), ["trivial", "search"]);
  assert.equal(search.n, 5);
  // x * 2 (or x + x) and sort/reverse are within 5,000 evaluations of the shown pairs.
  assert.ok(search.k >= 2 && search.k <= 5, `search solved ${search.k}`);
});

Deno.test("baselines: candidate programs per signature parse and are as documented", () => {
  const c = (s: string) =>
    candidatePrograms(signatureByName(s)!).map((p) => p.slice(p.indexOf("return ") + 7, -3));
  assert.deepEqual(c("(int[]) -> int[]"), [
    "xs",
    "[...xs].sort((p, q) => p - q)",
    "[...xs].reverse()",
    "[]",
  ]);
  assert.deepEqual(c("(int, int) -> int"), ["x", "y", "0", "1"]);
  assert.deepEqual(c("(int[], int) -> int"), ["n", "0", "1", "xs.length", "xs[0]"]);
  assert.deepEqual(c("(int) -> bool"), ["true", "false"]);
  assert.deepEqual(c("(int) -> int[]"), ["[]", "[n]"]);
});

/** A policy that answers the i-th prompt with `answers[i]` (no model). */
function scriptedPolicy(answers: number[][]): Policy {
  return {
    sample: (prompts) =>
      Promise.resolve({
        tokens: prompts.map((_, i) => answers[i]!),
        logprobs: prompts.map((_, i) => answers[i]!.map(() => 0)),
        masks: prompts.map(() => []),
        finished: prompts.map(() => true),
      }),
    logprobs: () => {
      throw new Error("not used");
    },
  };
}

/** Deduction answers are compared in-process: an executor that must not be called. */
const NO_EXECUTOR = {
  run: () => {
    throw new Error("deduction checks run nothing");
  },
} as unknown as Executor;

Deno.test("evaluate: list-length accuracy of list-valued deduction, beside exact match", async () => {
  const suite = parseSuite(
    [
      task("l-rev", "deduction", "(int[]) -> int[]", "[...xs].reverse()", [[[[1, 2, 3]], [
        3,
        2,
        1,
      ]]]),
      task("l-tail", "deduction", "(int[]) -> int[]", "xs.slice(1)", [[[[4, 5, 6]], [5, 6]]]),
      task("l-pos", "deduction", "(int[]) -> int[]", "xs.filter((v) => v > 0)", [[[[1, -1]], [1]]]),
      task("l-head", "deduction", "(int[]) -> int", "xs[0]", [[[[2]], 2]]),
    ].join("\n"),
    "lists.jsonl",
  );
  const enc = (type: "int" | "int[]", v: unknown) => {
    const r = encodeValue(type, v, SMALL);
    assert.ok(r.ok);
    return r.tokens;
  };
  const answers = [
    enc("int[]", [3, 2, 1]), // right list, right length
    enc("int[]", [5, 7]), // wrong list, right length
    enc("int[]", [1, 1]), // wrong list, wrong length
    enc("int", 2), // right int; not a list task
  ];
  const report = await evaluateSuites(
    scriptedPolicy(answers),
    NO_EXECUTOR,
    [{ name: "lists", path: "lists.jsonl", tasks: suite }],
    { ...SMALL, programMaxTokens: 24, inputMaxTokens: 40, searchEvals: 0, baselines: false },
  );
  assert.deepEqual(report.counts, { deduction: { k: 2, n: 4 } });
  assert.equal(report.accuracy.deduction, 0.5);
  // lengths right on l-rev and l-tail; l-head has no list output
  assert.deepEqual(report.listLength, { k: 2, n: 3 });
  assert.deepEqual(report.outcomes.map((o) => o.lengthScore), [1, 1, 0, undefined]);
  assert.deepEqual(report.outcomes.map((o) => o.signature), [
    "(int[]) -> int[]",
    "(int[]) -> int[]",
    "(int[]) -> int[]",
    "(int[]) -> int",
  ]);
  assert.deepEqual(report.baselines, { deduction: [], abduction: [], induction: [] });

  // an unreadable answer is not a list of any length
  const record = {
    task: "deduction" as const,
    program: "function f(xs) { return xs; }",
    tokens: [0],
    signature: "(int[]) -> int[]",
    input: [[1]],
    output: [1],
    step: 0,
  };
  const rollout = (completion: number[]) => ({ completion }) as never;
  assert.equal(listLengthRight({ record, rollout: rollout([]) }), false);
  assert.equal(listLengthRight({ record, rollout: rollout(enc("int[]", [9])) }), true);
  assert.equal(
    listLengthRight({ record: { ...record, task: "abduction" }, rollout: rollout([]) }),
    undefined,
  );
});

Deno.test("baselines: every accuracy printed as k/n (p%) beside the model's", () => {
  assert.equal(formatKN(3, 6), "3/6 (50.0%)");
  assert.equal(formatKN(1, 3), "1/3 (33.3%)");
  assert.equal(formatKN(0, 0), "0/0 (–)");
  const b: BaselineReport = {
    deduction: [
      { name: "majority", kind: "trivial", k: 3, n: 6 },
      { name: "copy_argument", kind: "trivial", k: 2, n: 6 },
    ],
    abduction: [{ name: "common_input", kind: "trivial", k: 4, n: 5 }],
    induction: [],
  };
  assert.equal(
    formatChanceTable(b, { deduction: { k: 1, n: 6 }, abduction: { k: 0, n: 5 } }, {
      deduction: { list_length: { k: 1, n: 2 } },
    }),
    [
      "deduction  model 1/6 (16.7%) · majority 3/6 (50.0%) · copy_argument 2/6 (33.3%) · list_length 1/2 (50.0%)",
      "abduction  model 0/5 (0.0%) · common_input 4/5 (80.0%)",
    ].join("\n"),
  );
});

Deno.test("baselines: induction candidates are judged on the held-out pairs only", async () => {
  // Shown pairs say "identity", the held-out ones say "sorted": only sorted counts.
  const [t] = parseSuite(
    task("i-x", "induction", "(int[]) -> int[]", "[...xs].sort((p, q) => p - q)", [
      [[[1, 2]], [1, 2]],
      [[[2, 1]], [1, 2]],
    ], 1),
    "x.jsonl",
  );
  const record: InductionRecord = {
    task: "induction",
    program: t!.program!,
    tokens: [0],
    signature: t!.signature!,
    examples: t!.examples as InductionRecord["examples"],
    shown: t!.shown,
    step: 0,
  };
  assert.deepEqual(inductionSplit(record).heldOut, [{ input: [[2, 1]], output: [1, 2] }]);
  await using executor = await createSandbox({ poolSize: 1 });
  const b = await recordBaselines(executor, [record], { bounds: SMALL });
  assert.deepEqual(b.induction, [{ name: "best_program", kind: "trivial", k: 1, n: 1 }]);
});

Deno.test("bestTrivialLevel: the highest chance level, the search and empty counts left out", () => {
  const t = (k: number, n: number) => ({ kind: "trivial" as const, k, n });
  const search = { kind: "search" as const, k: 9, n: 10 };
  const cases: [string, Parameters<typeof bestTrivialLevel>[0], number | undefined][] = [
    ["the best of two", [t(1, 4), t(3, 4)], 0.75],
    ["the search is no chance level, even when it scores highest", [t(1, 4), search], 0.25],
    ["a level that counted no task is none", [t(0, 0), t(1, 5)], 0.2],
    ["only the search: no chance level", [search], undefined],
    ["nothing", [], undefined],
  ];
  for (const [what, scores, want] of cases) assert.equal(bestTrivialLevel(scores), want, what);
  // Per task type: a type without a level is left out.
  assert.deepEqual(bestTrivialLevels({ deduction: [t(1, 2)], induction: [search] }), {
    deduction: 0.5,
  });
});
