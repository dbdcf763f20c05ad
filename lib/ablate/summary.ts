/**
 * The compact result of a grid: per variant, held-out accuracy per task type
 * (mean and 95% CI over seeds), final step and steps/s; learning curves with
 * CI bands and bar charts as SVG. Written to `data/results/<grid>/`.
 * @module
 */
import { bandChart, barChart } from "../plot/charts.ts";
import { readMetrics } from "../trainer/metrics.ts";
import type { RunSummary } from "../trainer/run_files.ts";
import type { Grid } from "./grids.ts";
import { planGrid, readCellFile, readCellSummary } from "./cell.ts";
import { type MeanCI, meanCI } from "../stats.ts";
import { TASK_TYPES } from "../task_types.ts";
import { formatDiffPoints, pairedByTaskType, type PairedDiff } from "../eval/paired.ts";
import type { TaskOutcome } from "../eval/evaluate.ts";
import { readEvalOutcomes } from "../trainer/run_files.ts";
import { exists } from "../trainer/run_dir.ts";

/** One variant's row of the summary. */
export interface VariantSummary {
  variant: string;
  description: string;
  seeds: number;
  eval: Record<string, MeanCI>;
  evalSearch: Record<string, MeanCI>;
  finalStep: MeanCI;
  stepsPerS: MeanCI;
}

/** The eval sets a grid's paired table compares, in its order. */
const PAIRED_SETS = ["suite", "generator", "train", "beyond"] as const;
/** One of them. */
type PairedSet = (typeof PAIRED_SETS)[number];

/**
 * One variant against the grid's `pairedWith` variant on one eval set and task type: the mean of
 * (variant − that variant) over the seeds both finished and the same tasks, with its 95% bootstrap
 * interval (../eval/paired.ts).
 */
export interface PairedRow {
  variant: string;
  against: string;
  set: PairedSet;
  task: string;
  diff: PairedDiff;
}

/** A grid's summary, as written to `summary.json`. */
export interface GridSummary {
  grid: string;
  description: string;
  preset: string;
  createdAt: string;
  variants: VariantSummary[];
  /**
   * Learning curves: held-out accuracy per variant, task type and step, over the `seeds` runs
   * that reached that step (under a time budget, fewer at the end of a curve).
   */
  curves: {
    variant: string;
    task: string;
    step: number;
    mean: number;
    lo: number;
    hi: number;
    seeds: number;
  }[];
  /** Each variant against the grid's `pairedWith` variant (absent when the grid names none). */
  paired?: PairedRow[];
}

/**
 * The summary's column of a metric key: the suites' accuracy per task type as `<task>` (the
 * grids' first column family), another eval set's as `<set>/<task>` (`generator/deduction`);
 * undefined for every other key (sizes and list lengths included).
 */
export function curveColumn(key: string): string | undefined {
  const m = /^eval\/(\w+)\/([a-z]+)$/.exec(key);
  if (!m || !(TASK_TYPES as readonly string[]).includes(m[2]!)) return undefined;
  return m[1] === "suite" ? m[2] : `${m[1]}/${m[2]}`;
}

/** Suites' columns first, then each other set's, task types in the kit's order within each. */
function columnOrder(a: string, b: string): number {
  const rank = (c: string) => {
    const [set, task] = c.includes("/") ? c.split("/") as [string, string] : ["", c];
    return [set, (TASK_TYPES as readonly string[]).indexOf(task)] as const;
  };
  const [sa, ta] = rank(a);
  const [sb, tb] = rank(b);
  return sa.localeCompare(sb) || ta - tb;
}

