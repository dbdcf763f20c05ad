/**
 * The figures the kit draws again and again: metric curves from `metrics.jsonl` records (raw
 * and smoothed, with dashed reference levels), per-item scatter over steps, bar charts with
 * error bars, and mean ± CI bands over seeds with end-of-line labels. Every chart colours task
 * types the same way ({@linkcode colorScale}). Each returns SVG/figure markup (see
 * {@linkcode plotToSvg}).
 *
 * @example
 * ```ts
 * import { lineChart, metricSeries } from "./charts.ts";
 * const metrics = [{ step: 0, "acc/deduction": 0.1 }, { step: 1, "acc/deduction": 0.3 }];
 * const svg = lineChart(metricSeries(metrics, "acc/"), { yDomain: [0, 1] });
 * ```
 * @module
 */
import * as Plot from "@observablehq/plot";
import { colorScale, taskOrder } from "./colors.ts";
import { dodge } from "./labels.ts";
import { ema } from "./smooth.ts";
import { plotToSvg } from "./svg.ts";

/** The largest of xs, at least `floor`: a loop, since spreading 10⁵+ values into Math.max overflows the stack. */
function maxOf(xs: Iterable<number>, floor = -Infinity): number {
  let m = floor;
  for (const x of xs) if (x > m) m = x;
  return m;
}

/** Steps are whole numbers: no "0.2" ticks on a short run; large counts (tokens) as 20k. */
function xTicks(xs: readonly number[]): ((d: number) => string) | string {
  return maxOf(xs, 0) >= 10_000 ? "~s" : (d: number) => (Number.isInteger(d) ? String(d) : "");
}

/** A point of a long-format series. */
export interface SeriesPoint {
  /** The x position: a step, unless the series was built with another x (e.g. tokens). */
  step: number;
  series: string;
  value: number;
  /** A panel of a faceted chart (e.g. the task type when colour is the run). */
  facet?: string;
}

/** Options of {@linkcode metricSeries}. */
export interface MetricSeriesOptions {
  /** The record key of the x position (default "step"); records without it are skipped. */
  x?: string;
}

/**
 * Long-format points for every metric key that starts with `prefix` (or is in the list); the
 * series name is the key with the prefix removed.
 */
export function metricSeries(
  records: readonly Record<string, unknown>[],
  keys: string | readonly string[],
  opts: MetricSeriesOptions = {},
): SeriesPoint[] {
  const pick = typeof keys === "string"
    ? (k: string) => k.startsWith(keys)
    : (k: string) => keys.includes(k);
  const strip = (k: string) => (typeof keys === "string" ? k.slice(keys.length) || k : k);
  const xKey = opts.x ?? "step";
  const out: SeriesPoint[] = [];
  for (const r of records) {
    const x = r[xKey];
    if (typeof x !== "number") continue;
    for (const [k, v] of Object.entries(r)) {
      if (pick(k) && typeof v === "number" && Number.isFinite(v)) {
        out.push({ step: x, series: strip(k), value: v });
      }
    }
  }
  return out;
}

/** A dashed horizontal reference line in a series' colour (e.g. a task type's chance level). */
export interface ReferenceLevel {
  series: string;
  value: number;
  facet?: string;
}

/** Options of {@linkcode lineChart}. */
export interface LineChartOptions {
  title?: string;
  /** x axis label (default "step"). */
  xLabel?: string;
  yLabel?: string;
  /** Fixed y domain, e.g. [0, 1] for rates. */
  yDomain?: [number, number];
  width?: number;
  height?: number;
  /**
   * EMA weight in [0, 1) for noisy per-step series: the raw line is drawn faint and the
   * debiased EMA over it (series of fewer than 10 points are drawn raw only). Default 0.
   */
  smooth?: number;
  /** Dashed horizontal rules, each in its series' colour. */
  rules?: readonly ReferenceLevel[];
  /** Points drawn as large dots (e.g. the final eval after the last step). */
  dots?: readonly SeriesPoint[];
  /** A colour legend above the chart (default true; a legend wraps the SVG in a `<figure>`). */
  legend?: boolean;
  /** The series in order (and colours); default: task types first, then as they appear. */
  series?: readonly string[];
}

/** Series of at least this many points get their EMA drawn. */
const SMOOTH_MIN_POINTS = 10;

