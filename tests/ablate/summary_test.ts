/**
 * summarizeGrid / summaryTable on hand-written run folders: every expected number below is worked
 * out by hand in the comments, not computed by the code under test.
 */
import assert from "node:assert/strict";
import { type Grid, GridSchema, summarizeGrid, summaryTable } from "../../lib/ablate/mod.ts";

const grid: Grid = GridSchema.parse({
  name: "g",
  description: "hand-made",
  preset: "tiny",
  variants: [
    { name: "a", description: "three seeds" },
    { name: "b", description: "one of three finished" },
    { name: "c", description: "nothing finished" },
  ],
});

async function writeRun(
  dir: string,
  name: string,
  summary: object | undefined,
  metrics: object[],
): Promise<void> {
  await Deno.mkdir(`${dir}/${name}`, { recursive: true });
  if (summary) {
    await Deno.writeTextFile(`${dir}/${name}/summary.json`, JSON.stringify({ name, ...summary }));
  }
  await Deno.writeTextFile(
    `${dir}/${name}/metrics.jsonl`,
    metrics.map((m) => JSON.stringify(m)).join("\n") + "\n",
  );
}

const near = (a: number | undefined, b: number, what: string) =>
  assert.ok(a !== undefined && Math.abs(a - b) < 1e-4, `${what}: got ${a}, expected ${b}`);

