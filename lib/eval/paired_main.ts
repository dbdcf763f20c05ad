/**
 * `deno task paired --base RUN [RUN ...] --variant RUN [RUN ...] [--minus-base RUN ... --minus-variant RUN ...] [--by G] [--json]`
 *
 * A RUN is a run folder, or a report that `deno task eval --json` wrote (a `.json` file: its one
 * set, e.g. `--set train --programs lambda`, scored by two checkpoints on the same tasks; written
 * with `--passAt K`, also the set's sampled accuracy per task, paired as the set `NAME sampled`).
 *
 * Compares finished runs on the *same* eval tasks (their `eval.json`: self-play's suites,
 * generator set and set beyond the bank; pre-training's generator, train and suite sets): per
 * eval set and task type, the variant's and the base's accuracy and the mean paired difference (variant − base) over
 * seeds and tasks with its 95% bootstrap interval (./paired.ts). Give one base for every
 * variant seed (paired seed by seed, in the order given) or one base shared by all.
 *
 * With `--minus-base` and `--minus-variant` (a second pair scored on the same tasks) it reports the
 * difference of the two gains, (variant − base) − (minus-variant − minus-base), with its interval:
 * e.g. what a recipe gains from one base against what it gains from another. With `--by size` or
 * `--by signature` each task type's rows split by program size or signature: where a difference
 * lies.
 * @module
 */
import { parseFlags, runCli, UsageError } from "../cli.ts";
import type { TaskOutcome } from "./evaluate.ts";
import { EVAL_CLI_SET_NAMES } from "./eval_sets.ts";
import { type EvalJsonReport, readEvalOutcomes, readEvalReport } from "../trainer/run_files.ts";
import {
  gainDifferenceByTaskType,
  type PairedBy,
  pairedByTaskType,
  type PairedDiff,
} from "./paired.ts";

const USAGE = `Usage: deno task paired --base RUN [RUN ...] --variant RUN [RUN ...]
         [--minus-base RUN ... --minus-variant RUN ...] [--by G] [--json]

  --base RUN ...           the runs compared against (one per variant run, paired in order, or one)
  --variant RUN ...        the runs compared (e.g. the seeds of one variant)
  --minus-base RUN ...     with --minus-variant: a second pair on the same tasks; the rows are then
  --minus-variant RUN ...  the difference of the gains, (variant − base) − (minus-variant − minus-base),
                           seed s paired with seed s (the same number of variant runs on both sides)
  --by G                   type (default): a row per task type; size or signature: a row per task
                           type and program size, or signature (where the difference lies)
  --json                   print the rows as JSON

  A RUN is a run folder (its eval.json) or a .json report of deno task eval --json (its one set;
  with --passAt K also its sampled accuracy per task: the set 'NAME sampled').`;

type ListFlag = "base" | "variant" | "minus-base" | "minus-variant";
const LIST_FLAGS: readonly ListFlag[] = ["base", "variant", "minus-base", "minus-variant"];

/**
 * One run's final outcomes per eval set (self-play's top-level outcomes are its suites), or, for
 * a `.json` file that `deno task eval --json` wrote, that report's one set.
 */
