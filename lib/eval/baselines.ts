/**
 * Chance levels of a held-out suite: what answers that look at no program (or at one fixed program
 * per signature) score on the same tasks, checked exactly as the model's answers are (the answers
 * are token sequences given to `checkAnswers`, so abduction inputs and induction programs run in
 * the executor, and deduction values are compared canonically).
 *
 * | task type | baseline | answer |
 * |---|---|---|
 * | deduction | `majority` | the most common output among the suite's queries of the same output type |
 * | deduction | `copy_argument` | an argument of the output's type: the one equal to the output when there is one, else the first |
 * | abduction | `common_input` | per signature, the input most common among the suite's queries of that signature (ties: the one that solves the most of them, then the first); correct when `f(x̂)` equals the output |
 * | induction | `best_program` | per signature, the one program of a small fixed set ({@linkcode candidatePrograms}: return a parameter or a constant, the identity / sorted / reversed list, its length or head) that reproduces the held-out pairs on the most tasks |
 * | induction | `search@N` | the enumerative search (lib/lang/search.ts) on the shown pairs, at most N candidate evaluations per task: the strong reference |
 *
 * Every baseline except the search picks its answer with knowledge of the whole suite (the mode,
 * the best copy, the best tie, the best program), so it is a generous chance level: a model must
 * clear it to show it read the program or the examples. Counts are per query (deduction and
 * abduction; every shipped task is one query) and per task (induction), over the tasks the
 * language can express, as the model's are.
 *
 * @example
 * ```ts
 * import { createSandbox } from "../sandbox/mod.ts";
 * import { loadSuites, suiteBoundsOf } from "./suite.ts";
 * import { formatChanceTable, suiteBaselines } from "./baselines.ts";
 * const bounds = suiteBoundsOf("small");
 * const suites = Object.values(loadSuites("data/eval/small", bounds));
 * await using executor = await createSandbox({ poolSize: 1 });
 * const b = await suiteBaselines(executor, suites, { bounds, searchEvals: 20_000 });
 * console.log(formatChanceTable(b));
 * ```
 * @module
 */
import { TASK_TYPES, type TaskType } from "../config.ts";
import { parseProgram } from "../lang/parse.ts";
import { enumerativeSearch } from "../lang/search.ts";
import { type LangType, type Signature, signatureByName, type ValueBounds } from "../lang/types.ts";
import { encodeArgs, encodeValue } from "../lang/values.ts";
import type { Executor, JsonValue } from "../sandbox/mod.ts";
import { sameValue } from "../sandbox/mod.ts";
import type { InductionRecord, TaskRecord, Triplet } from "../tasks/records.ts";
import { checkAnswers } from "../tasks/solve.ts";
import { evalTaskRecords } from "./task_records.ts";
import { type EvalSuite, limitedTasks } from "./suite.ts";

/** A count: `k` of `n` answered correctly. */
export interface Tally {
  k: number;
  n: number;
}

/**
 * What a baseline is: `trivial`, a chance level (no program read: the majority answer, a copied
 * argument, the most common input, the best fixed program), which a model must clear; or
 * `search`, the enumerative search, the strong reference (not a chance level).
 */
export const BASELINE_KINDS = ["trivial", "search"] as const;
/** What a baseline is: a chance level, or the enumerative search. */
export type BaselineKind = (typeof BASELINE_KINDS)[number];

/** One baseline's score: `k` of `n` answered correctly. */
export interface BaselineScore extends Tally {
  /** `majority`, `copy_argument`, `common_input`, `best_program` or `search@N`. */
  name: string;
  kind: BaselineKind;
}

/**
 * The best trivial chance level among `scores` (the search excluded) as a fraction, or undefined
 * when no trivial baseline counted any task.
 */
export function bestTrivialLevel(
  scores: readonly Pick<BaselineScore, "kind" | "k" | "n">[],
): number | undefined {
  const levels = scores.flatMap((b) => b.kind === "trivial" && b.n > 0 ? [b.k / b.n] : []);
  return levels.length ? Math.max(...levels) : undefined;
}

/** {@linkcode bestTrivialLevel} of each task type that has one. */
export function bestTrivialLevels(
  baselines: Readonly<Record<string, readonly Pick<BaselineScore, "kind" | "k" | "n">[]>>,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(baselines).flatMap(([task, scores]) => {
      const level = bestTrivialLevel(scores);
      return level === undefined ? [] : [[task, level]];
    }),
  );
}

/** The chance levels of each task type (a type without tasks has an empty list). */
export type BaselineReport = Record<TaskType, BaselineScore[]>;

/** Options of {@linkcode recordBaselines}. */
export interface BaselineOptions {
  /** The world's value bounds (answers are encoded in them, as the model's are decoded). */
  bounds: ValueBounds;
  /** Candidate evaluations of the enumerative search per induction task (0 or absent: no search). */
  searchEvals?: number;
}

