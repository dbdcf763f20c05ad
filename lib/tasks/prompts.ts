/**
 * Prompts as token sequences, and the constraint of what each role writes.
 *
 * | role × task | prompt (after `BOS role task`) | the policy writes |
 * |---|---|---|
 * | propose deduction/abduction | K × `REF PROGRAM p INPUT i OUTPUT o`, `ANSWER` | `p SEP i` (i typed by p's signature) |
 * | propose induction | `PROGRAM p ANSWER` | N × `i` separated by `SEP` |
 * | solve deduction | `PROGRAM p INPUT i ANSWER` | `o`; with `solverTrace`, the trace values then `o` |
 * | solve abduction | `PROGRAM p OUTPUT o ANSWER` | `i` (correct when `f(i)` equals o) |
 * | solve induction | shown × `PAIR INPUT i OUTPUT o`, `ANSWER` | `p` of the task's signature |
 *
 * A solver prompt never contains what it must write: the deduction prompt has
 * no output, the abduction prompt no input, the induction prompt no program
 * and none of the held-out pairs (`tests/tasks/prompts_test.ts` checks this).
 *
 * With `solverTrace` the deduction solver first writes the program's trace (`lang/trace.ts`:
 * the value of each sub-expression evaluated once, in evaluation order), then the output;
 * values are self-delimiting, so no new token marks where the answer starts. Only the last
 * value is the answer (`solve.ts`); the prompt is the same either way.
 * @module
 */
import type { TaskType } from "../config.ts";
import {
  argsConstraint,
  chainConstraints,
  programConstraint,
  type ProgramConstraintOptions,
  type TokenConstraint,
  valueConstraint,
  valuesConstraint,
} from "../lang/constraint.ts";
import { traceTypes, valuesMaxTokens } from "../lang/trace.ts";
import { programSignature } from "../lang/tree.ts";
import { type Signature, signatureByName, type ValueBounds } from "../lang/types.ts";
import { encodeArgs, encodeValue } from "../lang/values.ts";
import {
  ANSWER,
  BOS,
  INPUT,
  OUTPUT,
  PAIR,
  PROGRAM,
  REF,
  ROLE_PROPOSE,
  ROLE_SOLVE,
  TASK_ABDUCTION,
  TASK_DEDUCTION,
  TASK_INDUCTION,
} from "../lang/vocab.ts";
import type { Example, InductionRecord, Json, TaskRecord, Triplet } from "./records.ts";

/** Token budgets and value bounds (a subset of Config). */
export interface PromptOptions extends ValueBounds {
  /** Token budget of a generated program. */
  programMaxTokens: number;
  /** Token budget of one generated argument tuple or value. */
  inputMaxTokens: number;
  /** Smallest int literal a program may use (the world's; the grammar's range when absent). */
  literalMin?: number;
  /** Largest int literal a program may use (the world's; the grammar's range when absent). */
  literalMax?: number;
  /** The deduction solver writes its trace before the answer (config `solverTrace`). */
  solverTrace?: boolean;
}

/** The program constraint's options of a prompt's options (budget and the world's literals). */
function programOptions(opts: PromptOptions, signature?: Signature): ProgramConstraintOptions {
  return {
    budget: opts.programMaxTokens,
    ...(signature ? { signature } : {}),
    ...(opts.literalMin === undefined ? {} : { literalMin: opts.literalMin }),
    ...(opts.literalMax === undefined ? {} : { literalMax: opts.literalMax }),
  };
}

const TASK_TOKEN: Record<TaskType, number> = {
  deduction: TASK_DEDUCTION,
  abduction: TASK_ABDUCTION,
  induction: TASK_INDUCTION,
};

/** The signature a record names; throws for a signature outside the language (a bug upstream). */
export function recordSignature(record: { signature: string }): Signature {
  const sig = signatureByName(record.signature);
  if (!sig) throw new Error(`Unknown signature '${record.signature}' in a task record`);
  return sig;
}

function mustEncodeArgs(sig: Signature, args: readonly Json[], bounds: ValueBounds): number[] {
  const r = encodeArgs(sig, args, bounds);
  if (!r.ok) throw new Error(`Task record cannot be encoded: ${r.message}`);
  return r.tokens;
}

function mustEncodeValue(sig: Signature, value: Json, bounds: ValueBounds): number[] {
  const r = encodeValue(sig.returns, value, bounds);
  if (!r.ok) throw new Error(`Task record cannot be encoded: ${r.message}`);
  return r.tokens;
}

