/**
 * How much a solver's samples hold beyond its greedy answer: k answers per task at temperature 1,
 * checked in the sandbox, summarised as the sampled accuracy (pass@1 of a sample) and pass@j
 * (some of j samples right) for j = 1, 2, 4, … up to k, with the unbiased estimator of Chen et al.
 * (2021, "Evaluating Large Language Models Trained on Code"). RL's reward only sees sampled
 * answers: pass@k above the greedy accuracy is the room that sharpening the distribution can
 * collect, and a pass@k close to it says that the errors are not sampling noise.
 * @module
 */
import type { Policy } from "../model/policy.ts";
import type { TaskOutcome } from "./evaluate.ts";
import { Rng } from "../rng.ts";
import type { Executor } from "../sandbox/mod.ts";
import { TASK_TYPES, type TaskType } from "../task_types.ts";
import type { TaskRecord } from "../tasks/records.ts";
import { checkAttempts, sampleEach, type SolveOptions } from "../tasks/solve.ts";

/**
 * Unbiased pass@j from c correct answers among n samples: 1 − C(n−c, j) / C(n, j), computed as a
 * product (no large binomials). Requires 1 ≤ j ≤ n and 0 ≤ c ≤ n.
 */
export function passAt(n: number, c: number, j: number): number {
  if (!(Number.isInteger(n) && Number.isInteger(c) && Number.isInteger(j))) {
    throw new RangeError(`passAt needs integers, got n=${n} c=${c} j=${j}`);
  }
  if (j < 1 || j > n || c < 0 || c > n) {
    throw new RangeError(`passAt needs 1 ≤ j ≤ n and 0 ≤ c ≤ n, got n=${n} c=${c} j=${j}`);
  }
  if (n - c < j) return 1;
  let none = 1; // C(n−c, j) / C(n, j) = Π_{i=n−c+1..n} (1 − j/i)
  for (let i = n - c + 1; i <= n; i++) none *= 1 - j / i;
  return 1 - none;
}

/** One task type's sampling headroom. */
export interface PassAtRow {
  task: TaskType;
  /** Tasks (queries). */
  n: number;
  /** Samples per task. */
  k: number;
  /** Mean share of right samples (the expected pass@1 of one sample). */
  sampled: number;
  /** pass@j for j = 1, 2, 4, …, and k, averaged over the tasks. */
  passAt: Record<number, number>;
}

/** Options of {@linkcode sampledCorrect}. */
export interface PassAtOptions extends Omit<SolveOptions, "temperature" | "greedy"> {
  /** Samples per task. */
  k: number;
  seed: number;
  /** Sampling temperature (default 1, as self-play's solver samples). */
  temperature?: number;
  /** Prompts per sampling call (default 512): bounds memory. */
  chunk?: number;
}

/** The j at which pass@j is reported: powers of two below k, and k. */
export function passAtLevels(k: number): number[] {
  const levels: number[] = [];
  for (let j = 1; j < k; j *= 2) levels.push(j);
  return [...levels, k];
}

/** k samples of each record, scored in the sandbox: the right samples per record, in its order. */
export async function sampledCorrect(
  policy: Policy,
  executor: Executor,
  records: readonly TaskRecord[],
  opts: PassAtOptions,
): Promise<number[]> {
  if (!(Number.isInteger(opts.k) && opts.k >= 1)) {
    throw new RangeError(`sampledCorrect: k must be a positive integer, got ${opts.k}`);
  }
  const rng = new Rng(opts.seed);
  const correct: number[] = [];
  await sampleEach(
    policy,
    records,
    rng,
    { ...opts, temperature: opts.temperature ?? 1, greedy: false },
    async (_, attempts) => {
      const outcomes = await checkAttempts(executor, attempts.flat());
      attempts.forEach((_, j) => {
        const mine = outcomes.slice(j * opts.k, (j + 1) * opts.k);
        correct.push(mine.filter((o) => o === "correct").length);
      });
    },
  );
  return correct;
}

/** Rows per task type present (TASK_TYPES order) from the right samples of each record, of k. */
export function headroomRows(
  records: readonly TaskRecord[],
  correct: readonly number[],
  k: number,
): PassAtRow[] {
  if (correct.length !== records.length) {
    throw new RangeError(`headroomRows: ${correct.length} counts for ${records.length} records`);
  }
  const levels = passAtLevels(k);
  return TASK_TYPES.flatMap((task) => {
    const cs = records.flatMap((r, i) => (r.task === task ? [correct[i]!] : []));
    if (cs.length === 0) return [];
    const mean = (f: (c: number) => number) => cs.reduce((s, c) => s + f(c), 0) / cs.length;
    return [{
      task,
      n: cs.length,
      k,
      sampled: mean((c) => c / k),
      passAt: Object.fromEntries(levels.map((j) => [j, mean((c) => passAt(k, c, j))])),
    }];
  });
}

/** An eval task whose queries were sampled: the key fields of its greedy outcome. */
export type SampledTask = Pick<TaskOutcome, "suite" | "id" | "task" | "size" | "signature">;

/**
 * Per task (`tasks[i]` is record i's task, keyed by suite and id), the share of its queries' samples
 * that are right: outcomes in the shape a greedy eval writes, so that sampled accuracy pairs as
 * greedy accuracy does (`deno task paired`). `answer` says the count.
 */
export function sampledOutcomes(
  tasks: readonly SampledTask[],
  correct: readonly number[],
  k: number,
): TaskOutcome[] {
  if (correct.length !== tasks.length) {
    throw new RangeError(`sampledOutcomes: ${correct.length} counts for ${tasks.length} records`);
  }
  const out = new Map<string, { t: SampledTask; right: number; samples: number }>();
  tasks.forEach((t, i) => {
    const key = `${t.suite}/${t.id}`;
    const o = out.get(key) ?? out.set(key, { t, right: 0, samples: 0 }).get(key)!;
    o.right += correct[i]!;
    o.samples += k;
  });
  return [...out.values()].map(({ t, right, samples }) => ({
    suite: t.suite,
    id: t.id,
    task: t.task,
    score: right / samples,
    answer: `${right} of ${samples} samples right`,
    ...(t.size === undefined ? {} : { size: t.size }),
    ...(t.signature === undefined ? {} : { signature: t.signature }),
  }));
}
