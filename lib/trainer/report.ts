/**
 * `report.html`: a self-contained page of Observable Plot figures for one self-play run. At the
 * top the held-out accuracy per task type (periodic evals as lines, the final eval as dots,
 * each type's best chance level dashed in its colour) and the final eval's table of the model
 * beside its chance levels and the search, as `k/n (p%)`; then rewards, accuracy on the step's
 * batch, valid rate (noisy per-step series smoothed by an EMA over the faint raw line), program
 * size and solve-rate distributions, buffer growth, entropy and speed. Steps are counted as
 * steps done (metrics' `step` + 1, the seeding eval at 0), as `eval.json` and `summary.json`
 * count them. A task type has the same colour in every figure.
 * @module
 */
import { lineChart, metricSeries, type ReferenceLevel, scatterChart } from "../plot/charts.ts";
import { escapeHtml as esc } from "../plot/display.ts";
import { bestTrivialLevels } from "../eval/baselines.ts";
import type { Metrics } from "./metrics.ts";
import {
  evalSize,
  evalTableHtml,
  recordTableHtml,
  reportPage,
  section,
  taskLabel,
} from "./report_html.ts";
import type { EvalFinal, EvalTables, ProposalRow } from "./run_files.ts";
import { formatDiffPoints, pairedByTaskType } from "../eval/paired.ts";
import type { TaskOutcome } from "../eval/evaluate.ts";

/** EMA weight of noisy per-step curves (TensorBoard's default smoothing is 0.6; steps are few). */
export const REPORT_SMOOTHING = 0.8;

/** Inputs of {@linkcode renderReport}. */
export interface ReportInput {
  name: string;
  config: Record<string, unknown>;
  metrics: readonly Metrics[];
  proposals: readonly ProposalRow[];
  /** The run's `eval.json`, when it finished. */
  evalFinal?: EvalFinal | undefined;
}

/** Records with `step` as steps done (the record of step index i is written after i + 1 steps). */
export function stepsDone<T extends { step: number }>(rows: readonly T[]): T[] {
  return rows.map((r) => ({ ...r, step: r.step + 1 }));
}

/** Each task type's best trivial chance level (the search excluded), as a figure's rule. */
export function bestChance(baselines: EvalTables["baselines"]): ReferenceLevel[] {
  return Object.entries(bestTrivialLevels(baselines)).map(([series, value]) => ({ series, value }));
}

/**
 * Each task type's best trivial chance level on the suites (search excluded): from the final
 * eval's baselines, else from the `chance/suite/<task>` metrics the seeding eval logs.
 */
export function chanceLevels(
  metrics: readonly Metrics[],
  tables?: Pick<EvalTables, "baselines">,
): ReferenceLevel[] {
  if (tables) {
    return bestChance(tables.baselines);
  }
  const last = new Map<string, number>();
  for (const m of metrics) {
    for (const [k, v] of Object.entries(m)) {
      const task = /^chance\/suite\/([a-z]+)$/.exec(k)?.[1];
      if (task && typeof v === "number") last.set(task, v);
    }
  }
  return [...last].map(([series, value]) => ({ series, value }));
}

/**
 * The generator's held-out set during self-play (`eval/generator/<task>`, when the run sets
 * `evalGenerator`), beside the levels of the seeding eval (`chance/generator/<task>`): where the
 * base started and whether self-play keeps what it knew.
 */
function generatorSection(metrics: readonly Metrics[]): string {
  const points = metricSeries(stepsDone(metrics), "eval/generator/");
  if (!points.length) return "";
  const rules: ReferenceLevel[] = [];
  for (const m of metrics) {
    for (const [k, v] of Object.entries(m)) {
      const task = /^chance\/generator\/([a-z]+)$/.exec(k)?.[1];
      if (task && typeof v === "number") rules.push({ series: task, value: v });
    }
  }
  return section(
    "Generator held-out accuracy per task type",
    lineChart(points, { yDomain: [0, 1], yLabel: "accuracy", xLabel: "steps done", rules }),
    "Tasks from behaviours held out of pre-training (evalGenerator per type); the first point is the start (after seeding, before any update); dashed: each task type's best chance level on the same tasks.",
  );
}

