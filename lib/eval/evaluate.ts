/**
 * Held-out evaluation: the policy answers the hand-written suites
 * (`data/eval/<world>/*.jsonl`) as a solver, greedily by default; answers are checked
 * in the sandbox exactly as in training. Tasks the language cannot express
 * (their program or signature is outside it, or a value is out of the world's
 * bounds) are counted as "not expressible", not as failures.
 *
 * Beside the model's accuracy the report holds the chance levels of the same tasks
 * (`baselines.ts`: majority answer, copy an argument, most common input, best single
 * program, and the enumerative search as the strong induction reference), checked the
 * same way, and for list-valued deduction the list-length accuracy: how often the
 * answer is a list of the right length, right or wrong elements.
 * @module
 */
import type { TaskType } from "../config.ts";
import { SEARCH_MAX_EVALS } from "../lang/search.ts";
import type { Policy } from "../model/policy.ts";
import { Rng } from "../rng.ts";
import type { Executor } from "../sandbox/mod.ts";
import { type PromptOptions, recordSignature } from "../tasks/prompts.ts";
import type { TaskRecord } from "../tasks/records.ts";
import {
  type Attempt,
  checkAttempts,
  decodeDeduction,
  renderAnswer,
  solveTasks,
} from "../tasks/solve.ts";
import { type BaselineReport, recordBaselines, type Tally } from "./baselines.ts";
import { type EvalSuite, type EvalTask, limitedTasks } from "./suite.ts";
import { evalTaskRecords, type EvalWorld } from "./task_records.ts";

/** Options of {@linkcode evaluateSuites}. */
export interface EvaluateOptions extends PromptOptions {
  /** Greedy decoding (default true). */
  greedy?: boolean;
  /** Sampling temperature when not greedy. */
  solveTemperature?: number;
  /** Only the first N tasks of each type per suite (0 = all). */
  limit?: number;
  /** Seed of the sampler (irrelevant when greedy). */
  seed?: number;
  /**
   * Evaluation budget of the enumerative search per induction task (0 = skip the search;
   * default: the config's, `SEARCH_MAX_EVALS`).
   */
  searchEvals?: number;
  /** Compute the chance levels (default true; they do not change while a model trains). */
  baselines?: boolean;
  /** Program literals of the world (tasks using others are not expressible); default: the ints. */
  literalMin?: number;
  literalMax?: number;
}

/** One task's outcome. */
export interface TaskOutcome {
  suite: string;
  id: string;
  task: TaskType;
  /** Fraction of the task's queries answered correctly (induction: 0 or 1). */
  score: number;
  /** The policy's answer for the first query, rendered. */
  answer: string;
  /** List-valued deduction: the fraction of queries whose answer is a list of the right length. */
  lengthScore?: number;
  /** The program's body size in tokens (`EvalTask.size`, else its parsed program's); absent when unknown. */
  size?: number;
  /** The task's signature, e.g. `(int[]) -> int` (absent in evals written before it was kept). */
  signature?: string;
}

/** The result of an evaluation. */
export interface EvalReport {
  /** Mean score per task type over expressible tasks. */
  accuracy: Record<string, number>;
  /** The enumerative-search baseline's induction accuracy (when run). */
  searchAccuracy: Record<string, number>;
  /** The model's correct queries per task type (induction: tasks), as the baselines count. */
  counts: Record<string, Tally>;
  /** Chance levels of the same tasks, per task type (empty lists when not computed). */
  baselines: BaselineReport;
  /**
   * Deduction queries with a list output whose answer is a list of the right length (whatever
   * its elements); n = 0 when the suites have none.
   */
  listLength: Tally;
  /** Per suite file and task type. */
  perSuite: Record<string, Record<string, number>>;
  /** Tasks outside the language, per type, with the reason. */
  notExpressible: { suite: string; id: string; task: TaskType; reason: string }[];
  outcomes: TaskOutcome[];
}

