/**
 * The figures the kit draws again and again: metric curves from
 * `metrics.jsonl` records, per-item scatter over steps, bar charts with error
 * bars. Each returns SVG/figure markup (see {@linkcode plotToSvg}).
 * @module
 */
import * as Plot from "@observablehq/plot";
import { plotToSvg } from "./svg.ts";

/** Steps are whole numbers: no "0.2" ticks on a short run. */
const integerTicks = (d: number) => (Number.isInteger(d) ? String(d) : "");

/** A point of a long-format series. */
export interface SeriesPoint {
  step: number;
  series: string;
  value: number;
}

/**
 * Long-format points for every metric key that starts with `prefix` (or is in
 * the list); the series name is the key with the prefix removed.
 */
export function metricSeries(
  records: readonly Record<string, unknown>[],
  keys: string | readonly string[],
): SeriesPoint[] {
  const pick = typeof keys === "string"
    ? (k: string) => k.startsWith(keys)
    : (k: string) => keys.includes(k);
  const strip = (k: string) => (typeof keys === "string" ? k.slice(keys.length) || k : k);
  const out: SeriesPoint[] = [];
  for (const r of records) {
    const step = r.step;
    if (typeof step !== "number") continue;
    for (const [k, v] of Object.entries(r)) {
      if (pick(k) && typeof v === "number" && Number.isFinite(v)) {
        out.push({ step, series: strip(k), value: v });
      }
    }
  }
  return out;
}

/** Options of {@linkcode lineChart}. */
export interface LineChartOptions {
  title?: string;
  yLabel?: string;
  /** Fixed y domain, e.g. [0, 1] for rates. */
  yDomain?: [number, number];
  width?: number;
  height?: number;
}

/** Lines of value over step, one per series, with a legend. */
export function lineChart(points: readonly SeriesPoint[], opts: LineChartOptions = {}): string {
  return plotToSvg({
    ...(opts.title ? { title: opts.title } : {}),
    width: opts.width ?? 640,
    height: opts.height ?? 260,
    marginLeft: 50,
    x: { label: "step", tickFormat: integerTicks },
    y: {
      label: opts.yLabel ?? null,
      grid: true,
      ...(opts.yDomain ? { domain: opts.yDomain } : {}),
    },
    // Categorical on purpose: a continuous colour legend needs a canvas, which has no DOM here.
    color: { type: "categorical", legend: points.length > 0 },
    marks: [
      Plot.line(points, {
        x: "step",
        y: "value",
        stroke: "series",
        marker: points.length < 60 ? "dot" : null,
      }),
      Plot.ruleY([0], { strokeOpacity: 0.3 }),
    ],
  });
}

/** Options of {@linkcode scatterChart}. */
export interface ScatterChartOptions extends LineChartOptions {
  /** Field for the x position (default "step"). */
  x?: string;
  /** Field for the y position. */
  y: string;
  /** Field for the colour. */
  color?: string;
}

/** One dot per item (e.g. per proposal), jittered a little on x, with a mean line per colour. */
export function scatterChart(
  items: readonly Record<string, unknown>[],
  opts: ScatterChartOptions,
): string {
  const x = opts.x ?? "step";
  return plotToSvg({
    ...(opts.title ? { title: opts.title } : {}),
    width: opts.width ?? 640,
    height: opts.height ?? 260,
    marginLeft: 50,
    x: { label: x, ...(x === "step" ? { tickFormat: integerTicks } : {}) },
    y: {
      label: opts.yLabel ?? opts.y,
      grid: true,
      ...(opts.yDomain ? { domain: opts.yDomain } : {}),
    },
    color: { type: "categorical", legend: items.length > 0 && opts.color !== undefined },
    marks: [
      Plot.dot(items, {
        x,
        y: opts.y,
        ...(opts.color ? { stroke: opts.color } : {}),
        r: 2,
        strokeOpacity: 0.4,
      }),
      Plot.lineY(
        items,
        Plot.groupX({ y: "mean" }, { x, y: opts.y, ...(opts.color ? { stroke: opts.color } : {}) }),
      ),
    ],
  });
}

/** A bar with its confidence interval. */
export interface BarWithError {
  group: string;
  series: string;
  mean: number;
  lo: number;
  hi: number;
}

/** Options of {@linkcode barChart}. */
export interface BarChartOptions extends LineChartOptions {
  /** The series in order (bars and colours); default: as they first appear. */
  series?: readonly string[];
  /**
   * A colour legend (default true). Without one (a standalone SVG file: Plot would wrap a
   * legend in an HTML `<figure>`), each bar's series is written under it instead.
   */
  legend?: boolean;
}

/** Grouped bars (x = group, colour = series) with error bars [lo, hi]. */
export function barChart(bars: readonly BarWithError[], opts: BarChartOptions = {}): string {
  const legend = opts.legend ?? true;
  const domain = opts.series ? { domain: [...opts.series] } : {};
  return plotToSvg({
    ...(opts.title ? { title: opts.title } : {}),
    width: opts.width ?? 640,
    height: opts.height ?? 280,
    marginLeft: 50,
    ...(legend ? {} : { marginTop: 40, marginBottom: 60 }),
    fx: legend ? { label: null } : { label: null, axis: "top" },
    x: legend ? { axis: null, ...domain } : { label: null, tickRotate: -30, ...domain },
    y: {
      label: opts.yLabel ?? null,
      grid: true,
      ...(opts.yDomain ? { domain: opts.yDomain } : {}),
    },
    color: { type: "categorical", legend: legend && bars.length > 0, ...domain },
    marks: [
      Plot.barY(bars, { fx: "group", x: "series", y: "mean", fill: "series" }),
      Plot.ruleX(bars, { fx: "group", x: "series", y1: "lo", y2: "hi", stroke: "black" }),
      Plot.ruleY([0]),
    ],
  });
}
