/**
 * Metrics: one flat JSON object per step in `metrics.jsonl`, keys namespaced
 * by what they measure (`reward/propose/deduction`, `acc/solve/induction`,
 * `sandbox/valid_rate`, `perf/step_s`, `eval/suite/abduction`, …; the eval sets' keys are
 * described in ../eval/eval_sets.ts).
 * Non-finite numbers are written as null so that a NaN is visible, not hidden.
 * @module
 */
import { z } from "zod";
import { readJsonl } from "../jsonl.ts";
import { currentMetricKey } from "../eval/eval_sets.ts";

/** One step's metrics. `step` is always present. */
export type Metrics = Record<string, number | string | null> & { step: number };

const MetricsSchema = z.record(z.string(), z.union([z.number(), z.string(), z.null()]))
  .refine((r) => typeof r.step === "number", "every record needs a numeric 'step'");

/** Appends one record per call (the file is opened, appended, closed: a killed run loses nothing written). */
export async function appendMetrics(path: string, record: Metrics): Promise<void> {
  const clean: Record<string, number | string | null> = {};
  for (const [k, v] of Object.entries(record)) {
    clean[k] = typeof v === "number" && !Number.isFinite(v) ? null : v;
  }
  await Deno.writeTextFile(path, JSON.stringify(clean) + "\n", { append: true, create: true });
}

/**
 * Reads metrics, keeping records with step ≤ maxStep. A torn last line (a run killed mid-write)
 * is skipped; any other bad line throws with file:line ({@linkcode readJsonl}). Keys that runs
 * wrote before the eval sets' one scheme are read under their current names (`currentMetricKey`).
 */
export async function readMetrics(path: string, maxStep = Infinity): Promise<Metrics[]> {
  const records = await readJsonl(path, MetricsSchema) as Metrics[];
  return records.filter((r) => r.step <= maxStep).map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [currentMetricKey(k), v])) as Metrics
  );
}

/** Mean of the finite numbers (NaN when there are none). */
export function mean(xs: readonly number[]): number {
  let s = 0;
  let n = 0;
  for (const x of xs) {
    if (Number.isFinite(x)) {
      s += x;
      n++;
    }
  }
  return n ? s / n : NaN;
}