function sigOf(r: TaskRecord): Signature {
  const s = signatureByName(r.signature);
  if (!s) throw new Error(`Baselines: record signature '${r.signature}' is not the language's`);
  return s;
}

const keyOf = (v: unknown): string => JSON.stringify(v);

/** Groups items by a key, keeping first-seen order. */
function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of xs) {
    const g = out.get(key(x));
    if (g) g.push(x);
    else out.set(key(x), [x]);
  }
  return out;
}

/** The values occurring most often (first-seen order among ties). */
function modes<T>(xs: readonly T[], key: (x: T) => string): T[] {
  const groups = [...groupBy(xs, key).values()];
  const top = Math.max(...groups.map((g) => g.length));
  return groups.filter((g) => g.length === top).map((g) => g[0]!);
}

function tokensOrEmpty(r: { ok: true; tokens: number[] } | { ok: false }): number[] {
  return r.ok ? r.tokens : [];
}

/** Deduction: the majority output per output type, and the best copy of an argument. */
async function deductionBaselines(
  executor: Executor,
  records: readonly Triplet[],
  bounds: ValueBounds,
): Promise<BaselineScore[]> {
  const majority: { record: TaskRecord; answer: number[] }[] = [];
  for (const group of groupBy(records, (r) => sigOf(r).returns).values()) {
    const type = sigOf(group[0]!).returns;
    const [mode] = modes(group.map((r) => r.output), keyOf);
    const answer = tokensOrEmpty(encodeValue(type, mode, bounds));
    for (const record of group) majority.push({ record, answer });
  }
  const copy = records.map((record) => {
    const sig = sigOf(record);
    const same = record.input.filter((_, j) => sig.params[j] === sig.returns);
    const pick = same.find((a) => sameValue(a as JsonValue, record.output as JsonValue)) ??
      same[0];
    // No argument of the output's type: nothing to copy, an empty (unreadable) answer.
    const answer = pick === undefined ? [] : tokensOrEmpty(encodeValue(sig.returns, pick, bounds));
    return { record, answer };
  });
  return [
    { name: "majority", kind: "trivial", ...count(await checkAnswers(executor, majority)) },
    { name: "copy_argument", kind: "trivial", ...count(await checkAnswers(executor, copy)) },
  ];
}

/** Abduction: per signature, the most common input (ties: the one that solves the most). */
async function abductionBaselines(
  executor: Executor,
  records: readonly Triplet[],
  bounds: ValueBounds,
): Promise<BaselineScore[]> {
  // Every tied candidate answers every query of its signature, in one executor call.
  const items: { record: TaskRecord; answer: number[] }[] = [];
  const plan: { sig: string; candidates: number; queries: number; first: number }[] = [];
  for (const [sig, group] of groupBy(records, (r) => r.signature)) {
    const candidates = modes(group.map((r) => r.input), keyOf);
    plan.push({ sig, candidates: candidates.length, queries: group.length, first: items.length });
    for (const input of candidates) {
      const answer = tokensOrEmpty(encodeArgs(sigOf(group[0]!), input, bounds));
      for (const record of group) items.push({ record, answer });
    }
  }
  const outcomes = await checkAnswers(executor, items);
  let k = 0;
  for (const p of plan) {
    const scores = Array.from({ length: p.candidates }, (_, c) => {
      const from = p.first + c * p.queries;
      return outcomes.slice(from, from + p.queries).filter((o) => o === "correct").length;
    });
    k += Math.max(...scores);
  }
  return [{ name: "common_input", kind: "trivial", k, n: records.length }];
}

/**
 * The fixed programs the induction baseline tries for a signature, as JS bodies over its
 * parameter names: each parameter of the result type; for an `int` result the constants 0 and 1
 * and each list parameter's length and head; for a `bool` result `true` and `false`; for an
 * `int[]` result each list parameter as it is, sorted and reversed, `[]`, and `[x]` for each int
 * parameter.
 */
export function candidatePrograms(sig: Signature): string[] {
  const ofType = (t: LangType) => sig.paramNames.filter((_, j) => sig.params[j] === t);
  const lists = ofType("int[]");
  const bodies: string[] = [...ofType(sig.returns)];
  if (sig.returns === "int") {
    bodies.push("0", "1", ...lists.flatMap((p) => [`${p}.length`, `${p}[0]`]));
  } else if (sig.returns === "bool") {
    bodies.push("true", "false");
  } else {
    bodies.push(
      ...lists.flatMap((p) => [`[...${p}].sort((p, q) => p - q)`, `[...${p}].reverse()`]),
      "[]",
      ...ofType("int").map((p) => `[${p}]`),
    );
  }
  return bodies.map((b) => `function f(${sig.paramNames.join(", ")}) { return ${b}; }`);
}

function programTokens(source: string, sig: Signature): number[] {
  const r = parseProgram(source, { signature: sig });
  if (!r.ok) throw new Error(`Baseline program '${source}' does not parse: ${r.message}`);
  return r.tokens;
}