/** Collects the finished runs of a grid into a summary. */
export async function summarizeGrid(
  grid: Grid,
  seeds: number,
  runsDir: string,
): Promise<GridSummary> {
  const planned = planGrid({ grid, seeds, runsDir });
  const variants: VariantSummary[] = [];
  const curves: GridSummary["curves"] = [];
  for (const v of grid.variants) {
    const runs = planned.filter((r) => r.variant === v.name);
    const done: RunSummary[] = [];
    const finals: Record<string, number>[] = [];
    const evalByStep = new Map<string, number[]>();
    for (const run of runs) {
      const s = await readCellSummary(run);
      if (!s) continue;
      done.push(s);
      // A finished run that trained has metrics.jsonl (its eval curve); a read error is reported,
      // not skipped. One that made no step may have logged nothing (no eval curve asked for).
      const path = `${run.dir}/metrics.jsonl`;
      const metrics = s.step === 0 && !(await exists(path))
        ? []
        : await readCellFile(run, () => readMetrics(path));
      const lastOfSet: Record<string, number> = {};
      for (const m of metrics) {
        for (const [k, val] of Object.entries(m)) {
          const column = curveColumn(k);
          if (column && typeof val === "number") {
            const key = `${column}@${m.step}`;
            evalByStep.set(key, [...(evalByStep.get(key) ?? []), val]);
            if (column.includes("/")) lastOfSet[column] = val;
          }
        }
      }
      // The generator's held-out set and the set beyond the bank: their final eval
      // (summary.json), else their last periodic one.
      const finalGenerator = Object.fromEntries([
        ...Object.entries(s.evalGenerator ?? {}).map(([task, a]) => [`generator/${task}`, a]),
        ...Object.entries(s.evalBeyond ?? {}).map(([task, a]) => [`beyond/${task}`, a]),
      ]);
      finals.push({ ...s.eval, ...lastOfSet, ...finalGenerator });
    }
    const tasks = [...new Set(finals.flatMap((f) => Object.keys(f)))].sort(columnOrder);
    const searchTasks = [...new Set(done.flatMap((s) => Object.keys(s.evalSearch ?? {})))].sort();
    variants.push({
      variant: v.name,
      description: v.description,
      seeds: done.length,
      eval: Object.fromEntries(tasks.map((t) => [t, meanCI(finals.map((f) => f[t] ?? NaN))])),
      evalSearch: Object.fromEntries(
        searchTasks.map((t) => [t, meanCI(done.map((s) => s.evalSearch?.[t] ?? NaN))]),
      ),
      finalStep: meanCI(done.map((s) => s.step)),
      stepsPerS: meanCI(done.map((s) => s.stepsPerS)),
    });
    for (const [key, xs] of evalByStep) {
      const [task, step] = key.split("@") as [string, string];
      const { mean, ci95 } = meanCI(xs);
      const half = Number.isFinite(ci95) ? ci95 : 0;
      curves.push({
        variant: v.name,
        task,
        step: Number(step),
        mean,
        lo: mean - half,
        hi: mean + half,
        seeds: xs.length,
      });
    }
  }
  curves.sort((a, b) =>
    a.variant.localeCompare(b.variant) || a.task.localeCompare(b.task) || a.step - b.step
  );
  const paired = grid.pairedWith ? await pairedRows(grid, grid.pairedWith, seeds, runsDir) : [];
  return {
    grid: grid.name,
    description: grid.description,
    preset: grid.preset,
    createdAt: new Date().toISOString(),
    variants,
    curves,
    ...(grid.pairedWith ? { paired } : {}),
  };
}

/** Per seed: a finished cell's final outcomes of each set (eval.json), undefined if unfinished. */
async function finalOutcomes(grid: Grid, variant: string, seeds: number, runsDir: string) {
  const out: (Record<PairedSet, TaskOutcome[] | undefined> | undefined)[] = [];
  for (const cell of planGrid({ grid, seeds, runsDir }).filter((c) => c.variant === variant)) {
    const e = (await readCellSummary(cell))
      ? await readCellFile(cell, () => readEvalOutcomes(`${cell.dir}/eval.json`))
      : undefined;
    out[cell.seed] = e && {
      suite: e.suite as TaskOutcome[] | undefined,
      generator: e.generator as TaskOutcome[] | undefined,
      train: e.train as TaskOutcome[] | undefined,
      beyond: e.beyond as TaskOutcome[] | undefined,
    };
  }
  return out;
}

/** Every other variant against `against`, per set and task type, on the seeds both finished. */
async function pairedRows(
  grid: Grid,
  against: string,
  seeds: number,
  runsDir: string,
): Promise<PairedRow[]> {
  const ref = await finalOutcomes(grid, against, seeds, runsDir);
  const rows: PairedRow[] = [];
  for (const v of grid.variants) {
    if (v.name === against) continue;
    const mine = await finalOutcomes(grid, v.name, seeds, runsDir);
    for (const set of PAIRED_SETS) {
      // The seeds both finished with this set, each paired with its own seed of `against`.
      const both = mine.flatMap((m, s) => {
        const a = m?.[set];
        const b = ref[s]?.[set];
        return a && b ? [[a, b] as const] : [];
      });
      if (both.length === 0) continue;
      const diffs = pairedByTaskType(both.map(([a]) => a), both.map(([, b]) => b));
      rows.push(...diffs.map(({ task, diff }) => ({ variant: v.name, against, set, task, diff })));
    }
  }
  return rows;
}

/** The paired table: per variant, set and task type, the difference with its interval. */
export function pairedTable(rows: readonly PairedRow[]): string {
  if (rows.length === 0) return "";
  const against = rows[0]!.against;
  const pct = (x: number) => (100 * x).toFixed(1);
  return [
    `| variant | set | task | variant % | ${against} % | difference (points, 95% CI) | seeds × tasks | ± seeds / tasks alone |`,
    "|---|---|---|---:|---:|---|---:|---:|",
    ...rows.map(({ variant, set, task, diff: d }) =>
      `| ${variant} | ${set} | ${task} | ${pct(d.variant)} | ${pct(d.base)} | ${
        formatDiffPoints(d)
      } | ${d.seeds} × ${d.tasks} | ±${pct(d.seedHalfWidth)} / ±${pct(d.taskHalfWidth)} |`
    ),
  ].join("\n");
}

