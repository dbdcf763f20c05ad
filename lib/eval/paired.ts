/**
 * Paired comparison of a variant with the base it started from, on the *same* eval tasks: the
 * mean over seeds and tasks of (variant score − base score), with a 95% bootstrap interval that
 * resamples both seeds and tasks (a crossed design: every seed is scored on every task). Pairing
 * removes the tasks' own difficulty from the comparison, so a difference of a few points is
 * visible where two unpaired accuracies' intervals would overlap.
 *
 * @example
 * ```ts
 * import { pairedDifference } from "./paired.ts";
 * const base = new Map([["t1", 0], ["t2", 1], ["t3", 0]]);
 * const seeds = [new Map([["t1", 1], ["t2", 1], ["t3", 0]]), new Map([["t1", 0], ["t2", 1], ["t3", 1]])];
 * const d = pairedDifference(seeds, base); // mean +1/3, with its interval
 * ```
 * @module
 */
import { InputError } from "../errors.ts";
import { Rng } from "../rng.ts";
import type { TaskOutcome } from "./evaluate.ts";
import { TASK_TYPES } from "../task_types.ts";

/** One model's score per task (task key → score in [0, 1]). */
export type TaskScores = ReadonlyMap<string, number>;

/** The paired difference of a variant and its base. */
export interface PairedDiff {
  /** Mean of variant − base over seeds and tasks. */
  mean: number;
  /** 95% interval (2.5th and 97.5th percentiles of the bootstrap means). */
  lo: number;
  hi: number;
  /** The variant's and the base's mean accuracy on the same tasks. */
  variant: number;
  base: number;
  seeds: number;
  tasks: number;
  /**
   * Where the interval's width comes from: the half-width of the 95% interval when only the seeds
   * are resampled (the tasks held fixed) and when only the tasks are (the seeds held fixed). The
   * larger one says what to add to narrow it: seeds, or eval tasks.
   */
  seedHalfWidth: number;
  taskHalfWidth: number;
}

/** Options of {@linkcode pairedDifference}. */
export interface PairedOptions {
  /** Bootstrap resamples (default 2000). */
  resamples?: number;
  /** Seed of the resampling (default 0: the same data give the same interval). */
  seed?: number;
}

/**
 * The paired difference of `variant` (one score map per seed) and `base` (one map shared by
 * every seed, or one per seed: each seed's own starting point). Every map must score exactly the
 * base's tasks; a missing or extra task is an error naming it.
 */
export function pairedDifference(
  variant: readonly TaskScores[],
  base: TaskScores | readonly TaskScores[],
  opts: PairedOptions = {},
): PairedDiff {
  const bases = isList(base) ? base : variant.map(() => base);
  if (variant.length === 0) throw new InputError("Paired difference: no variant seeds");
  if (bases.length !== variant.length) {
    throw new InputError(
      `Paired difference: ${variant.length} variant seeds but ${bases.length} bases`,
    );
  }
  const tasks = [...bases[0]!.keys()].sort();
  if (tasks.length === 0) throw new InputError("Paired difference: the base scores no task");
  // d[s][t] = variant − base, on the same task.
  const d = variant.map((v, s) => {
    const b = bases[s]!;
    for (const m of [v, b]) {
      const missing = tasks.find((t) => !m.has(t));
      const extra = [...m.keys()].find((t) => !b.has(t) || !bases[0]!.has(t));
      if (missing !== undefined || extra !== undefined) {
        throw new InputError(
          `Paired difference: seed ${s} is not scored on the base's tasks (${
            missing !== undefined ? `missing '${missing}'` : `extra '${extra}'`
          }); compare runs evaluated on the same eval set`,
        );
      }
    }
    return tasks.map((t) => v.get(t)! - b.get(t)!);
  });
  const S = d.length;
  const T = tasks.length;
  const meanOf = (seeds: readonly number[], ts: readonly number[]) => {
    let sum = 0;
    for (const s of seeds) for (const t of ts) sum += d[s]![t]!;
    return sum / (seeds.length * ts.length);
  };
  const all = (n: number) => Array.from({ length: n }, (_, i) => i);
  const rng = new Rng(opts.seed ?? 0);
  const means: number[] = [];
  for (let b = 0; b < (opts.resamples ?? 2000); b++) {
    const seeds = Array.from({ length: S }, () => rng.int(S));
    const ts = Array.from({ length: T }, () => rng.int(T));
    means.push(meanOf(seeds, ts));
  }
  const q = (p: number) => quantile(means, p);
  // One factor resampled at a time: the per-seed means over all tasks, the per-task means over
  // all seeds.
  const bySeed = all(S).map((s) => meanOf([s], all(T)));
  const byTask = all(T).map((t) => meanOf(all(S), [t]));
  const halfWidth = (xs: readonly number[]) => {
    const ms: number[] = [];
    for (let b = 0; b < (opts.resamples ?? 2000); b++) {
      let sum = 0;
      for (let i = 0; i < xs.length; i++) sum += xs[rng.int(xs.length)]!;
      ms.push(sum / xs.length);
    }
    return (quantile(ms, 0.975) - quantile(ms, 0.025)) / 2;
  };
  const avg = (ms: readonly TaskScores[]) =>
    ms.reduce((s, m) => s + tasks.reduce((x, t) => x + m.get(t)!, 0), 0) / (ms.length * T);
  return {
    mean: meanOf(all(S), all(T)),
    lo: q(0.025),
    hi: q(0.975),
    variant: avg(variant),
    base: avg(bases),
    seeds: S,
    tasks: T,
    seedHalfWidth: halfWidth(bySeed),
    taskHalfWidth: halfWidth(byTask),
  };
}

