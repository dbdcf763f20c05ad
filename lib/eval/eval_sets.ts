/**
 * Eval sets: the named sets of tasks every loop scores (self-play, pre-training, `deno task eval`,
 * the grids), and the one scheme of metric keys they are logged under.
 *
 * | set | tasks |
 * |---|---|
 * | `generator` | the canonical generator's held-out behaviours, never trained on (config `generatorEvalSeed`) |
 * | `train` | the generator's train split on fresh inputs: beside `generator` it tells under- from over-fitting (`trainEvalSeed`) |
 * | `suite` | the world's hand-written suites (config `evalSuites`) |
 * | `beyond` | programs longer than the bank's, of behaviours no bank program has (./beyond.ts; self-play's `evalBeyond`) |
 *
 * | metric | what |
 * |---|---|
 * | `eval/<set>/<task>` | greedy accuracy per task type |
 * | `eval/<set>/<task>/size<k>` | the same for programs of k body tokens (tasks whose program the language parses) |
 * | `eval/<set>/list_length` | list-valued deduction answers of the right length |
 * | `chance/<set>/<task>` | the best trivial level of the same tasks (majority answer, copy an argument, …) |
 *
 * Runs written before this scheme logged `eval/acc/<task>` and `chance/<task>` (self-play's
 * suites) and `acc/<set>/…` (pre-training); `readMetrics` renames those keys as it reads
 * ({@linkcode currentMetricKey}), so old run folders and committed results read as new ones.
 * @module
 */
import { TASK_TYPES } from "../task_types.ts";
import { bestTrivialLevels } from "./baselines.ts";
import type { EvalReport, TaskOutcome } from "./evaluate.ts";
import type { Tally } from "./baselines.ts";

/** The eval sets pre-training scores, in the order tables show them. */
export const EVAL_SETS = ["generator", "train", "suite"] as const;
/** The name of an eval set pre-training scores. */
export type PretrainSetName = (typeof EVAL_SETS)[number];
/** The name of an eval set (self-play may also score `beyond`). */
export type EvalSetName = PretrainSetName | "beyond";

/** `deno task eval --set`'s names. */
export const EVAL_CLI_SETS = ["suites", "heldout", "train", "beyond"] as const;
/** A `deno task eval --set` name. */
export type EvalCliSet = (typeof EVAL_CLI_SETS)[number];
/** The eval set each `--set` scores, under the name runs' `eval.json` and metrics give it. */
export const EVAL_CLI_SET_NAMES: Readonly<Record<EvalCliSet, EvalSetName>> = {
  suites: "suite",
  heldout: "generator",
  train: "train",
  beyond: "beyond",
};

/** Whether `name` is a `deno task eval --set` name. */
export function isEvalCliSet(name: string): name is EvalCliSet {
  return (EVAL_CLI_SETS as readonly string[]).includes(name);
}

/** The metric key of a set's accuracy on one task type (or `list_length`, or `<task>/size<k>`). */
export function evalKey(set: EvalSetName, what: string): string {
  return `eval/${set}/${what}`;
}

/** The metric key of a set's best trivial level on one task type. */
export function chanceKey(set: EvalSetName, task: string): string {
  return `chance/${set}/${task}`;
}

/**
 * A set's report as metrics: accuracy per task type and per program size, the list-length share,
 * and (with `chance`) the best trivial level of each task type.
 */
export function evalSetMetrics(
  set: EvalSetName,
  r: EvalReport,
  opts: { chance?: boolean } = {},
): Record<string, number> {
  const m: Record<string, number> = {};
  for (const [task, a] of Object.entries(r.accuracy)) m[evalKey(set, task)] = a;
  for (const [task, bySize] of Object.entries(accuracyBySize(r))) {
    for (const [size, a] of Object.entries(bySize)) m[evalKey(set, `${task}/size${size}`)] = a;
  }
  if (r.listLength.n > 0) m[evalKey(set, "list_length")] = r.listLength.k / r.listLength.n;
  if (opts.chance) {
    for (const [task, level] of Object.entries(bestTrivialLevels(r.baselines))) {
      m[chanceKey(set, task)] = level;
    }
  }
  return m;
}

/**
 * Per task type and program size (body tokens): summed score (k) and tasks (n), over the outcomes
 * that carry a size.
 */
export function tallyBySize(
  outcomes: readonly Pick<TaskOutcome, "task" | "score" | "size">[],
): Record<string, Record<string, Tally>> {
  const tally: Record<string, Record<string, Tally>> = {};
  for (const o of outcomes) {
    if (o.size === undefined) continue;
    const c = (tally[o.task] ??= {})[o.size] ??= { k: 0, n: 0 };
    c.k += o.score;
    c.n += 1;
  }
  return tally;
}

/** Accuracy per task type and program size ({@linkcode tallyBySize} as k / n). */
export function accuracyBySize(
  r: Pick<EvalReport, "outcomes">,
): Record<string, Record<string, number>> {
  return Object.fromEntries(
    Object.entries(tallyBySize(r.outcomes)).map(([task, bySize]) => [
      task,
      Object.fromEntries(Object.entries(bySize).map(([s, c]) => [s, c.k / c.n])),
    ]),
  );
}

const LEGACY_PRETRAIN = /^acc\/(generator|train|suite)\/(.+)$/;
const LEGACY_TASKS: readonly string[] = TASK_TYPES;

/**
 * The current name of a metric key that runs wrote before the one scheme: self-play's
 * `eval/acc/<task>` → `eval/suite/<task>`, `chance/<task>` → `chance/suite/<task>`; pre-training's
 * `acc/<set>/…` → `eval/<set>/…`. Every other key is returned as it is.
 */
export function currentMetricKey(key: string): string {
  if (key.startsWith("eval/acc/")) return `eval/suite/${key.slice("eval/acc/".length)}`;
  if (key.startsWith("chance/") && LEGACY_TASKS.includes(key.slice("chance/".length))) {
    return `chance/suite/${key.slice("chance/".length)}`;
  }
  const m = LEGACY_PRETRAIN.exec(key);
  return m ? `eval/${m[1]}/${m[2]}` : key;
}
