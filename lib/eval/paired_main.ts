/**
 * `deno task paired --base RUN [RUN ...] --variant RUN [RUN ...] [--json]`
 *
 * Compares finished runs on the *same* eval tasks (their `eval.json`: self-play's suites,
 * generator set and set beyond the bank; pre-training's generator, train and suite sets): per
 * eval set and task type, the variant's and the base's accuracy and the mean paired difference (variant − base) over
 * seeds and tasks with its 95% bootstrap interval (./paired.ts). Give one base for every
 * variant seed (paired seed by seed, in the order given) or one base shared by all.
 * @module
 */
import { parseFlags, runCli, UsageError } from "../cli.ts";
import type { TaskOutcome } from "./evaluate.ts";
import { readEvalOutcomes } from "../trainer/run_files.ts";
import { pairedByTaskType, type PairedDiff } from "./paired.ts";

const USAGE = `Usage: deno task paired --base RUN [RUN ...] --variant RUN [RUN ...] [--json]

  --base RUN ...     the runs compared against (one per variant run, paired in order, or one)
  --variant RUN ...  the runs compared (e.g. the seeds of one variant)
  --json             print the rows as JSON`;

/** One run's final outcomes per eval set (self-play's top-level outcomes are its suites). */
export async function runOutcomes(run: string): Promise<Record<string, TaskOutcome[]>> {
  const path = `${run.replace(/\/+$/, "")}/eval.json`;
  let sets: Record<string, TaskOutcome[]> | undefined;
  try {
    sets = await readEvalOutcomes(path) as Record<string, TaskOutcome[]> | undefined;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (sets === undefined) {
    throw new UsageError(`Cannot read ${path}: no such file (has the run finished?)`);
  }
  return sets;
}

/** One row of the comparison. */
export interface PairedCompareRow {
  set: string;
  task: string;
  diff: PairedDiff;
}

/** Per eval set every run has, and task type: the paired difference of variants and bases. */
export async function comparePaired(
  bases: readonly string[],
  variants: readonly string[],
): Promise<PairedCompareRow[]> {
  if (bases.length !== 1 && bases.length !== variants.length) {
    throw new UsageError(
      `Give one --base run, or one per --variant run (${variants.length}); got ${bases.length}`,
    );
  }
  const b = await Promise.all(bases.map(runOutcomes));
  const v = await Promise.all(variants.map(runOutcomes));
  const rows: PairedCompareRow[] = [];
  for (const set of ["generator", "beyond", "train", "suite"]) {
    if (![...b, ...v].every((r) => r[set])) continue;
    const diffs = pairedByTaskType(v.map((r) => r[set]!), b.map((r) => r[set]!));
    rows.push(...diffs.map(({ task, diff }) => ({ set, task, diff })));
  }
  if (rows.length === 0) {
    throw new UsageError("The runs share no eval set with outcomes: nothing to pair");
  }
  return rows;
}

/** Rows as text: accuracy of each side, the difference in points with its interval. */
export function formatPaired(rows: readonly PairedCompareRow[]): string {
  const pct = (x: number) => (100 * x).toFixed(1).padStart(5);
  const signed = (x: number) => `${x >= 0 ? "+" : "-"}${Math.abs(100 * x).toFixed(1)}`;
  return [
    "set        task       variant %  base %  difference (points, 95% CI)  seeds × tasks  ± seeds / tasks alone",
    ...rows.map(({ set, task, diff: d }) =>
      `${set.padEnd(10)} ${task.padEnd(10)} ${pct(d.variant)}     ${pct(d.base)}   ${
        `${signed(d.mean)} [${signed(d.lo)}, ${signed(d.hi)}]`.padEnd(28)
      }  ${`${d.seeds} × ${d.tasks}`.padEnd(13)}  ±${(100 * d.seedHalfWidth).toFixed(1)} / ±${
        (100 * d.taskHalfWidth).toFixed(1)
      }`
    ),
    "(± seeds / tasks alone: the interval's half-width when only the seeds, or only the tasks, are resampled: the larger says what to add)",
  ].join("\n");
}

async function main(): Promise<void> {
  // parseArgs takes a flag's value from the next word only: gather the words after each flag.
  const lists: Record<"base" | "variant", string[]> = { base: [], variant: [] };
  let current: "base" | "variant" | undefined;
  const rest: string[] = [];
  for (const a of Deno.args) {
    if (a === "--base" || a === "--variant") current = a.slice(2) as "base" | "variant";
    else if (a.startsWith("--")) {
      current = undefined;
      rest.push(a);
    } else if (current) lists[current].push(a);
    else rest.push(a);
  }
  const { values } = parseFlags(rest, { json: { type: "boolean", default: false } }, USAGE);
  if (lists.base.length === 0 || lists.variant.length === 0) {
    throw new UsageError("Give --base RUN ... and --variant RUN ... (see --help)");
  }
  const rows = await comparePaired(lists.base, lists.variant);
  console.log(values.json ? JSON.stringify(rows, null, 2) : formatPaired(rows));
}

if (import.meta.main) await runCli(main);
