/**
 * Ships a base model: copies the weights-only checkpoint of one pre-training run (its `base/`
 * folder) into `data/base/`, with that run's metrics and summary, and writes what the seeds
 * measured together: `seeds.json` / `seeds.md` (final greedy accuracy per eval set and task type,
 * mean ± 95% CI over the runs, beside every chance level) and `curves.svg` (accuracy against
 * tokens, mean ± CI band per task type, chance levels dashed).
 *
 *   deno run -A data/base/ship.ts runs/base/base-s0 runs/base/base-s1 runs/base/base-s2
 *
 * The first run's weights are the ones shipped.
 * @module
 */
import { meanCI } from "../../lib/stats.ts";
import { TASK_TYPES } from "../../lib/task_types.ts";
import { readMetrics } from "../../lib/trainer/metrics.ts";
import { pretrainSeedsFigure } from "../../lib/trainer/pretrain_report.ts";
import {
  PRETRAIN_EVAL_SETS,
  type PretrainSummary,
  PretrainSummarySchema,
} from "../../lib/trainer/run_files.ts";

const OUT = new URL(".", import.meta.url).pathname;
const runs = Deno.args;
if (runs.length === 0) {
  console.error("Usage: deno run -A data/base/ship.ts RUN_DIR [RUN_DIR …] (the first is shipped)");
  Deno.exit(2);
}

const summaries: PretrainSummary[] = [];
const seedRuns = [];
for (const dir of runs) {
  // zod: a summary that is missing or malformed is an error naming the file.
  const summary = PretrainSummarySchema.parse(
    JSON.parse(await Deno.readTextFile(`${dir}/summary.json`)),
  );
  summaries.push(summary);
  seedRuns.push({
    name: summary.name,
    metrics: await readMetrics(`${dir}/metrics.jsonl`),
    summary,
  });
}

// The shipped weights, metrics and summary: the first run's.
for (const f of ["model.safetensors", "meta.json"]) {
  await Deno.copyFile(`${runs[0]}/base/${f}`, `${OUT}${f}`);
}
await Deno.copyFile(`${runs[0]}/metrics.jsonl`, `${OUT}metrics.jsonl`);
await Deno.copyFile(`${runs[0]}/summary.json`, `${OUT}summary.json`);

// What the seeds measured together.
const pct = (x: number) => `${(100 * x).toFixed(1)}`;
const rows: Record<string, unknown>[] = [];
const lines = [
  `Final greedy held-out accuracy (%) of ${summaries.length} pre-training runs (seeds), mean ± 95% CI`,
  "(Student t), beside every chance level of the same tasks (the mean over the runs' evals; the",
  "suites' levels are the same for every run). `search@N`: the enumerative search with N candidates.",
  "",
  "| set | task | base | chance levels | base above every trivial level? |",
  "|---|---|---:|---|---|",
];
for (const set of PRETRAIN_EVAL_SETS) {
  for (const task of TASK_TYPES) {
    const acc = summaries.map((s) => s.accuracy[set]?.[task] ?? NaN);
    const { mean, ci95 } = meanCI(acc);
    const names = [
      ...new Set(summaries.flatMap((s) => (s.baselines[set]?.[task] ?? []).map((b) => b.name))),
    ];
    const levels = names.map((name) => {
      const xs = summaries.flatMap((s) => {
        const b = s.baselines[set]?.[task]?.find((x) => x.name === name);
        return b && b.n > 0 ? [b.k / b.n] : [];
      });
      const m = meanCI(xs);
      const kind = summaries.flatMap((s) => s.baselines[set]?.[task] ?? [])
        .find((b) => b.name === name)!.kind;
      return { name, kind, mean: m.mean, ci95: m.ci95 };
    });
    const trivial = levels.filter((l) => l.kind === "trivial");
    // Non-overlapping: the base's lower CI bound above each level's upper bound (a level that is
    // the same in every run has no interval).
    const lo = mean - (Number.isFinite(ci95) ? ci95 : 0);
    const above = trivial.every((l) => lo > l.mean + (Number.isFinite(l.ci95) ? l.ci95 : 0));
    rows.push({ set, task, accuracy: acc, mean, ci95, levels, aboveEveryTrivial: above });
    lines.push(
      `| ${set} | ${task} | ${pct(mean)} ± ${pct(ci95)} | ${
        levels.map((l) => `${l.name} ${pct(l.mean)}`).join(" · ")
      } | ${above ? "yes" : "no"} |`,
    );
  }
}
const ll = summaries.flatMap((s) => {
  const t = s.listLength.suite;
  return t && t.n > 0 ? [t] : [];
});
const llMean = meanCI(ll.map((t) => t.k / t.n));
lines.push(
  "",
  `List-valued deduction answers of the right length (suites): ${pct(llMean.mean)} ± ${
    pct(llMean.ci95)
  }% (${ll.map((t) => `${t.k}/${t.n}`).join(", ")}).`,
  "",
  `Runs: ${
    summaries.map((s) =>
      `${s.name} (${s.steps} steps, ${s.tokens} target tokens, ${s.minutes.toFixed(1)} min)`
    )
      .join("; ")
  }.`,
);
await Deno.writeTextFile(
  `${OUT}seeds.json`,
  JSON.stringify({ runs: summaries.map((s) => s.name), rows }, null, 2) + "\n",
);
await Deno.writeTextFile(`${OUT}seeds.md`, lines.join("\n") + "\n");
await Deno.writeTextFile(`${OUT}curves.svg`, pretrainSeedsFigure(seedRuns) + "\n");
console.log(lines.join("\n"));