/** Induction: the best fixed program per signature, and the enumerative search. */
async function inductionBaselines(
  executor: Executor,
  records: readonly InductionRecord[],
  searchEvals: number,
): Promise<BaselineScore[]> {
  const items: { record: TaskRecord; answer: number[] }[] = [];
  const plan: { candidates: number; tasks: number; first: number }[] = [];
  for (const group of groupBy(records, (r) => r.signature).values()) {
    const sig = sigOf(group[0]!);
    const programs = candidatePrograms(sig).map((src) => programTokens(src, sig));
    plan.push({ candidates: programs.length, tasks: group.length, first: items.length });
    for (const answer of programs) for (const record of group) items.push({ record, answer });
  }
  const outcomes = await checkAnswers(executor, items);
  let k = 0;
  for (const p of plan) {
    const scores = Array.from({ length: p.candidates }, (_, c) => {
      const from = p.first + c * p.tasks;
      return outcomes.slice(from, from + p.tasks).filter((o) => o === "correct").length;
    });
    k += Math.max(...scores);
  }
  const out: BaselineScore[] = [{ name: "best_program", kind: "trivial", k, n: records.length }];
  if (searchEvals > 0) {
    const found = records.map((record) => {
      const s = enumerativeSearch({
        signature: sigOf(record),
        examples: record.examples.slice(0, record.shown),
        maxEvals: searchEvals,
      });
      return { record, answer: s.program ?? [], unfinished: s.program === null };
    });
    out.push({
      name: `search@${searchEvals}`,
      kind: "search",
      ...count(await checkAnswers(executor, found)),
    });
  }
  return out;
}

function count(outcomes: readonly string[]): Tally {
  return { k: outcomes.filter((o) => o === "correct").length, n: outcomes.length };
}

/** The chance levels of task records (as {@linkcode evalTaskRecords} makes them). */
export async function recordBaselines(
  executor: Executor,
  records: readonly TaskRecord[],
  opts: BaselineOptions,
): Promise<BaselineReport> {
  const of = <T extends TaskRecord>(t: TaskType) => records.filter((r) => r.task === t) as T[];
  const ded = of<Triplet>("deduction");
  const abd = of<Triplet>("abduction");
  const ind = of<InductionRecord>("induction");
  return {
    deduction: ded.length ? await deductionBaselines(executor, ded, opts.bounds) : [],
    abduction: abd.length ? await abductionBaselines(executor, abd, opts.bounds) : [],
    induction: ind.length ? await inductionBaselines(executor, ind, opts.searchEvals ?? 0) : [],
  };
}

/**
 * The chance levels of suites, pooled by task type over the suites' expressible tasks (the
 * tasks {@linkcode evaluateSuites} scores; `limit` keeps the first N of each type per suite, as
 * there).
 */
export function suiteBaselines(
  executor: Executor,
  suites: readonly EvalSuite[],
  opts: BaselineOptions & { limit?: number },
): Promise<BaselineReport> {
  const records: TaskRecord[] = [];
  for (const suite of suites) {
    for (const t of limitedTasks(suite, opts.limit)) {
      const r = evalTaskRecords(t, opts.bounds);
      if (typeof r !== "string") records.push(...r);
    }
  }
  return recordBaselines(executor, records, opts);
}

/** `k/n (p%)`, with p to one decimal (`0/0 (–)` when there is nothing to count). */
export function formatKN(k: number, n: number): string {
  const kk = Number.isInteger(k) ? String(k) : k.toFixed(1);
  return n === 0 ? `${kk}/0 (–)` : `${kk}/${n} (${((100 * k) / n).toFixed(1)}%)`;
}

/**
 * One line per task type: the model's `k/n (p%)` (when given) beside every chance level's, and
 * extra named counts (e.g. the list-length accuracy) after them.
 *
 * ```
 * deduction  model 12/77 (15.6%) · majority 6/77 (7.8%) · copy_argument 3/77 (3.9%) · list_length 30/40 (75.0%)
 * ```
 */
export function formatChanceTable(
  baselines: BaselineReport,
  model?: Partial<Record<TaskType, Tally>>,
  extra: Partial<Record<TaskType, Record<string, Tally>>> = {},
): string {
  const lines: string[] = [];
  for (const t of TASK_TYPES) {
    const parts: string[] = [];
    const m = model?.[t];
    if (m) parts.push(`model ${formatKN(m.k, m.n)}`);
    for (const b of baselines[t]) parts.push(`${b.name} ${formatKN(b.k, b.n)}`);
    for (const [name, c] of Object.entries(extra[t] ?? {})) {
      parts.push(`${name} ${formatKN(c.k, c.n)}`);
    }
    if (parts.length) lines.push(`${t.padEnd(10)} ${parts.join(" · ")}`);
  }
  return lines.join("\n");
}