/** A variant and the base it is compared with (one score map per seed, or one shared base). */
export interface PairedArm {
  variant: readonly TaskScores[];
  base: TaskScores | readonly TaskScores[];
}

/**
 * The difference of two gains on the same tasks: (a.variant − a.base) − (b.variant − b.base), e.g.
 * what one recipe gains from one base against what it gains from another. Seed s of `a` is paired
 * with seed s of `b` (both arms need the same number of seeds) and every map must score the same
 * tasks; the interval resamples seeds and tasks as {@linkcode pairedDifference}'s does. In the
 * result, `variant` and `base` are the two arms' mean gains (not accuracies).
 */
export function gainDifference(
  a: PairedArm,
  b: PairedArm,
  opts: PairedOptions = {},
): PairedDiff {
  const perSeed = (arm: PairedArm) =>
    isList(arm.base) ? arm.base : arm.variant.map(() => arm.base as TaskScores);
  const [aBase, bBase] = [perSeed(a), perSeed(b)];
  if (a.variant.length !== b.variant.length) {
    throw new InputError(
      `Gain difference: ${a.variant.length} seeds on one side, ${b.variant.length} on the other (seed s is paired with seed s)`,
    );
  }
  const gain = (arm: PairedArm) => pairedDifference(arm.variant, arm.base, opts).mean;
  // (vA − bA) − (vB − bB) = (vA + bB) − (bA + vB): one paired difference of summed scores.
  const sum = (x: TaskScores, y: TaskScores | undefined, s: number) => {
    if (y === undefined) throw new InputError(`Gain difference: no base for seed ${s}`);
    if (y.size !== x.size) {
      throw new InputError(
        `Gain difference: seed ${s} scores ${x.size} tasks on one side and ${y.size} on the other; compare runs evaluated on the same eval set`,
      );
    }
    return new Map([...x].map(([t, v]) => {
      const w = y.get(t);
      if (w === undefined) {
        throw new InputError(
          `Gain difference: task '${t}' is scored on one side only; compare runs evaluated on the same eval set`,
        );
      }
      return [t, v + w];
    }));
  };
  const d = pairedDifference(
    a.variant.map((v, s) => sum(v, bBase[s], s)),
    aBase.map((m, s) => sum(m, b.variant[s], s)),
    opts,
  );
  return { ...d, variant: gain(a), base: gain(b) };
}

