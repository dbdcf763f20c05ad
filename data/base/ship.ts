/**
 * Ships a base model: copies the weights-only checkpoint of one pre-training run (its `base/`
 * folder) into `data/base/`, with that run's metrics and summary, and writes what the seeds
 * measured together: `seeds.json` / `seeds.md` (final greedy accuracy per eval set and task type,
 * mean ± 95% CI over the runs, beside every chance level) and `curves.svg` (accuracy against
 * tokens, mean ± CI band per task type, chance levels dashed).
 *
 *   deno run -A data/base/ship.ts runs/base/base-s0 runs/base/base-s1 runs/base/base-s2
 *
 * The first run's weights are the ones shipped. A run folder that holds `eval-heldout.json` (the
 * output of `deno task eval --checkpoint RUN --set heldout --bestOf 16 --proposals 256 --json`)
 * adds induction best-of-16 beside the search at 16 program checks, and the proposer check.
 *
 * A base pre-trained in phases (a run started with `--pretrainInit` from another run's
 * checkpoint) is given as `RUN,PREVIOUS_RUN,…` (latest first): the curve then runs from random
 * weights through each phase (up to the checkpoint the next started from) and on through the last.
 *
 *   deno run -A data/base/ship.ts runs/base-s0,runs/base-anneal-s0,runs/base-deduction-s0 …
 * @module
 */
import { meanCI } from "../../lib/stats.ts";
import { TASK_TYPES } from "../../lib/task_types.ts";
import { type Metrics, readMetrics } from "../../lib/trainer/metrics.ts";
import { chainMetrics, pretrainSeedsFigure } from "../../lib/trainer/pretrain_report.ts";
import { resolveCheckpoint } from "../../lib/trainer/init.ts";
import { readCheckpointMeta } from "../../lib/model/checkpoint.ts";
import { EVAL_SETS } from "../../lib/eval/eval_sets.ts";
import {
  type PretrainSummary,
  PretrainSummarySchema,
  readRunJson,
} from "../../lib/trainer/run_files.ts";
import { z } from "zod";

/** The parts of `deno task eval --json` this script reads. */
const ExtraEvalSchema = z.object({
  bestOf: z.object({
    bestOf: z.object({ k: z.number(), n: z.number() }),
    search: z.object({ k: z.number(), n: z.number() }),
  }).optional(),
  proposals: z.object({
    rows: z.array(z.object({
      task: z.string(),
      n: z.number(),
      valid: z.number(),
      constant: z.number().nullable(),
      distinct: z.number().nullable(),
      sizes: z.record(z.string(), z.number()),
    })),
    bankSizes: z.record(z.string(), z.number()),
    drawnSizes: z.record(z.string(), z.number()),
    // Absent from evals written before the draws' own levels were measured.
    drawn: z.object({ constant: z.number(), distinct: z.number(), n: z.number() }).optional(),
  }).optional(),
});

const OUT = new URL(".", import.meta.url).pathname;
const args = Deno.args.map((a) => a.split(","));
if (args.length === 0 || args.some((a) => a.some((p) => p === ""))) {
  console.error(
    "Usage: deno run -A data/base/ship.ts RUN_DIR[,EARLIER_PHASE_RUN_DIR …] … (the first is shipped)",
  );
  Deno.exit(2);
}
const runs = args.map((a) => a[0]!);

/** A run's JSON file through `schema`: an error naming the file when it is missing or malformed. */
async function required<T>(path: string, schema: z.ZodType<T>): Promise<T> {
  const value = await readRunJson(path, schema);
  if (value === undefined) throw new Error(`Cannot read ${path}: no such file`);
  return value;
}

/**
 * The curve of `dir`, from random weights: its own metrics, after those of `earlier[0]` (the run
 * whose checkpoint `dir` started from) up to that checkpoint's step, and so on back through
 * `earlier`. `offset`: the steps before `dir`'s first.
 */
async function curve(
  dir: string,
  earlier: readonly string[],
): Promise<{ metrics: Metrics[]; offset: number; phase: string }> {
  const own = await readMetrics(`${dir}/metrics.jsonl`);
  const [first, ...rest] = earlier;
  if (first === undefined) return { metrics: own, offset: 0, phase: "" };
  const { pretrainInit } = await required(
    `${dir}/config.json`,
    z.object({ pretrainInit: z.string() }),
  );
  const head = await readCheckpointMeta(await resolveCheckpoint(pretrainInit));
  if (!head.ok) throw new Error(`${dir} started from '${pretrainInit}': ${head.message}`);
  const { name: firstName } = await required(
    `${first}/config.json`,
    z.object({ name: z.string() }),
  );
  const from = (head.meta.config as { name?: unknown }).name;
  if (from !== firstName) {
    throw new Error(
      `${dir} started from '${pretrainInit}', a checkpoint of run '${from}', not of ${first} ('${firstName}')`,
    );
  }
  const step = head.meta.step;
  const before = await curve(first, rest);
  const upTo = before.offset + step;
  return {
    metrics: chainMetrics(before.metrics, upTo, own),
    offset: upTo + 1,
    phase: `, after ${step + 1} steps of ${firstName}${before.phase}`,
  };
}

