/**
 * Solving and checking (paper §3.3.2): the policy answers tasks from the
 * buffers; answers are checked against the executor. Deduction: the output
 * equals the task's output. Abduction: `f(answer)` equals the output (any input
 * that produces it is right). Induction: the written program reproduces every
 * held-out pair. One `executor.run` call checks the whole batch.
 *
 * A deduction answer is the last value the solver writes: with `solverTrace` it writes the
 * program's trace first (`lang/trace.ts`), which nothing checks. Checking accepts either
 * shape (the output alone, or the trace values of the program's trace types then the output),
 * so the baselines' bare answers and a traced solver's are checked the same way.
 * @module
 */
import { renderProgram } from "../lang/render.ts";
import { programTree } from "../lang/tree.ts";
import type { SolverOutcome } from "../reward/rewards.ts";
import { tokenName } from "../lang/vocab.ts";
import { decodeArgs, type DecodeResult, decodeValue, type LangValue } from "../lang/values.ts";
import { decodeValues, traceTypes } from "../lang/trace.ts";
import type { Executor, JsonValue, SandboxJob } from "../sandbox/mod.ts";
import { sameValue } from "../sandbox/mod.ts";
import type { Policy } from "../model/policy.ts";
import type { Rng } from "../rng.ts";
import type { Rollout } from "./propose.ts";
import {
  inductionSplit,
  type PromptOptions,
  recordSignature,
  solverConstraint,
  solverMaxTokens,
  solverPrompt,
} from "./prompts.ts";
import type { InductionRecord, TaskRecord } from "./records.ts";

/** A solver rollout and the task it answers. */
export interface Attempt {
  record: TaskRecord;
  rollout: Rollout;
  /** The sequence hit its token budget before completing (cannot happen when contextLen fits). */
  unfinished: boolean;
}

/** Options of {@linkcode solveTasks}. */
export interface SolveOptions extends PromptOptions {
  temperature: number;
  greedy?: boolean;
}

/** One answer per record (repeat a record for several rollouts); `group` labels each prompt for GRPO. */
export async function solveTasks(
  policy: Policy,
  records: readonly TaskRecord[],
  rng: Rng,
  opts: SolveOptions,
  groups: readonly string[] = records.map((_, i) => `solve/${i}`),
): Promise<Attempt[]> {
  if (records.length === 0) return [];
  const prompts = records.map((r) => solverPrompt(r, opts));
  const maxTokens = Math.max(...records.map((r) => solverMaxTokens(r, opts)));
  const s = await policy.sample(prompts, {
    maxTokens,
    temperature: opts.temperature,
    greedy: opts.greedy ?? false,
    seed: rng.nextU32(),
    constraints: records.map((r) => solverConstraint(r, opts)),
  });
  return records.map((record, b) => ({
    record,
    unfinished: !s.finished[b],
    rollout: {
      role: "solve",
      task: record.task,
      prompt: prompts[b]!,
      completion: s.tokens[b]!,
      logprobs: s.logprobs[b]!,
      masks: s.masks[b]!,
      temperature: opts.temperature,
      group: groups[b]!,
    },
  }));
}

/** A deduction completion read as its trace values and its answer (the last value). */
export interface DeductionAnswer {
  trace: LangValue[];
  answer: LangValue;
}

/**
 * Reads a deduction completion: the output alone, or the values of the program's trace types
 * then the output (the `solverTrace` shape). Anything else is a format error.
 */
export function decodeDeduction(
  record: TaskRecord,
  completion: readonly number[],
): DecodeResult<DeductionAnswer> {
  const returns = recordSignature(record).returns;
  const alone = decodeValue(returns, completion);
  if (alone.ok) return { ok: true, value: { trace: [], answer: alone.value } };
  // A record whose tokens are no program has no trace to read (its answer stands alone).
  if (!programTree(record.tokens).ok) return alone;
  const types = traceTypes(record.tokens);
  const values = types.length > 0 ? decodeValues([...types, returns], completion) : undefined;
  if (values === undefined) return alone;
  return { ok: true, value: { trace: values.slice(0, -1), answer: values.at(-1)! } };
}