/** `INPUT i OUTPUT o` of one example. */
function pairTokens(sig: Signature, ex: Example, bounds: ValueBounds): number[] {
  return [
    INPUT,
    ...mustEncodeArgs(sig, ex.input, bounds),
    OUTPUT,
    ...mustEncodeValue(sig, ex.output, bounds),
  ];
}

/**
 * Prompt of a deduction/abduction proposer given K reference triplets. References
 * that would make the prompt longer than `maxLen` tokens are left out (the
 * context must also hold the generation).
 */
export function proposerPrompt(
  task: "deduction" | "abduction",
  refs: readonly Triplet[],
  bounds: ValueBounds,
  maxLen = Infinity,
): number[] {
  const out = [BOS, ROLE_PROPOSE, TASK_TOKEN[task]];
  for (const r of refs) {
    const sig = recordSignature(r);
    const ref = [REF, PROGRAM, ...r.tokens, ...pairTokens(sig, r, bounds)];
    if (out.length + ref.length + 1 > maxLen) break;
    out.push(...ref);
  }
  out.push(ANSWER);
  return out;
}

/** Prompt of the induction proposer: the program it writes inputs for. */
export function inductionProposerPrompt(programTokens: readonly number[]): number[] {
  return [BOS, ROLE_PROPOSE, TASK_INDUCTION, PROGRAM, ...programTokens, ANSWER];
}

/** The solver's prompt for a task record. */
export function solverPrompt(record: TaskRecord, bounds: ValueBounds): number[] {
  const sig = recordSignature(record);
  const head = [BOS, ROLE_SOLVE, TASK_TOKEN[record.task]];
  if (record.task === "induction") {
    const shown = record.examples.slice(0, record.shown);
    return [...head, ...shown.flatMap((ex) => [PAIR, ...pairTokens(sig, ex, bounds)]), ANSWER];
  }
  if (record.task === "deduction") {
    return [
      ...head,
      PROGRAM,
      ...record.tokens,
      INPUT,
      ...mustEncodeArgs(sig, record.input, bounds),
      ANSWER,
    ];
  }
  return [
    ...head,
    PROGRAM,
    ...record.tokens,
    OUTPUT,
    ...mustEncodeValue(sig, record.output, bounds),
    ANSWER,
  ];
}

/** What a deduction/abduction proposer writes: a program, SEP, arguments typed by that program. */
export function proposalConstraint(opts: PromptOptions): TokenConstraint {
  return chainConstraints([
    () => programConstraint(programOptions(opts)),
    ([program]) =>
      argsConstraint(programSignature(program!), { ...opts, budget: opts.inputMaxTokens }),
  ]);
}

/** What the induction proposer writes: n argument tuples for `signature`, separated by SEP. */
export function inductionProposalConstraint(
  signature: Signature,
  n: number,
  opts: PromptOptions,
): TokenConstraint {
  return chainConstraints(
    Array.from(
      { length: n },
      () => () => argsConstraint(signature, { ...opts, budget: opts.inputMaxTokens }),
    ),
  );
}

/**
 * Most tokens the solver may write for a record: a program budget (induction), an input budget
 * (abduction, deduction), plus with `solverTrace` room for the longest trace the world allows
 * (each list at its maximum length), so the trace never cuts the answer's budget.
 */
export function solverMaxTokens(record: TaskRecord, opts: PromptOptions): number {
  if (record.task === "induction") return opts.programMaxTokens;
  if (record.task === "abduction" || !opts.solverTrace) return opts.inputMaxTokens;
  return valuesMaxTokens(traceTypes(record.tokens), opts) + opts.inputMaxTokens;
}

/**
 * What the solver writes for a record: an output (with `solverTrace`: the trace values, then
 * the output), an input, or a program of the task's signature.
 */
export function solverConstraint(record: TaskRecord, opts: PromptOptions): TokenConstraint {
  const sig = recordSignature(record);
  if (record.task === "deduction") {
    const budget = solverMaxTokens(record, opts);
    return opts.solverTrace
      ? valuesConstraint([...traceTypes(record.tokens), sig.returns], { ...opts, budget })
      : valueConstraint(sig.returns, { ...opts, budget });
  }
  if (record.task === "abduction") {
    return argsConstraint(sig, { ...opts, budget: opts.inputMaxTokens });
  }
  return programConstraint(programOptions(opts, sig));
}

/** Splits an induction record's examples into those the solver sees and those held out. */
export function inductionSplit(record: InductionRecord): { shown: Example[]; heldOut: Example[] } {
  return {
    shown: record.examples.slice(0, record.shown),
    heldOut: record.examples.slice(record.shown),
  };
}
