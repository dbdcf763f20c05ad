/**
 * The kit's charts: one colour per task type in every chart, a debiased EMA checked against a
 * hand computation, end-of-line labels that never overlap, dashed reference levels.
 */
import assert from "node:assert/strict";
import {
  bandChart,
  barChart,
  colorScale,
  dodge,
  ema,
  lineChart,
  metricSeries,
  scatterChart,
  TASK_COLORS,
} from "../../lib/plot/mod.ts";

/** The fill/stroke colours a chart uses for `series` (from Plot's legend swatches or marks). */
const colorsIn = (svg: string) => new Set(svg.match(/#[0-9a-f]{6}/g) ?? []);

Deno.test("a task type has the same colour in every chart, whatever other series it is with", () => {
  const a = colorScale(["induction", "deduction"]);
  const b = colorScale(["loss", "abduction", "induction", "variant-x"]);
  assert.equal(a.range[a.domain.indexOf("induction")], TASK_COLORS.induction);
  assert.equal(b.range[b.domain.indexOf("induction")], TASK_COLORS.induction);
  assert.equal(b.range[b.domain.indexOf("abduction")], TASK_COLORS.abduction);
  // Other series never take a task type's colour.
  for (const s of ["loss", "variant-x"]) {
    assert.ok(!Object.values(TASK_COLORS).includes(b.range[b.domain.indexOf(s)]!));
  }
  const charts = [
    lineChart([{ step: 0, series: "induction", value: 1 }]),
    scatterChart([{ step: 0, task: "induction", y: 1 }], { y: "y", color: "task" }),
    barChart([{ group: "g", series: "induction", mean: 1, lo: 1, hi: 1 }]),
    bandChart([{ step: 0, series: "induction", mean: 1, lo: 1, hi: 1 }]),
  ];
  for (const svg of charts) {
    assert.ok(colorsIn(svg).has(TASK_COLORS.induction), "induction in its colour");
    assert.ok(!colorsIn(svg).has(TASK_COLORS.deduction), "and no other task's");
  }
});

Deno.test("a scatter of one step, one dot per task type, draws its lines without Plot's warning", () => {
  // A one-step run's report: one point per series, which Plot would take for a quantitative
  // stroke and warn about (on the console, in every test and notebook output) if z were implied.
  const warned: unknown[][] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => void warned.push(args);
  try {
    const rows = ["deduction", "abduction", "induction"].map((task) => ({ step: 0, task, y: 1 }));
    const svg = scatterChart(rows, { y: "y", color: "task" });
    for (const t of ["deduction", "abduction", "induction"] as const) {
      assert.ok(colorsIn(svg).has(TASK_COLORS[t]), t);
    }
  } finally {
    console.warn = warn;
  }
  assert.deepEqual(warned, []);
});

Deno.test("ema: debiased exponential average, checked by hand", () => {
  // w = 0.5: s1 = 0.5·2 = 1 → /0.5 = 2; s2 = 0.5·1 + 0.5·4 = 2.5 → /0.75 = 3.333…
  const s = ema([2, 4], 0.5);
  assert.equal(s[0], 2);
  assert.ok(Math.abs(s[1]! - 10 / 3) < 1e-12);
  assert.deepEqual(ema([1, 2, 3], 0), [1, 2, 3]);
  assert.throws(() => ema([1], 1), /weight/);
});

Deno.test("lineChart with smooth draws a faint raw line and the EMA over it", () => {
  const points = Array.from({ length: 30 }, (_, i) => ({
    step: i,
    series: "deduction",
    value: i % 2,
  }));
  const svg = lineChart(points, { smooth: 0.8 });
  assert.match(svg, /stroke-opacity="0.25"/);
  assert.match(svg, /stroke-width="2"/);
  // Short series stay raw: no faint copy.
  assert.doesNotMatch(lineChart(points.slice(0, 4), { smooth: 0.8 }), /stroke-opacity="0.25"/);
});

Deno.test("lineChart draws reference levels dashed, in their series' colour", () => {
  const svg = lineChart([{ step: 0, series: "abduction", value: 0.2 }], {
    rules: [{ series: "abduction", value: 0.1 }],
    yDomain: [0, 1],
  });
  assert.match(svg, /stroke-dasharray="4,3"/);
  const dashed = svg.match(/<g[^>]*stroke-dasharray="4,3"[^>]*>(.*?)<\/g>/)?.[1] ?? "";
  assert.match(dashed, new RegExp(`stroke="${TASK_COLORS.abduction}"`));
});

Deno.test("dodge keeps labels at least a gap apart and inside the plot", () => {
  const ys = dodge([0.5, 0.5, 0.51, 0.0, 0.01], { domain: [0, 1], height: 100, gap: 12 });
  const px = ys.map((y) => (1 - y) * 100);
  const sorted = [...px].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i]! - sorted[i - 1]! >= 12 - 1e-9);
  assert.ok(sorted.every((p) => p >= -1e-9 && p <= 100 + 1e-9));
  // Far-apart labels do not move.
  assert.deepEqual(dodge([0.1, 0.9], { domain: [0, 1], height: 100 }), [0.1, 0.9]);
});

Deno.test("metricSeries takes x from another key (tokens) when asked", () => {
  const m = [{ step: 0, "pretrain/tokens": 100, "acc/suite/deduction": 0.5 }, { step: 1 }];
  assert.deepEqual(metricSeries(m, "acc/suite/", { x: "pretrain/tokens" }), [
    { step: 100, series: "deduction", value: 0.5 },
  ]);
});
