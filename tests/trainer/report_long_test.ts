/**
 * A long run's report: 10⁵+ proposal rows (random_tasks logs every generator task) once crashed the
 * report with "Maximum call stack size exceeded" (spreading every x into Math.max) after the run
 * had finished; now the report renders with at most MAX_DOTS dots per scatter, evenly spaced.
 */
import assert from "node:assert/strict";
import { evenly, MAX_DOTS, renderReport } from "../../lib/trainer/report.ts";
import type { ProposalRow } from "../../lib/trainer/run_files.ts";

Deno.test("evenly: at most n items, in order, spread over the whole list", () => {
  const xs = Array.from({ length: 10 }, (_, i) => i);
  assert.deepEqual(evenly(xs, 20), xs);
  assert.deepEqual(evenly(xs, 5), [0, 2, 4, 6, 8]);
  assert.deepEqual(evenly(xs, 3), [0, 3, 6]);
});

Deno.test("report of a run with 300,000 proposal rows renders, dots thinned", () => {
  const n = 300_000;
  const proposals: ProposalRow[] = Array.from({ length: n }, (_, i) => ({
    step: Math.floor(i / 128),
    task: "deduction",
    valid: true,
    programTokens: 3 + (i % 4),
    solveRate: (i % 5) / 4,
    reward: 0,
    program: "function f(x) { return x; }",
  }));
  const metrics = Array.from({ length: Math.ceil(n / 128) }, (_, step) => ({
    step,
    "accuracy/deduction": 0.5,
  }));
  const html = renderReport({ name: "long", config: {}, metrics, proposals });
  assert.match(html, /300,000 rows, evenly spaced/);
  // Two scatters (program size, solve rate), each of at most MAX_DOTS dots.
  const dots = (html.match(/<circle/g) ?? []).length;
  assert.ok(dots > 0 && dots <= 2 * MAX_DOTS, `${dots} dots`);
});
