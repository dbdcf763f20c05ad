/**
 * Held-out evaluation: the policy answers the hand-written suites
 * (`data/eval/*.jsonl`) as a solver, greedily by default; answers are checked
 * in the sandbox exactly as in training. Tasks the language cannot express
 * (their program or signature is outside it, or a value is out of the codec's
 * bounds) are counted as "not expressible", not as failures.
 *
 * The enumerative-search baseline (lib/lang) answers the induction tasks from
 * the same shown examples, checked the same way.
 * @module
 */
import type { TaskType } from "../config.ts";
import { parseProgram } from "../lang/parse.ts";
import { renderProgram } from "../lang/render.ts";
import { enumerativeSearch } from "../lang/search.ts";
import { signatureByName, type ValueBounds } from "../lang/types.ts";
import { checkArgs, checkValue } from "../lang/values.ts";
import type { Policy } from "../model/policy.ts";
import { Rng } from "../rng.ts";
import type { Executor } from "../sandbox/mod.ts";
import type { PromptOptions } from "../tasks/prompts.ts";
import type { Json, TaskRecord } from "../tasks/records.ts";
import { checkAnswers, checkAttempts, renderAnswer, solveTasks } from "../tasks/solve.ts";
import type { EvalSuite, EvalTask } from "./suite.ts";

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
  /** Evaluation budget of the enumerative search per induction task (0 = skip the baseline). */
  searchEvals?: number;
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
}

/** The result of an evaluation. */
export interface EvalReport {
  /** Mean score per task type over expressible tasks. */
  accuracy: Record<string, number>;
  /** The enumerative-search baseline's induction accuracy (when run). */
  searchAccuracy: Record<string, number>;
  /** Per suite file and task type. */
  perSuite: Record<string, Record<string, number>>;
  /** Tasks outside the language, per type, with the reason. */
  notExpressible: { suite: string; id: string; task: TaskType; reason: string }[];
  outcomes: TaskOutcome[];
}

/** Turns an eval task into task records (one per query), or the reason it is not expressible. */
export function evalTaskRecords(t: EvalTask, bounds: ValueBounds): TaskRecord[] | string {
  const declared = t.signature ? signatureByName(t.signature) : undefined;
  if (t.signature && !declared) return `signature ${t.signature} is outside the language`;
  let tokens: number[] = [];
  let program = t.program ?? "";
  let signature = declared;
  if (t.task !== "induction" || t.program) {
    const parsed = parseProgram(t.program ?? "", declared ? { signature: declared } : {});
    if (!parsed.ok) {
      if (t.task !== "induction") return `program: ${parsed.construct}: ${parsed.message}`;
    } else {
      tokens = parsed.tokens;
      signature = parsed.signature;
      program = renderProgram(tokens);
    }
  }
  if (!signature) return "no signature";
  for (const ex of t.examples) {
    const a = checkArgs(signature, ex.input, bounds);
    const o = checkValue(signature.returns, ex.output, bounds);
    if (!a.ok || !o.ok) {
      return `value out of the codec's bounds: ${a.ok ? "" : a.message}${o.ok ? "" : o.message}`;
    }
  }
  const sigName = signature.name;
  if (t.task === "induction") {
    // The solver only needs the signature; keep a placeholder program when the reference is outside the language.
    return [{
      task: "induction",
      program: program || "function f() {}",
      tokens: tokens.length ? tokens : [0],
      signature: sigName,
      examples: t.examples as { input: Json[]; output: Json }[],
      shown: t.shown,
      step: 0,
    }];
  }
  return t.examples.map((ex) => ({
    task: t.task as "deduction" | "abduction",
    program,
    tokens,
    signature: sigName,
    input: ex.input as Json[],
    output: ex.output as Json,
    step: 0,
  }));
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
    const taken: Record<string, number> = {};
    for (const t of suite.tasks) {
      taken[t.task] = (taken[t.task] ?? 0) + 1;
      if (opts.limit && taken[t.task]! > opts.limit) continue;
      const r = evalTaskRecords(t, opts);
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
    const first = attempts[k]!;
    k += rs.length;
    results.push({
      suite,
      id: t.id,
      task: t.task,
      score: own.filter((o) => o === "correct").length / rs.length,
      answer: renderAnswer(first.record, first.rollout.completion),
    });
  }
  const accuracy = meanBy(results, (r) => r.task);
  const perSuite: EvalReport["perSuite"] = {};
  for (const suite of new Set(results.map((r) => r.suite))) {
    perSuite[suite] = meanBy(results.filter((r) => r.suite === suite), (r) => r.task);
  }

  // The enumerative-search baseline on the induction tasks (same shown examples, same check).
  const searchAccuracy: Record<string, number> = {};
  const searchEvals = opts.searchEvals ?? 20_000;
  const induction = items.filter((i) => i.t.task === "induction");
  if (searchEvals > 0 && induction.length > 0) {
    const found = induction.map(({ records: [r] }) => {
      const rec = r as Extract<TaskRecord, { task: "induction" }>;
      const sig = signatureByName(rec.signature)!;
      const s = enumerativeSearch({
        signature: sig,
        examples: rec.examples.slice(0, rec.shown),
        maxEvals: searchEvals,
      });
      return { record: rec, answer: s.program ?? [], unfinished: s.program === null };
    });
    const checked = await checkAnswers(executor, found);
    searchAccuracy.induction = checked.filter((o) => o === "correct").length / checked.length;
  }
  return { accuracy, searchAccuracy, perSuite, notExpressible, outcomes: results };
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