const hasTables = (e: EvalFinal | undefined): e is EvalFinal & EvalTables =>
  e?.counts !== undefined && e.baselines !== undefined && e.listLength !== undefined &&
  e.accuracy !== undefined;

/** Renders the report page. */
export function renderReport(opts: ReportInput): string {
  const metrics = stepsDone(opts.metrics);
  // At most MAX_DOTS dots per scatter, evenly spaced over the run: a long run logs 10⁵+ rows
  // (random_tasks logs every generator task), which would make the report a huge SVG.
  const proposals = evenly(
    stepsDone(opts.proposals) as unknown as Record<string, unknown>[],
    MAX_DOTS,
  );
  const final = hasTables(opts.evalFinal) ? opts.evalFinal : undefined;
  const steps = metrics.reduce((s, m) => Math.max(s, m.step), 0);
  const smooth = { smooth: REPORT_SMOOTHING };

  // ── held-out accuracy: periodic evals, the final one, chance levels ──
  const periodic = metricSeries(metrics, "eval/suite/").filter((p) => !p.series.includes("/"));
  const dots = final
    ? Object.entries(final.accuracy).map(([series, value]) => ({
      step: opts.evalFinal!.step,
      series,
      value,
    }))
    : [];
  const heldOut = periodic.length + dots.length === 0
    ? `<p class="note">No held-out eval yet: the config's evalEvery is ${
      esc(String(opts.config.evalEvery))
    } and the run has not finished (the final eval runs at its end).</p>`
    : lineChart(periodic, {
      yDomain: [0, 1],
      yLabel: "accuracy",
      xLabel: "steps done",
      rules: chanceLevels(opts.metrics, final),
      dots,
    });
  const heldOutNote = `${
    periodic.length ? "Lines: evals every evalEvery steps" : "No periodic evals (evalEvery = 0)"
  }${
    final ? "; dots: the final eval" : ""
  }; dashed: each task type's best chance level on the same tasks.`;
  const finalTable = final
    ? section(
      `Final held-out eval after ${opts.evalFinal!.step} steps`,
      evalTableHtml(final),
      `Greedy answers to ${evalSize(final)} queries (induction: tasks), at most evalLimit = ${
        esc(String(opts.config.evalLimit))
      } per task type and suite (0 = all); each chance level is scored on the same tasks.`,
    )
    : "";

  const figures: [string, string, string?][] = [
    [
      "Proposer reward (learnability) per task type",
      lineChart(metricSeries(metrics, "reward/propose/"), { ...smooth, xLabel: "steps done" }),
    ],
    [
      "Solver accuracy on the step's batch",
      lineChart(metricSeries(metrics, "acc/solve/"), {
        ...smooth,
        yDomain: [0, 1],
        xLabel: "steps done",
      }),
      "The solver's reward is this accuracy, with −1 for an answer that does not decode.",
    ],
    [
      "Valid-proposal rate",
      lineChart(metricSeries(metrics, "valid_rate/"), {
        ...smooth,
        yDomain: [0, 1],
        xLabel: "steps done",
      }),
    ],
    [
      `Program size of proposals (tokens; line = mean${sampledNote(opts.proposals.length)})`,
      scatterChart(proposals, { y: "programTokens", color: "task", xLabel: "steps done" }),
    ],
    [
      `Solve rate of valid proposals (learnability rollouts; line = mean${
        sampledNote(opts.proposals.length)
      })`,
      scatterChart(proposals.filter((p) => p.valid), {
        y: "solveRate",
        color: "task",
        yDomain: [0, 1],
        xLabel: "steps done",
      }),
    ],
    [
      "Buffer sizes",
      lineChart(metricSeries(metrics, "buffer/size/"), { xLabel: "steps done", yLabel: "tasks" }),
    ],
    [
      "Entropy of the policy (nats/token)",
      lineChart(metricSeries(metrics, "policy/entropy"), { ...smooth, xLabel: "steps done" }),
    ],
    [
      "Seconds per step",
      lineChart(metricSeries(metrics, "perf/step_s"), { ...smooth, xLabel: "steps done" }),
    ],
  ];
  // The last full step's record (an eval-only record, e.g. the seeding eval, has few keys).
  const last = [...opts.metrics].reverse().find((m) => "perf/step_s" in m) ?? opts.metrics.at(-1);
  const recent = opts.proposals.filter((p) => p.valid).slice(-12).map((p) =>
    `<tr><td>${p.step + 1}</td><td>${taskLabel(p.task)}</td><td>${
      p.solveRate?.toFixed(2) ?? ""
    }</td><td><code>${esc(p.program)}</code></td></tr>`
  ).join("");
  const body = `<h1>Run <code>${esc(opts.name)}</code></h1>
<p>${steps} steps done${
    final ? "" : " (not finished: no final eval yet)"
  }. Generated by azr-kit from <code>metrics.jsonl</code>, <code>proposals.jsonl</code>${
    final ? " and <code>eval.json</code>" : ""
  }. Curves of noisy per-step values show an EMA (weight ${REPORT_SMOOTHING}) over the faint raw line.</p>
${section("Held-out accuracy per task type", heldOut, heldOutNote)}
${generatorSection(opts.metrics)}
${finalTable}
${againstStartSection(opts.evalFinal)}
${figures.map(([title, svg, note]) => section(title, svg, note ?? "")).join("\n")}
<h2>Recent valid proposals</h2><table><tr><th>after step</th><th>task</th><th>solve rate</th><th>program</th></tr>${recent}</table>
<h2>Last step${last ? ` (step ${last.step + 1})` : ""}</h2>${
    last ? recordTableHtml(last) : "<p>no steps yet</p>"
  }
<h2>Config</h2><pre>${esc(JSON.stringify(opts.config, null, 2))}</pre>`;
  return reportPage(`azr-kit run ${opts.name}`, body);
}

