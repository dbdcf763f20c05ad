/**
 * One colour per task type in every figure of the kit (reports, grid summaries, notebooks):
 * deduction blue, abduction orange, induction green. Series that name a task type in another
 * role (a pre-training view `propose_deduction`) get a tint of its colour; any other series
 * (variants, runs, eval sets) takes the next colour of a palette that avoids the three.
 *
 * @example
 * ```ts
 * import { colorScale, TASK_COLORS } from "./colors.ts";
 * const scale = colorScale(["induction", "deduction", "loss"]);
 * console.log(scale.range[0] === TASK_COLORS.induction); // true
 * ```
 * @module
 */
import type { TaskType } from "../task_types.ts";

/** The fixed colour of each task type (Observable 10's blue, orange and green). */
export const TASK_COLORS: Readonly<Record<TaskType, string>> = {
  deduction: "#4269d0",
  abduction: "#efb118",
  induction: "#3ca951",
};

/** Lighter tints of the task colours, for the same task type in a second role. */
const TASK_TINTS: Readonly<Record<TaskType, string>> = {
  deduction: "#97bbf5",
  abduction: "#f5d78a",
  induction: "#9fd8a8",
};

/** Colours for series that are not task types (Observable 10 without the three task colours). */
export const OTHER_COLORS: readonly string[] = [
  "#ff725c",
  "#a463f2",
  "#6cc5b0",
  "#9c6b4e",
  "#ff8ab7",
  "#9498a0",
  "#222222",
];

const isTask = (s: string): s is TaskType => s in TASK_COLORS;

/** The task type a series name stands for in a second role (`propose_deduction`), if any. */
function taskIn(series: string): TaskType | undefined {
  const m = /(?:^|[_/ ])(deduction|abduction|induction)$/.exec(series);
  return m ? (m[1] as TaskType) : undefined;
}

/**
 * Plot's `color` options for these series: task types in their fixed colours, tints for
 * `…_<task>` series, the rest from {@linkcode OTHER_COLORS} in order of first appearance.
 */
export function colorScale(series: Iterable<string>): { domain: string[]; range: string[] } {
  const domain = [...new Set(series)];
  let next = 0;
  const range = domain.map((s) => {
    if (isTask(s)) return TASK_COLORS[s];
    const t = taskIn(s);
    if (t) return TASK_TINTS[t];
    return OTHER_COLORS[next++ % OTHER_COLORS.length]!;
  });
  return { domain, range };
}

/** Series in the kit's order: task types, then their tints, then the rest as given. */
export function taskOrder(series: Iterable<string>): string[] {
  const tasks = Object.keys(TASK_COLORS);
  const rank = (s: string) => {
    if (isTask(s)) return tasks.indexOf(s);
    const t = taskIn(s);
    return t ? 3 + tasks.indexOf(t) : 6;
  };
  return [...new Set(series)].map((s, i) => ({ s, i }))
    .sort((a, b) => rank(a.s) - rank(b.s) || a.i - b.i)
    .map((x) => x.s);
}
