/**
 * Runs side by side outside a grid (`deno task report runs/a runs/b`): one page whose figures
 * overlay the runs' curves, one colour per run and one panel per task type, and a table of
 * their final evals as `k/n (p%)`. Self-play and pre-training runs may be mixed: each figure
 * draws the runs that have its metrics.
 * @module
 */
import { formatKN } from "../eval/baselines.ts";
import { lineChart, metricSeries, type SeriesPoint } from "../plot/charts.ts";
import { TASK_COLORS, taskOrder } from "../plot/colors.ts";
import { escapeHtml as esc } from "../plot/display.ts";
import { SET_TITLES, withTokens } from "./pretrain_report.ts";
import { REPORT_SMOOTHING, stepsDone } from "./report.ts";
import { reportPage, section, taskLabel } from "./report_html.ts";
import { EVAL_SETS } from "../eval/eval_sets.ts";
import type { EvalTables } from "./run_files.ts";
import type { RunData } from "./run_report.ts";

/** One figure of the comparison: a metric family, per task type (`prefix<task>`) or whole. */
interface Family {
  title: string;
  /** The loop whose runs it draws (both when absent). */
  kind?: RunData["kind"];
  prefix: string;
  perTask: boolean;
  x: "steps done" | "target tokens seen";
  smooth: boolean;
  yDomain?: [number, number];
}

const FAMILIES: readonly Family[] = [
  ...EVAL_SETS.filter((set) => set !== "train").map((set): Family => ({
    title: `Self-play held-out accuracy (periodic evals): ${SET_TITLES[set]}`,
    kind: "selfplay",
    prefix: `eval/${set}/`,
    perTask: true,
    x: "steps done",
    smooth: false,
    yDomain: [0, 1],
  })),
  {
    title: "Proposer reward (learnability)",
    prefix: "reward/propose/",
    perTask: true,
    x: "steps done",
    smooth: true,
  },
  {
    title: "Solver accuracy on the step's batch",
    prefix: "acc/solve/",
    perTask: true,
    x: "steps done",
    smooth: true,
    yDomain: [0, 1],
  },
  {
    title: "Valid-proposal rate",
    prefix: "valid_rate/",
    perTask: true,
    x: "steps done",
    smooth: true,
    yDomain: [0, 1],
  },
  {
    title: "Pre-training loss (all views)",
    prefix: "pretrain/loss",
    perTask: false,
    x: "steps done",
    smooth: true,
  },
  ...EVAL_SETS.map((set): Family => ({
    title: `Pre-training held-out accuracy: ${SET_TITLES[set]}`,
    kind: "pretrain",
    prefix: `eval/${set}/`,
    perTask: true,
    x: "target tokens seen",
    smooth: false,
    yDomain: [0, 1],
  })),
];

const TASKS = Object.keys(TASK_COLORS);

/** The points of one family for one run, series = the run's name, facet = the task type. */
function familyPoints(run: RunData, f: Family): SeriesPoint[] {
  if (f.kind && f.kind !== run.kind) return [];
  const metrics = f.x === "target tokens seen" ? withTokens(run.metrics) : stepsDone(run.metrics);
  const opts = f.x === "target tokens seen" ? { x: "pretrain/tokens" } : {};
  if (!f.perTask) {
    return metricSeries(metrics, [f.prefix], opts).map((p) => ({ ...p, series: run.name }));
  }
  return metricSeries(metrics, f.prefix, opts)
    .filter((p) => TASKS.includes(p.series))
    .map((p) => ({ ...p, facet: p.series, series: run.name }));
}

/** Each run's final eval tables: self-play's eval.json, or pre-training's suite set. */
function finalTables(run: RunData): { label: string; tables: EvalTables; step: number }[] {
  const e = run.evalFinal;
  if (!e) return [];
  if (run.kind === "pretrain" && "generator" in e) {
    return EVAL_SETS.flatMap((set) => {
      const tables = e[set];
      return tables ? [{ label: SET_TITLES[set], tables, step: e.step }] : [];
    });
  }
  if ("counts" in e && e.counts && e.baselines && e.listLength && e.accuracy) {
    const { accuracy, counts, baselines, listLength } = e;
    return [{
      label: "held-out suites",
      tables: { accuracy, counts, baselines, listLength },
      step: e.step,
    }];
  }
  return [];
}

/** Renders the comparison page of `runs`. */
export function renderCompareReport(runs: readonly RunData[]): string {
  const names = runs.map((r) => r.name);
  const sections: string[] = [];
  for (const f of FAMILIES) {
    const points = runs.flatMap((r) => familyPoints(r, f));
    if (!points.length) continue;
    sections.push(section(
      f.title,
      lineChart(points, {
        series: names,
        xLabel: f.x,
        width: 960,
        ...(f.smooth ? { smooth: REPORT_SMOOTHING } : {}),
        ...(f.yDomain ? { yDomain: f.yDomain } : {}),
      }),
    ));
  }
  const tasks = taskOrder(
    runs.flatMap((r) => finalTables(r).flatMap((t) => Object.keys(t.tables.counts))),
  );
  const rows = runs.flatMap((r) =>
    finalTables(r).map(({ label, tables, step }) =>
      `<tr><td><code>${esc(r.name)}</code></td><td>${esc(label)}</td><td>${step}</td>${
        tasks.map((t) => {
          const c = tables.counts[t];
          return `<td>${c ? formatKN(c.k, c.n) : "–"}</td>`;
        }).join("")
      }</tr>`
    )
  );
  const table = rows.length
    ? `<table class="eval"><tr><th>run</th><th>eval set</th><th>steps</th>${
      tasks.map((t) => `<th>${taskLabel(t)}</th>`).join("")
    }</tr>${rows.join("")}</table>`
    : `<p class="note">No run has finished (no eval.json).</p>`;
  const body = `<h1>Runs ${names.map((n) => `<code>${esc(n)}</code>`).join(" · ")}</h1>
<p>${
    runs.map((r) =>
      `<code>${esc(r.dir)}</code> (${r.kind === "pretrain" ? "pre-training" : "self-play"}, ${
        stepsDone(r.metrics).reduce((s, m) => Math.max(s, m.step), 0)
      } steps done)`
    ).join(", ")
  }. One colour per run, one panel per task type; noisy per-step curves show an EMA (weight ${REPORT_SMOOTHING}) over the faint raw line.</p>
${
    section(
      "Final held-out eval",
      table,
      "The model's correct answers, k/n (p%); each run's own report.html has its chance levels.",
    )
  }
${sections.join("\n")}`;
  return reportPage(`azr-kit runs ${names.join(", ")}`, body);
}