export async function runOutcomes(run: string): Promise<Record<string, TaskOutcome[]>> {
  if (run.endsWith(".json")) return await reportOutcomes(run);
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

/** The outcomes of a `deno task eval --json` report, under its set's name. */
async function reportOutcomes(path: string): Promise<Record<string, TaskOutcome[]>> {
  let report: EvalJsonReport | undefined;
  try {
    report = await readEvalReport(path);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (report === undefined) throw new UsageError(`Cannot read ${path}: no such file`);
  const name = EVAL_CLI_SET_NAMES[report.set];
  return {
    [name]: report.outcomes as TaskOutcome[],
    ...(report.sampledOutcomes
      ? { [`${name} sampled`]: report.sampledOutcomes as TaskOutcome[] }
      : {}),
  };
}

/** One row of the comparison. */
export interface PairedCompareRow {
  set: string;
  task: string;
  diff: PairedDiff;
}

/** One `--[minus-]base` run for all, or one per `--[minus-]variant` run. */
function checkBases(bases: readonly string[], variants: readonly string[], flag = ""): void {
  if (bases.length !== 1 && bases.length !== variants.length) {
    throw new UsageError(
      `Give one --${flag}base run, or one per --${flag}variant run (${variants.length}); got ${bases.length}`,
    );
  }
}

/**
 * Reads every group's runs and, per eval set that all of them have, the rows `diffs` makes of
 * the groups' outcomes (in the groups' order).
 */
async function rowsPerSet(
  groups: readonly (readonly string[])[],
  diffs: (outcomes: TaskOutcome[][][]) => { task: string; diff: PairedDiff }[],
): Promise<PairedCompareRow[]> {
  const read = await Promise.all(groups.map((runs) => Promise.all(runs.map(runOutcomes))));
  const rows: PairedCompareRow[] = [];
  for (const set of ["generator", "beyond", "train", "suite"].flatMap((s) => [s, `${s} sampled`])) {
    if (!read.flat().every((r) => r[set])) continue;
    const outcomes = read.map((runs) => runs.map((r) => r[set]!));
    rows.push(...diffs(outcomes).map(({ task, diff }) => ({ set, task, diff })));
  }
  if (rows.length === 0) {
    throw new UsageError("The runs share no eval set with outcomes: nothing to pair");
  }
  return rows;
}

/** Per eval set every run has, and task type: the paired difference of variants and bases. */
export async function comparePaired(
  bases: readonly string[],
  variants: readonly string[],
  by: PairedBy = "type",
): Promise<PairedCompareRow[]> {
  checkBases(bases, variants);
  return await rowsPerSet([variants, bases], ([v, b]) => pairedByTaskType(v!, b!, by));
}

/**
 * Per eval set every run has, and task type: the difference of two gains on the same tasks,
 * (variants − bases) − (minusVariants − minusBases); a row's `diff.variant` and `diff.base` are the
 * two gains.
 */
export async function compareGains(
  bases: readonly string[],
  variants: readonly string[],
  minusBases: readonly string[],
  minusVariants: readonly string[],
  by: PairedBy = "type",
): Promise<PairedCompareRow[]> {
  checkBases(bases, variants);
  checkBases(minusBases, minusVariants, "minus-");
  if (variants.length !== minusVariants.length) {
    throw new UsageError(
      `Give as many --minus-variant runs as --variant runs (seed s is paired with seed s): ${minusVariants.length} and ${variants.length}`,
    );
  }
  return await rowsPerSet(
    [variants, bases, minusVariants, minusBases],
    ([v, b, mv, mb]) =>
      gainDifferenceByTaskType({ variant: v!, base: b! }, { variant: mv!, base: mb! }, by),
  );
}

/**
 * Rows as text: accuracy of each side (or, for {@linkcode compareGains}' rows, `gains`: each pair's
 * gain in points), the difference in points with its interval.
 */
export function formatPaired(rows: readonly PairedCompareRow[], gains = false): string {
  const pct = (x: number) => gains ? signed(x).padStart(5) : (100 * x).toFixed(1).padStart(5);
  const signed = (x: number) => `${x >= 0 ? "+" : "-"}${Math.abs(100 * x).toFixed(1)}`;
  const w = Math.max(10, ...rows.map((r) => r.task.length));
  const sw = Math.max(10, ...rows.map((r) => r.set.length));
  return [
    `${"set".padEnd(sw)} ${"task".padEnd(w)} ${
      gains ? "gain       minus gain" : "variant %  base %"
    }  difference (points, 95% CI)  seeds × tasks  ± seeds / tasks alone`,
    ...rows.map(({ set, task, diff: d }) =>
      `${set.padEnd(sw)} ${task.padEnd(w)} ${pct(d.variant)}     ${pct(d.base)}${
        gains ? "      " : ""
      }   ${`${signed(d.mean)} [${signed(d.lo)}, ${signed(d.hi)}]`.padEnd(28)}  ${
        `${d.seeds} × ${d.tasks}`.padEnd(13)
      }  ±${(100 * d.seedHalfWidth).toFixed(1)} / ±${(100 * d.taskHalfWidth).toFixed(1)}`
    ),
    "(± seeds / tasks alone: the interval's half-width when only the seeds, or only the tasks, are resampled: the larger says what to add)",
  ].join("\n");
}

async function main(): Promise<void> {
  // parseArgs takes a flag's value from the next word only: gather the words after each flag.
  const lists: Record<ListFlag, string[]> = {
    base: [],
    variant: [],
    "minus-base": [],
    "minus-variant": [],
  };
  let current: ListFlag | undefined;
  const rest: string[] = [];
  for (const a of Deno.args) {
    const flag = LIST_FLAGS.find((f) => a === `--${f}`);
    if (flag) current = flag;
    else if (a.startsWith("--")) {
      current = undefined;
      rest.push(a);
    } else if (current) lists[current].push(a);
    else rest.push(a);
  }
  const { values } = parseFlags(rest, {
    json: { type: "boolean", default: false },
    by: { type: "string", default: "type" },
  }, USAGE);
  const by = values.by;
  if (by !== "type" && by !== "size" && by !== "signature") {
    throw new UsageError(`--by must be type, size or signature, got '${by}'`);
  }
  if (lists.base.length === 0 || lists.variant.length === 0) {
    throw new UsageError("Give --base RUN ... and --variant RUN ... (see --help)");
  }
  const minus = lists["minus-base"].length > 0 || lists["minus-variant"].length > 0;
  if (minus && (lists["minus-base"].length === 0 || lists["minus-variant"].length === 0)) {
    throw new UsageError("Give both --minus-base RUN ... and --minus-variant RUN ... (see --help)");
  }
  const rows = minus
    ? await compareGains(
      lists.base,
      lists.variant,
      lists["minus-base"],
      lists["minus-variant"],
      by,
    )
    : await comparePaired(lists.base, lists.variant, by);
  console.log(values.json ? JSON.stringify(rows, null, 2) : formatPaired(rows, minus));
}

if (import.meta.main) await runCli(main);
