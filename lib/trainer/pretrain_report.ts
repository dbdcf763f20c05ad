/**
 * A pre-training run's `report.html`, and the figure of several runs (seeds) of it.
 *
 * The page: the loss per view over steps (EMA over the faint raw line), held-out accuracy per
 * task type against target tokens seen for each eval set (the generator's held-out behaviours
 * and the world's hand-written suites) with each type's best trivial chance level dashed in its
 * colour, accuracy by program size, the final eval's table per set (`model k/n · majority k/n ·
 * …`), the list-length accuracy and the learning rate. {@linkcode pretrainSeedsFigure} draws
 * the accuracy-against-tokens figure for several runs as mean ± 95% CI bands, as a standalone
 * SVG (e.g. `data/base/curves.svg`).
 *
 * @example
 * ```ts
 * import { readMetrics } from "./metrics.ts";
 * import { pretrainSeedsFigure } from "./pretrain_report.ts";
 * const runs = [];
 * for (const name of ["base-s0", "base-s1", "base-s2"]) {
 *   runs.push({ name, metrics: await readMetrics(`runs/base/${name}/metrics.jsonl`) });
 * }
 * await Deno.writeTextFile("data/base/curves.svg", pretrainSeedsFigure(runs));
 * ```
 * @module
 */
import { meanCI } from "../stats.ts";
import {
  bandChart,
  type BandPoint,
  lineChart,
  metricSeries,
  type ReferenceLevel,
  type SeriesPoint,
} from "../plot/charts.ts";
import { escapeHtml as esc } from "../plot/display.ts";
import type { Metrics } from "./metrics.ts";
import { bestChance, REPORT_SMOOTHING, stepsDone } from "./report.ts";
import { evalSize, evalTableHtml, reportPage, section } from "./report_html.ts";
import { EVAL_SETS, type PretrainSetName as EvalSetName } from "../eval/eval_sets.ts";
import type { EvalTables, PretrainEvalFinal, PretrainSummary } from "./run_files.ts";

/** How the figures title each set. */
export const SET_TITLES: Record<EvalSetName, string> = {
  generator: "generator held-out",
  train: "generator train split",
  suite: "hand-written suites",
};

/** Inputs of {@linkcode renderPretrainReport}. */
export interface PretrainReportInput {
  name: string;
  config: Record<string, unknown>;
  metrics: readonly Metrics[];
  /** The run's `eval.json`, when it finished. */
  evalFinal?: PretrainEvalFinal | undefined;
  /** The run's `summary.json`, when it finished. */
  summary?: PretrainSummary | undefined;
}

/** The eval tables of one set: eval.json's, else rebuilt from summary.json. */
function setTables(
  set: EvalSetName,
  evalFinal?: PretrainEvalFinal,
  summary?: PretrainSummary,
): EvalTables | undefined {
  if (evalFinal) return evalFinal[set];
  if (!summary?.counts[set] || !summary.baselines[set]) return undefined;
  return {
    accuracy: summary.accuracy[set] ?? {},
    counts: summary.counts[set],
    baselines: summary.baselines[set],
    listLength: summary.listLength[set] ?? { k: 0, n: 0 },
  };
}

/**
 * Records with `pretrain/tokens` carried forward to those without it (the final eval after a
 * stop is logged on a record of its own).
 */
export function withTokens(metrics: readonly Metrics[]): Metrics[] {
  let tokens: number | undefined;
  return metrics.map((m) => {
    const t = m["pretrain/tokens"];
    if (typeof t === "number") tokens = t;
    return typeof t !== "number" && tokens !== undefined ? { ...m, "pretrain/tokens": tokens } : m;
  });
}

/**
 * One curve from a base pre-trained in two runs (phases): `first`'s records up to step `upTo`
 * (the checkpoint `second` started from), then `second`'s with its steps, target tokens and
 * minutes counted on from there. `first` must have logged step `upTo`.
 */
export function chainMetrics(
  first: readonly Metrics[],
  upTo: number,
  second: readonly Metrics[],
): Metrics[] {
  const head = withTokens(first).filter((m) => m.step <= upTo);
  const at = head.findLast((m) => m.step === upTo);
  if (!at) throw new Error(`chainMetrics: the first phase logged no step ${upTo}`);
  const offset = (m: Metrics, key: string) =>
    typeof m[key] === "number" ? { [key]: (m[key] as number) + (Number(at[key]) || 0) } : {};
  return [
    ...head,
    ...second.map((m) => ({
      ...m,
      step: m.step + upTo + 1,
      ...offset(m, "pretrain/tokens"),
      ...offset(m, "time/minutes"),
    })),
  ];
}