const summaries: PretrainSummary[] = [];
const extras: z.infer<typeof ExtraEvalSchema>[] = [];
const seedRuns = [];
const phases: string[] = [];
for (const [dir, ...earlier] of args as [string, ...string[]][]) {
  const extra = await readRunJson(`${dir}/eval-heldout.json`, ExtraEvalSchema);
  if (extra !== undefined) extras.push(extra);
  const summary = await required(`${dir}/summary.json`, PretrainSummarySchema);
  summaries.push(summary);
  const { metrics, phase } = await curve(dir, earlier);
  phases.push(phase);
  seedRuns.push({ name: summary.name, metrics, summary });
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
const SET_NAMES: Record<string, string> = {
  generator: "generator held-out",
  train: "generator train split",
  suite: "hand-written suites",
};
for (const set of EVAL_SETS) {
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
      `| ${SET_NAMES[set]} | ${task} | ${pct(mean)} ± ${pct(ci95)} | ${
        levels.map((l) => `${l.name} ${pct(l.mean)}`).join(" · ")
      } | ${above ? "yes" : "no"} |`,
    );
  }
}
// By program size: the generator's held-out and train-split tasks.
lines.push(
  "",
  "Generator accuracy (%) by program size (tokens), mean ± 95% CI over the runs: held-out / train split.",
  "",
  "| task | " + [1, 2, 3, 4, 5].map((k) => `size ${k}`).join(" | ") + " |",
  "|---|" + [1, 2, 3, 4, 5].map(() => "---:").join("|") + "|",
);
const bySizeRows: Record<string, unknown>[] = [];
for (const task of ["deduction", "abduction", "induction"]) {
  const cells = [1, 2, 3, 4, 5].map((size) => {
    const cell = (pick: (s: PretrainSummary) => number | undefined) => {
      const xs = summaries.flatMap((s) => {
        const v = pick(s);
        return v === undefined ? [] : [v];
      });
      return xs.length ? meanCI(xs) : undefined;
    };
    const held = cell((s) => s.bySize[task]?.[String(size)]);
    const train = cell((s) => s.bySizeTrain?.[task]?.[String(size)]);
    bySizeRows.push({ task, size, held, train });
    const f = (m?: { mean: number; ci95: number }) =>
      m ? `${pct(m.mean)}${Number.isFinite(m.ci95) ? ` ± ${pct(m.ci95)}` : ""}` : "—";
    return `${f(held)} / ${f(train)}`;
  });
  lines.push(`| ${task} | ${cells.join(" | ")} |`);
}

// Induction as a synthesizer, and the proposer check (from eval-heldout.json when present).
const synth = extras.flatMap((e) => (e.bestOf ? [e.bestOf] : []));
if (synth.length) {
  const b = meanCI(synth.map((x) => x.bestOf.k / x.bestOf.n));
  const q = meanCI(synth.map((x) => x.search.k / x.search.n));
  lines.push(
    "",
    `Induction on the generator's held-out tasks as a synthesizer: best-of-16 ${pct(b.mean)} ± ${
      pct(b.ci95)
    }% (${
      synth.map((x) => `${x.bestOf.k}/${x.bestOf.n}`).join(", ")
    }) · the enumerative search at 16 program checks ${pct(q.mean)}% (${
      synth.map((x) => `${x.search.k}/${x.search.n}`).join(", ")
    }).`,
  );
}
const props = extras.flatMap((e) => (e.proposals ? [e.proposals] : []));
if (props.length) {
  lines.push(
    "",
    "Proposals sampled as self-play's seeding stage samples them (mean over the runs, %):",
    "",
    "| task | sampled | valid | constant | distinct | sizes (share of valid) |",
    "|---|---:|---:|---:|---:|---|",
  );
  for (const task of ["deduction", "abduction", "induction"]) {
    const rs = props.flatMap((p) => p.rows.filter((r) => r.task === task));
    const m = (f: (r: (typeof rs)[number]) => number | null) => {
      const xs = rs.map(f).filter((x): x is number => x !== null && Number.isFinite(x));
      return xs.length ? pct(meanCI(xs).mean) : "—";
    };
    const sizes: Record<string, number> = {};
    for (const r of rs) {
      for (const [k, v] of Object.entries(r.sizes)) sizes[k] = (sizes[k] ?? 0) + v / rs.length;
    }
    lines.push(
      `| ${task} | ${rs.reduce((a, r) => a + r.n, 0)} | ${m((r) => r.valid)} | ${
        m((r) => r.constant)
      } | ${m((r) => r.distinct)} | ${
        Object.entries(sizes).map(([k, v]) => `${k}:${pct(v)}`).join(" ")
      } |`,
    );
  }
  const fmt = (r: Record<string, number>) =>
    Object.entries(r).map(([k, v]) => `${k}:${pct(v)}`).join(" ");
  const drawn = props[0]!.drawn;
  lines.push(
    "",
    `The bank's sizes: ${fmt(props[0]!.bankSizes)}; pre-training draws: ${
      fmt(props[0]!.drawnSizes)
    }${
      drawn
        ? `, constant ${pct(drawn.constant)}, distinct ${pct(drawn.distinct)} per ${drawn.n} draws`
        : ""
    }.`,
  );
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
    summaries.map((s, i) =>
      `${s.name} (${s.steps} steps, ${s.tokens} target tokens, ${s.minutes.toFixed(1)} min${
        phases[i]
      })`
    )
      .join("; ")
  }.`,
);
await Deno.writeTextFile(
  `${OUT}seeds.json`,
  JSON.stringify(
    { runs: summaries.map((s) => s.name), rows, bySize: bySizeRows, synth, proposals: props },
    null,
    2,
  ) + "\n",
);
await Deno.writeTextFile(`${OUT}seeds.md`, lines.join("\n") + "\n");
await Deno.writeTextFile(
  `${OUT}curves.svg`,
  pretrainSeedsFigure(seedRuns, { everyRun: true }) + "\n",
);
console.log(lines.join("\n"));