Deno.test("summarizeGrid: means, t-intervals, seeds and curves against a hand computation", async () => {
  const dir = await Deno.makeTempDir({ prefix: "azr-summary-" });
  try {
    // Variant a: deduction 0.2/0.4/0.6 → mean 0.4, sd 0.2, ci = 4.303 · 0.2/√3 = 0.49687.
    // induction 0.5 everywhere → ci 0. steps 10/20/30 → mean 20. stepsPerS 1/2/3 → mean 2, ci 2.4843.
    const deduction = [0.2, 0.4, 0.6];
    for (let s = 0; s < 3; s++) {
      await writeRun(dir, `g-a-s${s}`, {
        step: 10 * (s + 1),
        seconds: 10,
        stepsPerS: s + 1,
        eval: { deduction: deduction[s], induction: 0.5 },
        evalSearch: { induction: 0.25 },
        evalGenerator: { induction: 0.1 },
      }, [
        { step: -1, "eval/suite/deduction": 0 },
        { step: 0, "loss/x": 1 },
        {
          step: 4,
          "eval/suite/deduction": deduction[s]! / 2,
          "eval/suite/induction": 0.5,
          // Another eval set is a column of its own; its sizes and list lengths are not columns.
          "eval/generator/deduction": 0.3,
          "eval/generator/deduction/size3": 1,
          "eval/suite/list_length": 1,
        },
      ]);
    }
    // Variant b: only seed 1 finished (seed 0 crashed: metrics but no summary; seed 2 never started).
    // Its metrics are in the keys runs wrote before the eval sets' one scheme: read as the suites'.
    await writeRun(dir, "g-b-s0", undefined, [{ step: -1, "eval/acc/deduction": 0.9 }]);
    await writeRun(dir, "g-b-s1", {
      step: 7,
      seconds: 7,
      stepsPerS: 1,
      eval: { deduction: 0.1, induction: 0 },
    }, [
      { step: -1, "eval/acc/deduction": 0.1 },
    ]);

    const s = await summarizeGrid(grid, 3, dir);
    assert.equal(s.grid, "g");
    assert.equal(s.preset, "tiny");
    assert.deepEqual(s.variants.map((v) => [v.variant, v.seeds]), [["a", 3], ["b", 1], ["c", 0]]);
    const [a, b, c] = s.variants as [
      typeof s.variants[0],
      typeof s.variants[0],
      typeof s.variants[0],
    ];
    near(a.eval.deduction?.mean, 0.4, "a deduction mean");
    near(a.eval.deduction?.ci95, 0.49687, "a deduction ci");
    near(a.eval.induction?.mean, 0.5, "a induction mean");
    near(a.eval.induction?.ci95, 0, "a induction ci");
    near(a.finalStep.mean, 20, "a final step");
    near(a.stepsPerS.ci95, 4.303 * 1 / Math.sqrt(3), "a steps/s ci");
    near(a.evalSearch.induction?.mean, 0.25, "a search");
    near(a.eval["generator/deduction"]?.mean, 0.3, "a generator set, from its last periodic eval");
    near(a.eval["generator/induction"]?.mean, 0.1, "its final eval, where summary.json has one");
    near(a.eval["generator/deduction"]?.ci95, 0, "a generator set ci");
    assert.deepEqual(Object.keys(a.eval), [
      "deduction",
      "induction",
      "generator/deduction",
      "generator/induction",
    ]);
    near(b.eval.deduction?.mean, 0.1, "b deduction");
    assert.ok(Number.isNaN(b.eval.deduction?.ci95), "one seed: no interval");
    assert.deepEqual(c.eval, {});
    assert.ok(Number.isNaN(c.finalStep.mean));

    // Curves: only finished runs count (b-s0's 0.9 must not appear).
    // a @−1: deduction 0,0,0; a @4: deduction 0.1/0.2/0.3 → 0.2 ± 4.303·0.1/√3 = 0.24843; induction 0.5.
    const pts = s.curves.map((p) => `${p.variant} ${p.task} ${p.step}`);
    assert.deepEqual(pts, [
      "a deduction -1",
      "a deduction 4",
      "a generator/deduction 4",
      "a induction 4",
      "b deduction -1",
    ]);
    const a4 = s.curves[1]!;
    near(a4.mean, 0.2, "curve mean");
    assert.equal(a4.seeds, 3);
    near(a4.hi - a4.mean, 0.24843, "curve band");
    near(a4.mean - a4.lo, 0.24843, "curve band");
    const b0 = s.curves[4]!;
    assert.deepEqual([b0.mean, b0.lo, b0.hi], [0.1, 0.1, 0.1], "one seed: a band of zero width");
    assert.equal(b0.seeds, 1);

    // The table: percentages with one decimal, "–" where nothing finished.
    const table = summaryTable(s);
    const lines = table.trim().split("\n");
    assert.equal(
      lines[0],
      "| variant | seeds | deduction % | induction % | generator/deduction % | generator/induction % | final step | steps/s |",
    );
    assert.equal(
      lines[2],
      "| a | 3 | 40.0 ± 49.7 | 50.0 ± 0.0 | 30.0 ± 0.0 | 10.0 ± 0.0 | 20 | 2.000 |",
    );
    assert.equal(lines[3], "| b | 1 | 10.0 | 0.0 | – | – | 7 | 1.000 |");
    assert.equal(lines[4], "| c | 0 | – | – | – | – | – | – |");
    assert.match(table, /Enumerative-search baseline on the same suites: induction 25\.0 ± 0\.0 %/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("summarizeGrid with pairedWith: each variant against it on the same tasks, seed by seed", async () => {
  const dir = await Deno.makeTempDir({ prefix: "azr-paired-" });
  const pairedGrid = GridSchema.parse({
    name: "p",
    preset: "tiny",
    pairedWith: "base",
    variants: [{ name: "base" }, { name: "rl" }, { name: "late", description: "one seed" }],
  });
  const outcome = (id: string, task: string, score: number) => ({
    suite: "s",
    id,
    task,
    score,
    answer: "",
  });
  /** A finished cell: summary, metrics, eval.json with these deduction scores on t0..t3. */
  const cell = async (name: string, suite: number[], generator?: number[]) => {
    await writeRun(dir, name, { step: 1, seconds: 1, stepsPerS: 1, eval: {} }, [{ step: 0 }]);
    const eval_ = {
      step: 1,
      outcomes: suite.map((x, i) => outcome(`t${i}`, "deduction", x)),
      ...(generator
        ? {
          generator: {
            accuracy: {},
            counts: {},
            baselines: {},
            listLength: { k: 0, n: 0 },
            outcomes: generator.map((x, i) => outcome(`g${i}`, "deduction", x)),
          },
        }
        : {}),
    };
    await Deno.writeTextFile(`${dir}/${name}/eval.json`, JSON.stringify(eval_));
  };
  try {
    await cell("p-base-s0", [0, 1, 0, 0], [0, 0]);
    await cell("p-base-s1", [0, 1, 0, 0], [0, 0]);
    // rl: seed 0 gains t0 (+1/4), seed 1 gains t0 and t2 and loses t1 (+1/4): mean +0.25.
    await cell("p-rl-s0", [1, 1, 0, 0], [1, 0]);
    await cell("p-rl-s1", [1, 0, 1, 0], [1, 1]);
    // late: only seed 1 finished, no generator set: paired on seed 1 alone.
    await cell("p-late-s1", [0, 0, 0, 0]);
    const s = await summarizeGrid(pairedGrid, 2, dir);
    const rows = (s.paired ?? []).map((
      r,
    ) => [r.variant, r.set, r.task, r.diff.seeds, r.diff.tasks]);
    assert.deepEqual(rows, [
      ["rl", "suite", "deduction", 2, 4],
      ["rl", "generator", "deduction", 2, 2],
      ["late", "suite", "deduction", 1, 4],
    ]);
    const [suite, generator, late] = s.paired!;
    assert.equal(suite!.diff.mean, 0.25);
    assert.equal(suite!.diff.variant, 0.5);
    assert.equal(suite!.diff.base, 0.25);
    // Generator: seed 0 +1/2, seed 1 +1 → +0.75.
    assert.equal(generator!.diff.mean, 0.75);
    assert.equal(late!.diff.mean, -0.25);
    assert.ok(suite!.diff.lo <= 0.25 && suite!.diff.hi >= 0.25);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