const pct = (m: MeanCI | undefined) =>
  !m || !Number.isFinite(m.mean)
    ? "–"
    : `${(100 * m.mean).toFixed(1)}${
      Number.isFinite(m.ci95) ? ` ± ${(100 * m.ci95).toFixed(1)}` : ""
    }`;

/** A markdown table: one row per variant, held-out accuracy (%) per task type, mean ± 95% CI. */
export function summaryTable(s: GridSummary): string {
  const tasks = [...new Set(s.variants.flatMap((v) => Object.keys(v.eval)))].sort(columnOrder);
  const head = `| variant | seeds | ${
    tasks.map((t) => `${t} %`).join(" | ")
  } | final step | steps/s |`;
  const rule = `|${"---|".repeat(tasks.length + 4)}`;
  const rows = s.variants.map((v) =>
    `| ${v.variant} | ${v.seeds} | ${tasks.map((t) => pct(v.eval[t])).join(" | ")} | ${
      Number.isFinite(v.finalStep.mean) ? v.finalStep.mean.toFixed(0) : "–"
    } | ${Number.isFinite(v.stepsPerS.mean) ? v.stepsPerS.mean.toFixed(3) : "–"} |`
  );
  const search = s.variants.find((v) => Object.keys(v.evalSearch).length > 0);
  const footer = search
    ? `\nEnumerative-search baseline on the same suites: ${
      Object.entries(search.evalSearch).map(([t, m]) => `${t} ${pct(m)} %`).join(", ")
    }.`
    : "";
  return [head, rule, ...rows].join("\n") + "\n" + footer;
}

/**
 * Writes summary.json, summary.md, curves.svg and bars.svg into `dir`. The SVGs are standalone
 * files (no HTML legend or title, which Plot would wrap in a `<figure>` that image viewers and
 * markdown `![](…)` cannot show): series are labelled on the plot itself, captions live in summary.md.
 */
export async function writeSummary(s: GridSummary, dir: string): Promise<string[]> {
  // Variants in the grid's order, with the same colour in both plots.
  const order = s.variants.map((v) => v.variant);
  const bars = s.variants.flatMap((v) =>
    Object.entries(v.eval).map(([task, m]) => ({
      group: task,
      series: v.variant,
      mean: m.mean,
      lo: m.mean - (Number.isFinite(m.ci95) ? m.ci95 : 0),
      hi: m.mean + (Number.isFinite(m.ci95) ? m.ci95 : 0),
    }))
  );
  // Accuracies near 0 would be a flat line on a 0–1 axis: the axis ends just above the data.
  const yTop = (his: number[]) =>
    Math.min(1, Math.ceil(Math.max(0.1, ...his.filter(Number.isFinite)) * 1.15 * 20) / 20);
  // x = steps done (metrics' step + 1: the seeding eval is at 0), as the run's report shows it.
  const curves = bandChart(
    s.curves.map((c) => ({ ...c, step: c.step + 1, series: c.variant, facet: c.task })),
    {
      series: order,
      width: 720,
      height: 260,
      xLabel: "steps done",
      yLabel: "held-out accuracy",
      yDomain: [0, yTop(s.curves.map((c) => c.hi))],
    },
  );
  const barsSvg = barChart(bars, {
    width: 720,
    series: order,
    legend: false,
    yLabel: "held-out accuracy (±95% CI)",
    yDomain: [0, yTop(bars.map((b) => b.hi))],
  });
  const caption =
    "Plots: `curves.svg` (held-out accuracy during training, band = 95% CI over seeds), " +
    "`bars.svg` (final held-out accuracy, ±95% CI).";
  const files: [string, string][] = [
    ["summary.json", JSON.stringify(s, null, 2) + "\n"],
    [
      "summary.md",
      `# Grid \`${s.grid}\`\n\n${s.description}\n\n${summaryTable(s)}\n${caption}\n${
        s.paired?.length
          ? `\nPaired with \`${
            s.paired[0]!.against
          }\` (the same eval tasks, seed by seed; 95% bootstrap interval over seeds and tasks; ± seeds / tasks alone: its half-width when only one of the two is resampled, the larger says what to add):\n\n${
            pairedTable(s.paired)
          }\n`
          : ""
      }`,
    ],
    ["curves.svg", curves],
    ["bars.svg", barsSvg],
  ];
  return await writeResultFiles(dir, files);
}

/** Writes `[name, text]` files into `dir` (created if needed); returns their paths. */
export async function writeResultFiles(
  dir: string,
  files: readonly (readonly [string, string])[],
): Promise<string[]> {
  await Deno.mkdir(dir, { recursive: true });
  for (const [name, text] of files) await Deno.writeTextFile(`${dir}/${name}`, text);
  return files.map(([name]) => `${dir}/${name}`);
}