/** Evaluates the model (and the search baseline) on the suites. */
export async function evaluateSuites(
  policy: Policy,
  executor: Executor,
  suites: readonly EvalSuite[],
  opts: EvaluateOptions,
): Promise<EvalReport> {
  const items: { suite: string; t: EvalTask; records: TaskRecord[] }[] = [];
  const notExpressible: EvalReport["notExpressible"] = [];
  for (const suite of suites) {
    for (const t of limitedTasks(suite, opts.limit)) {
      const r = evalTaskRecords(t, opts as EvalWorld);
      if (typeof r === "string") {
        notExpressible.push({ suite: suite.name, id: t.id, task: t.task, reason: r });
      } else items.push({ suite: suite.name, t, records: r });
    }
  }
  const records = items.flatMap((i) => i.records);
  const attempts = await solveTasks(policy, records, new Rng(opts.seed ?? 0), {
    ...opts,
    temperature: opts.solveTemperature ?? 1,
    greedy: opts.greedy ?? true,
  });
  const outcomes = await checkAttempts(executor, attempts);

  const results: TaskOutcome[] = [];
  let k = 0;
  for (const { suite, t, records: rs } of items) {
    const own = outcomes.slice(k, k + rs.length);
    const ownAttempts = attempts.slice(k, k + rs.length);
    const first = ownAttempts[0]!;
    k += rs.length;
    const outcome: TaskOutcome = {
      suite,
      id: t.id,
      task: t.task,
      score: own.filter((o) => o === "correct").length / rs.length,
      answer: renderAnswer(first.record, first.rollout.completion),
    };
    // A parsed program has its signature token and a body; an induction task without one, [0].
    const size = t.size ??
      (first.record.tokens.length > 1 ? first.record.tokens.length - 1 : undefined);
    if (size !== undefined) outcome.size = size;
    outcome.signature = first.record.signature;
    const lengths = ownAttempts.map(listLengthRight);
    if (lengths[0] !== undefined) {
      outcome.lengthScore = lengths.filter((x) => x === true).length / rs.length;
    }
    results.push(outcome);
  }
  const accuracy = meanBy(results, (r) => r.task);
  const perSuite: EvalReport["perSuite"] = {};
  for (const suite of new Set(results.map((r) => r.suite))) {
    perSuite[suite] = meanBy(results.filter((r) => r.suite === suite), (r) => r.task);
  }

  // The model's counts, per query (induction: per task), as the baselines count.
  const counts: Record<string, Tally> = {};
  records.forEach((r, i) => {
    const c = (counts[r.task] ??= { k: 0, n: 0 });
    c.n += 1;
    if (outcomes[i] === "correct") c.k += 1;
  });
  const lengths = attempts.map(listLengthRight).filter((x) => x !== undefined);
  const listLength = { k: lengths.filter((x) => x).length, n: lengths.length };

  // Chance levels of the same records, checked the same way (the search only when asked).
  const searchEvals = opts.searchEvals ?? SEARCH_MAX_EVALS;
  const baselines: BaselineReport = opts.baselines === false
    ? { deduction: [], abduction: [], induction: [] }
    : await recordBaselines(executor, records, { bounds: opts, searchEvals });
  const searchAccuracy: Record<string, number> = {};
  const search = baselines.induction.find((b) => b.kind === "search");
  if (search && search.n > 0) searchAccuracy.induction = search.k / search.n;
  return {
    accuracy,
    searchAccuracy,
    counts,
    baselines,
    listLength,
    perSuite,
    notExpressible,
    outcomes: results,
  };
}

/**
 * For a deduction query with a list output: is the answer a list of the output's length?
 * (An unreadable answer is not.) Undefined for every other query.
 */
export function listLengthRight(a: Pick<Attempt, "record" | "rollout">): boolean | undefined {
  const r = a.record;
  if (r.task !== "deduction" || recordSignature(r).returns !== "int[]") return undefined;
  // The answer is the last value (after the trace when the solver writes one).
  const v = decodeDeduction(r, a.rollout.completion);
  return v.ok && Array.isArray(v.value.answer) && Array.isArray(r.output) &&
    v.value.answer.length === r.output.length;
}

function meanBy<T extends { score: number }>(
  xs: readonly T[],
  key: (x: T) => string,
): Record<string, number> {
  const sums: Record<string, [number, number]> = {};
  for (const x of xs) {
    const s = (sums[key(x)] ??= [0, 0]);
    s[0] += x.score;
    s[1] += 1;
  }
  return Object.fromEntries(Object.entries(sums).map(([k, [s, n]]) => [k, s / n]));
}