/** Held-out accuracy per task type of one set against target tokens seen (x = `pretrain/tokens`). */
export function accuracyPoints(metrics: readonly Metrics[], set: EvalSetName): SeriesPoint[] {
  return metricSeries(withTokens(metrics), `eval/${set}/`, { x: "pretrain/tokens" })
    .filter((p) => !p.series.includes("/") && p.series !== "list_length");
}

/** Accuracy by program size from the last record that has it (`eval/generator/<type>/size<k>`). */
export function accuracyBySizePoints(metrics: readonly Metrics[]): SeriesPoint[] {
  const pattern = /^eval\/(generator|train)\/(\w+)\/size(\d+)$/;
  const last = [...metrics].reverse().find((m) => Object.keys(m).some((k) => pattern.test(k)));
  if (!last) return [];
  return Object.entries(last).flatMap(([k, v]) => {
    const m = pattern.exec(k);
    if (!m || typeof v !== "number") return [];
    const series = m[1] === "train" ? `${m[2]!} (train split)` : m[2]!;
    return [{ step: Number(m[3]), series, value: v }];
  });
}

/** Renders a pre-training run's report page. */
export function renderPretrainReport(opts: PretrainReportInput): string {
  const { metrics, evalFinal, summary } = opts;
  const done = stepsDone(metrics);
  const steps = done.reduce((s, m) => Math.max(s, m.step), 0);
  const tokens = metrics.reduce((s, m) => Math.max(s, Number(m["pretrain/tokens"]) || 0), 0);
  const smooth = REPORT_SMOOTHING;

  // Loss: every view, and all views together.
  const loss = [
    ...metricSeries(done, "pretrain/loss/"),
    ...metricSeries(done, ["pretrain/loss"]).map((p) => ({ ...p, series: "all views" })),
  ];
  const sections = [
    section(
      "Loss per view (nats per target token)",
      lineChart(loss, { smooth, xLabel: "steps done", yLabel: "loss" }),
    ),
  ];
  for (const set of EVAL_SETS) {
    const points = accuracyPoints(metrics, set);
    const tables = setTables(set, evalFinal, summary);
    sections.push(section(
      `Held-out accuracy per task type: ${SET_TITLES[set]}`,
      points.length
        ? lineChart(points, {
          yDomain: [0, 1],
          xLabel: "target tokens seen",
          yLabel: "accuracy",
          rules: tables ? bestChance(tables.baselines) : [],
        })
        : `<p class="note">No eval yet (pretrainEvalEvery = ${
          esc(String(opts.config.pretrainEvalEvery))
        }).</p>`,
      `Greedy answers, checked in the sandbox${
        tables ? "; dashed: each task type's best chance level on the same tasks" : ""
      }.`,
    ));
  }
  const bySize = accuracyBySizePoints(metrics);
  if (bySize.length) {
    sections.push(section(
      "Generator accuracy by program size: held-out behaviours, and the train split",
      lineChart(bySize, { yDomain: [0, 1], xLabel: "program size (tokens)", yLabel: "accuracy" }),
      "At the last eval.",
    ));
  }
  const finalTables = EVAL_SETS.flatMap((set) => {
    const t = setTables(set, evalFinal, summary);
    return t
      ? [
        `<h3>${esc(SET_TITLES[set])}</h3><p class="note">${
          evalSize(t)
        } queries (induction: tasks)</p>${evalTableHtml(t)}`,
      ]
      : [];
  });
  if (finalTables.length) {
    const at = evalFinal?.step ?? summary?.steps;
    sections.push(section(
      `Final held-out eval${at !== undefined ? ` after ${at} steps` : ""}`,
      finalTables.join("\n"),
      "The model's k/n (p%) beside the chance levels of the same tasks and the enumerative search (search@N).",
    ));
  }
  const lengths = [
    ...EVAL_SETS.flatMap((set) =>
      metricSeries(withTokens(metrics), [`eval/${set}/list_length`], { x: "pretrain/tokens" })
        .map((p) => ({ ...p, series: SET_TITLES[set] }))
    ),
  ];
  if (lengths.length) {
    sections.push(section(
      "List-length accuracy (list-valued deduction)",
      lineChart(lengths, { yDomain: [0, 1], xLabel: "target tokens seen", yLabel: "right length" }),
      "How often a list answer has the right length, whatever its elements.",
    ));
  }
  const speed = metricSeries(done, ["perf/examples_per_s"]).map((p) => ({
    ...p,
    series: "examples/s",
  }));
  if (speed.length) {
    sections.push(section(
      "Examples per second",
      lineChart(speed, { smooth, xLabel: "steps done", yLabel: "examples/s", legend: false }),
      "Data generation and the update; steps with an eval are slower.",
    ));
  }
  sections.push(section(
    "Learning rate",
    lineChart(metricSeries(done, ["pretrain/lr"]).map((p) => ({ ...p, series: "lr" })), {
      xLabel: "steps done",
      legend: false,
    }),
  ));
  const body = `<h1>Pre-training run <code>${esc(opts.name)}</code></h1>
<p>${steps} steps done, ${tokens.toLocaleString("en-US")} target tokens${
    summary ? `, ${summary.minutes.toFixed(1)} minutes` : " (not finished: no final eval yet)"
  }. Generated by azr-kit from <code>metrics.jsonl</code>${
    evalFinal ? ", <code>eval.json</code>" : ""
  }${summary ? " and <code>summary.json</code>" : ""}.</p>
${sections.join("\n")}
<h2>Config</h2><pre>${esc(JSON.stringify(opts.config, null, 2))}</pre>`;
  return reportPage(`azr-kit pre-training ${opts.name}`, body);
}