/** A difference as points with its interval, `+1.3 [−2.0, +4.7]` (reports, logs, summaries). */
export function formatDiffPoints(d: Pick<PairedDiff, "mean" | "lo" | "hi">): string {
  const signed = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(100 * x).toFixed(1)}`;
  return `${signed(d.mean)} [${signed(d.lo)}, ${signed(d.hi)}]`;
}

/** The p-quantile of `xs` (sorted in place), as the bootstrap intervals read it. */
function quantile(xs: number[], p: number): number {
  xs.sort((a, b) => a - b);
  return xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
}

function isList(b: TaskScores | readonly TaskScores[]): b is readonly TaskScores[] {
  return Array.isArray(b);
}

/**
 * Per task type that every run scored: the paired difference of `variant` (one eval's outcomes
 * per seed) and `base` (one per seed, or one shared), task types in the kit's order.
 */
export function pairedByTaskType(
  variant: readonly (readonly TaskOutcome[])[],
  base: readonly (readonly TaskOutcome[])[],
  by: PairedBy = "type",
): { task: string; diff: PairedDiff }[] {
  const v = variant.map((o) => scoresByTask(o, by));
  const b = base.map((o) => scoresByTask(o, by));
  return sharedGroups([...v, ...b]).map((task) => {
    const bases = b.map((m) => m.get(task)!);
    const diff = pairedDifference(
      v.map((m) => m.get(task)!),
      bases.length === 1 ? bases[0]! : bases,
    );
    return { task, diff };
  });
}

/**
 * Per task type every run scored: {@linkcode gainDifference} of two arms, each a variant's
 * outcomes per seed and its base's (one per seed, or one shared).
 */
export function gainDifferenceByTaskType(
  a: { variant: readonly (readonly TaskOutcome[])[]; base: readonly (readonly TaskOutcome[])[] },
  b: { variant: readonly (readonly TaskOutcome[])[]; base: readonly (readonly TaskOutcome[])[] },
  by: PairedBy = "type",
): { task: string; diff: PairedDiff }[] {
  const maps = [a.variant, a.base, b.variant, b.base].map((runs) =>
    runs.map((o) => scoresByTask(o, by))
  );
  const arm = (
    v: Map<string, Map<string, number>>[],
    base: Map<string, Map<string, number>>[],
    task: string,
  ) => {
    const bases = base.map((m) => m.get(task)!);
    return { variant: v.map((m) => m.get(task)!), base: bases.length === 1 ? bases[0]! : bases };
  };
  const [va, ba, vb, bb] = maps as [typeof maps[0], typeof maps[0], typeof maps[0], typeof maps[0]];
  return sharedGroups(maps.flat()).map((task) => ({
    task,
    diff: gainDifference(arm(va, ba, task), arm(vb, bb, task)),
  }));
}

/**
 * How paired rows split a task type: `type` (one row per type), `size` (per program body size)
 * or `signature` (per signature); outcomes that lack the field (evals written before it was kept)
 * fall in a `?` group.
 */
export type PairedBy = "type" | "size" | "signature";

/** The group of an outcome under `by`: its task type, then its size or signature. */
export function outcomeGroup(o: TaskOutcome, by: PairedBy = "type"): string {
  if (by === "type") return o.task;
  const part = by === "size" ? (o.size === undefined ? "?" : `size ${o.size}`) : o.signature ?? "?";
  return `${o.task} ${part}`;
}

/** One eval's outcomes as score maps per group ({@linkcode outcomeGroup}; key: `suite/id`). */
export function scoresByTask(
  outcomes: readonly TaskOutcome[],
  by: PairedBy = "type",
): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const o of outcomes) {
    const g = outcomeGroup(o, by);
    let m = out.get(g);
    if (!m) out.set(g, m = new Map());
    m.set(`${o.suite}/${o.id}`, o.score);
  }
  return out;
}

/** The groups every map has: task types in their order, then by size (numeric) or name, `?` last. */
function sharedGroups(maps: readonly Map<string, unknown>[]): string[] {
  const all = [...new Set(maps.flatMap((m) => [...m.keys()]))]
    .filter((g) => maps.every((m) => m.has(g)));
  const rank = (g: string) => TASK_TYPES.findIndex((t) => g === t || g.startsWith(`${t} `));
  const size = (g: string) => Number(/size (\d+)$/.exec(g)?.[1] ?? Infinity);
  const unknown = (g: string) => (g.endsWith(" ?") ? 1 : 0);
  return all.sort((a, b) =>
    rank(a) - rank(b) || unknown(a) - unknown(b) || size(a) - size(b) ||
    (a < b ? -1 : a > b ? 1 : 0)
  );
}