/** Checks answers to tasks given as (record, answer tokens) pairs, with one sandbox call. */
export async function checkAnswers(
  executor: Executor,
  items: readonly { record: TaskRecord; answer: readonly number[]; unfinished?: boolean }[],
): Promise<SolverOutcome[]> {
  const jobs: SandboxJob[] = [];
  const plans: ({ kind: "done"; outcome: SolverOutcome } | {
    kind: "jobs";
    first: number;
    expected: JsonValue[];
  })[] = [];
  for (const { record, answer, unfinished } of items) {
    if (unfinished) {
      plans.push({ kind: "done", outcome: "format_error" });
      continue;
    }
    const sig = recordSignature(record);
    if (record.task === "deduction") {
      const v = decodeDeduction(record, answer);
      plans.push({
        kind: "done",
        outcome: !v.ok
          ? "format_error"
          : sameValue(v.value.answer, record.output as JsonValue)
          ? "correct"
          : "incorrect",
      });
    } else if (record.task === "abduction") {
      const args = decodeArgs(sig, answer);
      if (!args.ok) {
        plans.push({ kind: "done", outcome: "format_error" });
        continue;
      }
      plans.push({ kind: "jobs", first: jobs.length, expected: [record.output as JsonValue] });
      jobs.push({ program: record.program, args: args.value });
    } else {
      // An answer that is not a whole, well-typed program is a format error (the constrained
      // decoder only produces one when it ran out of tokens).
      if (!programTree(answer).ok) {
        plans.push({ kind: "done", outcome: "format_error" });
        continue;
      }
      const program = renderProgram(answer);
      const { heldOut } = inductionSplit(record as InductionRecord);
      plans.push({
        kind: "jobs",
        first: jobs.length,
        expected: heldOut.map((e) => e.output as JsonValue),
      });
      for (const ex of heldOut) jobs.push({ program, args: ex.input as JsonValue[] });
    }
  }
  const results = jobs.length ? await executor.run(jobs) : [];
  return plans.map((plan) => {
    if (plan.kind === "done") return plan.outcome;
    const ok = plan.expected.every((want, k) => {
      const r = results[plan.first + k]!;
      return r.ok && sameValue(r.value, want);
    });
    return ok ? "correct" : "incorrect";
  });
}

/**
 * An answer as a reader wants to see it: the decoded value (deduction, after its trace values and
 * `→` when there is a trace: `[2,-2,3] [2,3] → 2`), the decoded arguments (abduction) or the
 * rendered program (induction); token names when it cannot be read.
 */
export function renderAnswer(record: TaskRecord, answer: readonly number[]): string {
  const raw = () => `unreadable: ${answer.map(tokenName).join(" ")}`;
  const sig = recordSignature(record);
  if (record.task === "deduction") {
    const v = decodeDeduction(record, answer);
    if (!v.ok) return raw();
    const shown = [...v.value.trace.map((t) => JSON.stringify(t)), "→"];
    return (v.value.trace.length ? shown.join(" ") + " " : "") + JSON.stringify(v.value.answer);
  }
  if (record.task === "abduction") {
    const args = decodeArgs(sig, answer);
    return args.ok ? args.value.map((a) => JSON.stringify(a)).join(", ") : raw();
  }
  return programTree(answer).ok ? renderProgram(answer) : raw();
}

/**
 * k answers per record (each prompt repeated k times), sampled a chunk of about `chunk` prompts
 * at a time (default 512) so memory stays bounded; `onChunk` gets each chunk's records and, per
 * record in order, its k attempts.
 */
export async function sampleEach<R extends TaskRecord>(
  policy: Policy,
  records: readonly R[],
  rng: Rng,
  opts: SolveOptions & { k: number; chunk?: number },
  onChunk: (records: readonly R[], attempts: Attempt[][]) => void | Promise<void>,
): Promise<void> {
  const per = Math.max(1, Math.floor((opts.chunk ?? 512) / opts.k));
  for (let i = 0; i < records.length; i += per) {
    const group = records.slice(i, i + per);
    const flat = await solveTasks(
      policy,
      group.flatMap((r) => Array.from({ length: opts.k }, () => r)),
      rng,
      opts,
    );
    await onChunk(group, group.map((_, j) => flat.slice(j * opts.k, (j + 1) * opts.k)));
  }
}

/** Checks the solver's own attempts (their completions are the answers), with one sandbox call. */
export function checkAttempts(
  executor: Executor,
  attempts: readonly Attempt[],
): Promise<SolverOutcome[]> {
  return checkAnswers(executor, attempts.map((a) => ({ ...a, answer: a.rollout.completion })));
}
