/**
 * The pre-training report from real tiny runs: report.html is written at the end and holds the
 * final table's k/n from eval.json, the chance levels dashed in the task types' colours; the
 * seeds figure has one mean ± CI band per task type and eval set.
 */
import assert from "node:assert/strict";
import { resolveConfig } from "../../lib/config.ts";
import { formatKN } from "../../lib/eval/baselines.ts";
import { initBackend } from "../../lib/model/backend.ts";
import { TASK_COLORS } from "../../lib/plot/colors.ts";
import { readMetrics } from "../../lib/trainer/metrics.ts";
import { pretrain } from "../../lib/trainer/pretrain.ts";
import {
  chainMetrics,
  pretrainSeedsFigure,
  seedsBands,
  SET_TITLES,
} from "../../lib/trainer/pretrain_report.ts";
import { readRun } from "../../lib/trainer/run_report.ts";
import { PretrainSummarySchema } from "../../lib/trainer/run_files.ts";

await initBackend("wasm", { log: false });

const runsDir = await Deno.makeTempDir();
const cfg = (seed: number) =>
  resolveConfig({
    preset: "tiny",
    overrides: {
      runsDir,
      name: `pt${seed}`,
      seed,
      pretrainSteps: 6,
      pretrainMaxSize: 3,
      pretrainBatch: 8,
      pretrainEvalTasks: 3,
      pretrainEvalEvery: 3,
      evalLimit: 2,
      searchMaxEvals: 200,
      checkpointEvery: 100,
    },
  });
const summaries = [await pretrain(cfg(0)), await pretrain(cfg(1))];

Deno.test({
  name: "pretrain writes report.html with the final table's k/n and chance levels",
  sanitizeResources: false,
  fn: async () => {
    const html = await Deno.readTextFile(`${runsDir}/pt0/report.html`);
    const s = summaries[0]!;
    for (const set of ["generator", "suite"] as const) {
      assert.match(html, new RegExp(SET_TITLES[set]));
      for (const [task, c] of Object.entries(s.counts[set])) {
        assert.ok(html.includes(`model ${formatKN(c.k, c.n)}`), `${set} ${task} model k/n`);
      }
      for (const b of s.baselines[set].deduction!) {
        assert.ok(html.includes(`${b.name} ${formatKN(b.k, b.n)}`), `${set} ${b.name}`);
      }
    }
    assert.match(html, /Loss per view/);
    assert.match(html, /target tokens seen/);
    assert.match(html, /by program size/);
    assert.match(html, /Examples per second/);
    assert.match(html, /generator train split/);
    // Chance levels: dashed rules, each in a task type's colour.
    const dashed = [...html.matchAll(/<g[^>]*stroke-dasharray="4,3"[^>]*>(.*?)<\/g>/g)]
      .map((m) => m[1]!).join("");
    assert.ok(Object.values(TASK_COLORS).some((c) => dashed.includes(c)), "a coloured chance rule");
  },
});

Deno.test("the seeds figure draws one band per task type and eval set, labelled, standalone", async () => {
  const runs = [];
  for (const name of ["pt0", "pt1"]) {
    const run = await readRun(`${runsDir}/${name}`);
    assert.equal(run.kind, "pretrain");
    runs.push({
      name,
      metrics: await readMetrics(`${runsDir}/${name}/metrics.jsonl`),
      ...(run.kind === "pretrain" ? { summary: run.summary } : {}),
    });
  }
  const svg = pretrainSeedsFigure(runs);
  assert.match(svg, /^<svg/, "standalone: no <figure> wrapper");
  const areas = svg.match(
    /<g[^>]*aria-label="area"[^>]*>(.*?)<\/g><\/g>|<g[^>]*aria-label="area"[^>]*>(.*?)<\/g>/s,
  )?.[0] ?? "";
  const bands = areas.match(/<path/g)?.length ?? 0;
  assert.equal(bands, 3 * 3, "3 task types × 3 eval sets (held-out, train split, suites)");
  for (const [task, color] of Object.entries(TASK_COLORS)) {
    assert.ok(areas.includes(`fill="${color}"`), `${task}'s band in its colour`);
    assert.match(svg, new RegExp(`>${task}</text>`));
  }
});

Deno.test("a summary written before baselines carried their kind reads with it (the first shipped base's)", async () => {
  // data/base/summary.json as shipped before kinds (and the train split) existed.
  const file = new URL("./fixtures/summary_before_kinds.json", import.meta.url);
  const raw = JSON.parse(await Deno.readTextFile(file));
  const summary = PretrainSummarySchema.parse(raw);
  assert.equal(summary.baselines.train, undefined);
  for (const set of ["generator", "suite"] as const) {
    const induction = summary.baselines[set].induction!;
    // Kinds as the baselines meant them, whether the file holds them or predates them.
    assert.deepEqual(
      induction.map((b) => [b.name.replace(/@\d+$/, "@N"), b.kind]),
      [["best_program", "trivial"], ["search@N", "search"]],
    );
  }
});

Deno.test("a base pre-trained in two phases reads as one curve from random weights", () => {
  const first = [
    { step: 0, "pretrain/tokens": 10, "time/minutes": 0.5 },
    { step: 1, "pretrain/tokens": 20, "time/minutes": 1, "eval/generator/deduction": 0.3 },
    { step: 2, "pretrain/tokens": 30, "time/minutes": 1.5 }, // after the checkpoint: dropped
  ];
  const second = [
    { step: 0, "pretrain/tokens": 5, "time/minutes": 0.25 },
    { step: 1, "pretrain/tokens": 9, "time/minutes": 0.5, "eval/generator/deduction": 0.4 },
  ];
  const chained = chainMetrics(first, 1, second);
  assert.deepEqual(chained.map((m) => m.step), [0, 1, 2, 3]);
  assert.deepEqual(chained.map((m) => m["pretrain/tokens"]), [10, 20, 25, 29]);
  assert.deepEqual(chained.map((m) => m["time/minutes"]), [0.5, 1, 1.25, 1.5]);
  assert.equal(chained[3]!["eval/generator/deduction"], 0.4);
  assert.throws(() => chainMetrics(first, 7, second), /logged no step 7/);
});

Deno.test("the seeds figure can keep only the evals every run made", () => {
  const run = (name: string, evals: [number, number][]) => ({
    name,
    metrics: evals.map(([step, acc]) => ({
      step,
      "pretrain/tokens": 100 * (step + 1),
      "eval/generator/deduction": acc,
    })),
  });
  // Seed 0 evaluated at steps 0, 1 and 3; seed 1 at 1 and 3 only.
  const runs = [run("s0", [[0, 0.9], [1, 0.2], [3, 0.6]]), run("s1", [[1, 0.4], [3, 0.6]])];
  const at = (everyRun: boolean) =>
    seedsBands(runs, { sets: ["generator"], everyRun }).points.map((p) => [
      p.step,
      Number(p.mean.toFixed(6)),
    ]);
  assert.deepEqual(at(false), [[100, 0.9], [200, 0.3], [400, 0.6]]);
  assert.deepEqual(at(true), [[200, 0.3], [400, 0.6]]);
});