/**
 * The end against the start on the generator's held-out set, paired task by task (eval.json's
 * `generator` and `start`); empty when the run has not both.
 */
function againstStartSection(e: EvalFinal | undefined): string {
  if (!e?.generator || !e.start) return "";
  const pct = (x: number) => (100 * x).toFixed(1);
  const rows = pairedByTaskType(
    [e.generator.outcomes as TaskOutcome[]],
    [e.start.outcomes as TaskOutcome[]],
  ).map(({ task, diff: d }) =>
    `<tr><td>${taskLabel(task)}</td><td>${pct(d.base)}</td><td>${pct(d.variant)}</td><td>${
      formatDiffPoints(d)
    }</td><td>${d.tasks}</td></tr>`
  ).join("");
  return section(
    "Held-out (generator) at the end against the start",
    `<table><tr><th>task</th><th>start %</th><th>end %</th><th>difference (points, 95% CI)</th><th>tasks</th></tr>${rows}</table>`,
    "The same held-out tasks scored before the first update (the seeding eval) and after the last, paired task by task; the interval is a bootstrap over the tasks (one run: the seed's own variation is not in it).",
  );
}

/** Dots per scatter chart in a report. */
export const MAX_DOTS = 5000;

/** At most n items of xs, evenly spaced and in order (all of them when there are n or fewer). */
export function evenly<T>(xs: readonly T[], n: number): T[] {
  if (xs.length <= n) return [...xs];
  return Array.from({ length: n }, (_, i) => xs[Math.floor((i * xs.length) / n)]!);
}

/** "; 5,000 of N rows, evenly spaced" for a chart title when the rows were thinned, else "". */
function sampledNote(rows: number): string {
  return rows > MAX_DOTS
    ? `; ${MAX_DOTS.toLocaleString("en-US")} of ${rows.toLocaleString("en-US")} rows, evenly spaced`
    : "";
}