/** The EMA of each series (points sorted by x), for series long enough to need it. */
export function smoothSeries(points: readonly SeriesPoint[], w: number): SeriesPoint[] {
  const groups = new Map<string, SeriesPoint[]>();
  for (const p of points) {
    const key = `${p.facet ?? ""}\u0000${p.series}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const out: SeriesPoint[] = [];
  for (const g of groups.values()) {
    if (g.length < SMOOTH_MIN_POINTS) continue;
    const sorted = [...g].sort((a, b) => a.step - b.step);
    const s = ema(sorted.map((p) => p.value), w);
    sorted.forEach((p, i) => out.push({ ...p, value: s[i]! }));
  }
  return out;
}

/** Lines of value over step, one per series (task types in their colours), with a legend. */
export function lineChart(points: readonly SeriesPoint[], opts: LineChartOptions = {}): string {
  const smooth = opts.smooth ? smoothSeries(points, opts.smooth) : [];
  const smoothed = new Set(smooth.map((p) => `${p.facet ?? ""}\u0000${p.series}`));
  const raw = points.filter((p) => !smoothed.has(`${p.facet ?? ""}\u0000${p.series}`));
  const rawUnder = points.filter((p) => smoothed.has(`${p.facet ?? ""}\u0000${p.series}`));
  const rules = opts.rules ?? [];
  const dots = opts.dots ?? [];
  const series = opts.series ?? taskOrder([...points, ...rules, ...dots].map((p) => p.series));
  const faceted = [...points, ...dots].some((p) => p.facet !== undefined);
  const fx = faceted ? { fx: "facet" } : {};
  const nPoints = points.length / Math.max(1, series.length);
  return plotToSvg({
    ...(opts.title ? { title: opts.title } : {}),
    width: opts.width ?? 640,
    height: opts.height ?? 260,
    marginLeft: 50,
    ...(faceted
      ? { fx: { label: null, domain: taskOrder(points.map((p) => p.facet ?? "")) } }
      : {}),
    x: { label: opts.xLabel ?? "step", tickFormat: xTicks(points.map((p) => p.step)) },
    y: {
      label: opts.yLabel ?? null,
      grid: true,
      ...(opts.yDomain ? { domain: opts.yDomain } : {}),
    },
    color: { ...colorScale(series), legend: (opts.legend ?? true) && series.length > 1 },
    marks: [
      Plot.ruleY([0], { strokeOpacity: 0.3 }),
      Plot.ruleY(rules, { y: "value", stroke: "series", strokeDasharray: "4,3", ...fx }),
      Plot.line(rawUnder, {
        x: "step",
        y: "value",
        z: "series",
        stroke: "series",
        strokeOpacity: 0.25,
        ...fx,
      }),
      Plot.line(smooth, {
        x: "step",
        y: "value",
        z: "series",
        stroke: "series",
        strokeWidth: 2,
        ...fx,
      }),
      Plot.line(raw, {
        x: "step",
        y: "value",
        z: "series",
        stroke: "series",
        marker: nPoints < 60 ? "dot" : null,
        ...fx,
      }),
      Plot.dot(dots, { x: "step", y: "value", fill: "series", r: 4, stroke: "white", ...fx }),
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

/** One dot per item (e.g. per proposal), with a mean line per colour. */
export function scatterChart(
  items: readonly Record<string, unknown>[],
  opts: ScatterChartOptions,
): string {
  const x = opts.x ?? "step";
  const colors = opts.color ? taskOrder(items.map((i) => String(i[opts.color!]))) : [];
  return plotToSvg({
    ...(opts.title ? { title: opts.title } : {}),
    width: opts.width ?? 640,
    height: opts.height ?? 260,
    marginLeft: 50,
    x: {
      label: opts.xLabel ?? x,
      tickFormat: xTicks(items.map((i) => Number(i[x]) || 0)),
    },
    y: {
      label: opts.yLabel ?? opts.y,
      grid: true,
      ...(opts.yDomain ? { domain: opts.yDomain } : {}),
    },
    color: { ...colorScale(colors), legend: (opts.legend ?? true) && colors.length > 0 },
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
        // z named, not implied by the stroke: a short run's few points per series are one
        // series each, not a quantitative stroke (Plot warns on the implied one).
        Plot.groupX({ y: "mean" }, {
          x,
          y: opts.y,
          ...(opts.color ? { stroke: opts.color, z: opts.color } : {}),
        }),
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
  /**
   * A colour legend (default true). Without one (a standalone SVG file: Plot would wrap a
   * legend in an HTML `<figure>`), each bar's series is written under it instead.
   */
  legend?: boolean;
}

/** Grouped bars (x = group, colour = series) with error bars [lo, hi]. */
export function barChart(bars: readonly BarWithError[], opts: BarChartOptions = {}): string {
  const legend = opts.legend ?? true;
  const order = opts.series ? [...opts.series] : taskOrder(bars.map((b) => b.series));
  return plotToSvg({
    ...(opts.title ? { title: opts.title } : {}),
    width: opts.width ?? 640,
    height: opts.height ?? 280,
    marginLeft: 50,
    ...(legend ? {} : { marginTop: 40, marginBottom: 60 }),
    fx: legend ? { label: null } : { label: null, axis: "top" },
    x: legend ? { axis: null, domain: order } : { label: null, tickRotate: -30, domain: order },
    y: {
      label: opts.yLabel ?? null,
      grid: true,
      ...(opts.yDomain ? { domain: opts.yDomain } : {}),
    },
    color: { ...colorScale(order), legend: legend && bars.length > 0 },
    marks: [
      Plot.barY(bars, { fx: "group", x: "series", y: "mean", fill: "series" }),
      Plot.ruleX(bars, { fx: "group", x: "series", y1: "lo", y2: "hi", stroke: "black" }),
      Plot.ruleY([0]),
    ],
  });
}

/** A mean with its interval at one x (e.g. over seeds). */
export interface BandPoint {
  step: number;
  series: string;
  mean: number;
  lo: number;
  hi: number;
  facet?: string;
}

/**
 * Mean lines with shaded [lo, hi] bands, one per series (and facet), labelled at their ends
 * (labels moved apart so none overlap) instead of a legend: the SVG stands alone (no
 * `<figure>`), for files shown as images. Dashed rules mark reference levels.
 */
export function bandChart(points: readonly BandPoint[], opts: LineChartOptions = {}): string {
  const width = opts.width ?? 720;
  const height = opts.height ?? 280;
  const margin = { top: 30, bottom: 35 };
  const rules = opts.rules ?? [];
  const series = opts.series ?? taskOrder([...points, ...rules].map((p) => p.series));
  const facets = taskOrder(points.flatMap((p) => (p.facet === undefined ? [] : [p.facet])));
  const faceted = points.some((p) => p.facet !== undefined);
  const fx = faceted ? { fx: "facet" } : {};
  const top = (his: number[]) =>
    Math.min(1, Math.ceil(Math.max(0.1, ...his.filter(Number.isFinite)) * 1.15 * 20) / 20);
  const yDomain = opts.yDomain ??
    [0, top([...points.map((p) => p.hi), ...rules.map((r) => r.value)])] as [number, number];
  // Each series is named once, at its last point in the rightmost panel that has it (the names
  // sit in the gap after that panel and serve as the legend of the others), dodged per panel.
  const labels: { step: number; y: number; series: string; facet?: string }[] = [];
  const lastFacet = (s: string) =>
    facets.findLast((f) => points.some((p) => p.series === s && p.facet === f));
  for (const facet of faceted ? facets : [undefined]) {
    const ends = series.flatMap((s) => {
      if (faceted && lastFacet(s) !== facet) return [];
      const own = points.filter((p) => p.series === s && p.facet === facet);
      const last = own.reduce<BandPoint | undefined>(
        (a, p) => (a === undefined || p.step > a.step ? p : a),
        undefined,
      );
      return last ? [last] : [];
    });
    // At the panel's right edge, also for a series that stopped early (an untrained baseline).
    const right = maxOf(points.filter((p) => p.facet === facet).map((p) => p.step));
    const ys = dodge(ends.map((p) => p.mean), {
      domain: yDomain,
      height: height - margin.top - margin.bottom,
    });
    ends.forEach((p, i) =>
      labels.push({
        step: right,
        y: ys[i]!,
        series: p.series,
        ...(facet !== undefined ? { facet } : {}),
      })
    );
  }
  // A series seen at one x only (an untrained baseline) has no line: a dot shows it.
  const single = points.filter((p) =>
    !points.some((q) => q !== p && q.series === p.series && q.facet === p.facet)
  );
  const longest = maxOf(series.map((s) => s.length), 0);
  return plotToSvg({
    width,
    height,
    marginLeft: 50,
    marginTop: margin.top,
    marginBottom: margin.bottom,
    marginRight: Math.min(140, 12 + 6 * longest),
    ...(faceted ? { fx: { label: null, domain: facets } } : {}),
    x: { label: opts.xLabel ?? "step", tickFormat: xTicks(points.map((p) => p.step)) },
    y: { label: opts.yLabel ?? null, grid: true, domain: yDomain },
    color: colorScale(series),
    marks: [
      Plot.ruleY(rules, { y: "value", stroke: "series", strokeDasharray: "4,3", ...fx }),
      Plot.areaY(points, {
        x: "step",
        y1: "lo",
        y2: "hi",
        fill: "series",
        fillOpacity: 0.15,
        ...fx,
      }),
      Plot.line(points, { x: "step", y: "mean", z: "series", stroke: "series", ...fx }),
      Plot.dot(single, { x: "step", y: "mean", fill: "series", r: 3, ...fx }),
      Plot.text(labels, {
        x: "step",
        y: "y",
        text: "series",
        fill: "series",
        dx: 6,
        textAnchor: "start",
        ...fx,
      }),
    ],
  });
}