/** One run of {@linkcode pretrainSeedsFigure}. */
export interface SeedRun {
  name: string;
  metrics: readonly Metrics[];
  /** Its `summary.json` (for the chance levels), when it finished. */
  summary?: PretrainSummary | undefined;
}

/** Options of {@linkcode pretrainSeedsFigure}. */
export interface SeedsFigureOptions {
  /** The sets to draw, one panel each (default both). */
  sets?: readonly EvalSetName[];
  width?: number;
  height?: number;
  /**
   * Only the steps every run evaluated (runs whose evals fell on different steps, e.g. a first
   * phase evaluated more often in one seed); default: every step, over the runs that reached it.
   */
  everyRun?: boolean;
}

/**
 * Held-out accuracy per task type against target tokens over several runs (seeds): at each
 * eval (the same step index in every run) the mean and 95% CI of the accuracy over the runs
 * that reached it (`everyRun`: steps that every run evaluated), at their mean token count; one
 * band per task type and panel per set, each type's best chance level (mean over the runs'
 * summaries) dashed. A standalone SVG.
 */
export function pretrainSeedsFigure(
  runs: readonly SeedRun[],
  opts: SeedsFigureOptions = {},
): string {
  const { points, rules } = seedsBands(runs, opts);
  return bandChart(points, {
    rules,
    width: opts.width ?? 760,
    height: opts.height ?? 300,
    xLabel: `target tokens seen (mean of ${runs.length} runs; band: 95% CI)`,
    yLabel: "held-out accuracy",
  });
}

/** The bands and chance levels {@linkcode pretrainSeedsFigure} draws, sorted by tokens. */
export function seedsBands(
  runs: readonly SeedRun[],
  opts: SeedsFigureOptions = {},
): { points: BandPoint[]; rules: ReferenceLevel[] } {
  const sets = opts.sets ?? EVAL_SETS;
  const points: BandPoint[] = [];
  const rules: ReferenceLevel[] = [];
  for (const set of sets) {
    const facet = SET_TITLES[set];
    // step index → task → accuracies over runs; and the runs' token counts there.
    const acc = new Map<number, Map<string, number[]>>();
    const tokens = new Map<number, number[]>();
    for (const run of runs) {
      for (const m of withTokens(run.metrics)) {
        const own = accuracyPoints([m], set);
        if (!own.length) continue;
        tokens.set(m.step, [...(tokens.get(m.step) ?? []), Number(m["pretrain/tokens"]) || 0]);
        const byTask = acc.get(m.step) ?? new Map<string, number[]>();
        for (const p of own) byTask.set(p.series, [...(byTask.get(p.series) ?? []), p.value]);
        acc.set(m.step, byTask);
      }
    }
    for (const [step, byTask] of acc) {
      if (opts.everyRun && tokens.get(step)!.length < runs.length) continue;
      const x = meanCI(tokens.get(step)!).mean;
      for (const [task, xs] of byTask) {
        const { mean, ci95 } = meanCI(xs);
        const half = Number.isFinite(ci95) ? ci95 : 0;
        points.push({ step: x, series: task, mean, lo: mean - half, hi: mean + half, facet });
      }
    }
    const chance = new Map<string, number[]>();
    for (const run of runs) {
      const b = run.summary?.baselines[set];
      for (const r of b ? bestChance(b) : []) {
        chance.set(r.series, [...(chance.get(r.series) ?? []), r.value]);
      }
    }
    for (const [task, xs] of chance) rules.push({ series: task, value: meanCI(xs).mean, facet });
  }
  points.sort((a, b) => a.step - b.step);
  return { points, rules };
}
