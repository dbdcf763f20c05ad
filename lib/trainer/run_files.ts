/**
 * The files of a run folder (`runs/<name>/`), their schemas and their readers, in one place for
 * the trainer that writes them and the report, the grid summary and the diagnosis that read
 * them back. JSONL files go through {@linkcode readJsonl} (a torn last line is skipped, any
 * other bad line is an error naming `path:line`); metrics are read by `readMetrics`
 * (./metrics.ts) and task buffers by `readBufferFile` (../tasks/buffer.ts), the same way.
 * @module
 */
import { z } from "zod";
import type { TaskType } from "../task_types.ts";
import { readJsonl } from "../jsonl.ts";
import { BASELINE_KINDS } from "../eval/baselines.ts";
import { EVAL_CLI_SETS } from "../eval/eval_sets.ts";

/** Paths of one run's files. */
export interface RunPaths {
  dir: string;
  /** The run's config (`config.json`). */
  config: string;
  /** One flat record per step (`metrics.jsonl`, see ./metrics.ts). */
  metrics: string;
  /** One {@linkcode ProposalRow} per proposal (`proposals.jsonl`). */
  proposals: string;
  /** The task buffers' folder (`buffers/`). */
  buffers: string;
  /** One task type's buffer (`buffers/<task>.jsonl`, task records). */
  buffer: (task: TaskType) => string;
  /** Checkpoint folders and `latest` (see ./checkpoint.ts). */
  checkpoints: string;
  /** The HTML report (`report.html`). */
  report: string;
  /** A {@linkcode RunSummary}, written last: its presence marks a finished run. */
  summary: string;
  /** The final held-out eval, task by task ({@linkcode EvalFinal}). */
  evalFinal: string;
  /** The generator's held-out set at the start, task by task (self-play). */
  evalStart: string;
}

/** The paths of run `name` under `runsDir`. */
export function runPaths(runsDir: string, name: string): RunPaths {
  const dir = `${runsDir}/${name}`;
  return {
    dir,
    config: `${dir}/config.json`,
    metrics: `${dir}/metrics.jsonl`,
    proposals: `${dir}/proposals.jsonl`,
    buffers: `${dir}/buffers`,
    buffer: (task) => `${dir}/buffers/${task}.jsonl`,
    checkpoints: `${dir}/checkpoints`,
    report: `${dir}/report.html`,
    summary: `${dir}/summary.json`,
    evalFinal: `${dir}/eval.json`,
    evalStart: `${dir}/eval-start.json`,
  };
}

/** One proposal, as logged to `proposals.jsonl`. */
export const ProposalRowSchema = z.object({
  step: z.number().int(),
  task: z.string(),
  valid: z.boolean(),
  /** Why it was invalid (a sandbox or validation kind). */
  kind: z.string().optional(),
  /** Program length in tokens: the signature token and the body (a bank size counts the body). */
  programTokens: z.number().int().nonnegative(),
  /** Mean solve rate of the learnability rollouts (valid proposals only). */
  solveRate: z.number().min(0).max(1).optional(),
  reward: z.number(),
  program: z.string(),
  /** The same program and inputs were proposed earlier in this step's batch. */
  duplicate: z.boolean().optional(),
});
/** One proposal, as logged to `proposals.jsonl`. */
export type ProposalRow = z.infer<typeof ProposalRowSchema>;

/** Reads a run's `proposals.jsonl`. */
export async function readProposals(path: string): Promise<ProposalRow[]> {
  return await readJsonl(path, ProposalRowSchema);
}

/** What the trainer writes at the end of a run (`summary.json`). */
export const RunSummarySchema = z.object({
  name: z.string(),
  step: z.number().int(),
  seconds: z.number(),
  stepsPerS: z.number(),
  /** Held-out accuracy per task type at the end. */
  eval: z.record(z.string(), z.number()),
  /** The enumerative-search baseline's accuracy on the same suites (induction). */
  evalSearch: z.record(z.string(), z.number()).optional(),
  /** The generator's held-out set at the end, per task type (runs with `evalGenerator` > 0). */
  evalGenerator: z.record(z.string(), z.number()).optional(),
  /** The set beyond the bank at the end, per task type (runs with `evalBeyond` > 0). */
  evalBeyond: z.record(z.string(), z.number()).optional(),
});
/** A finished run's summary. */
export type RunSummary = z.infer<typeof RunSummarySchema>;

/** Reads run `name`'s summary, or undefined when the run has not finished. */
export async function readRunSummary(
  runsDir: string,
  name: string,
): Promise<RunSummary | undefined> {
  const path = runPaths(runsDir, name).summary;
  const data = await readJsonFile(path);
  if (data === undefined) return undefined; // not finished yet
  const parsed = RunSummarySchema.safeParse(data.value);
  if (!parsed.success) {
    throw new Error(
      `Cannot read ${path}: ${z.prettifyError(parsed.error)}; delete it to rerun that run`,
    );
  }
  return parsed.data;
}

const TallySchema = z.object({ k: z.number().nonnegative(), n: z.number().int().nonnegative() });

/**
 * One baseline's score. Files written before baselines carried their kind read as they meant
 * it: the enumerative search was the one named `search@N`, every other one a chance level.
 */
const BaselineScoreSchema = z.preprocess(
  (v) =>
    typeof v === "object" && v !== null && !("kind" in v) && "name" in v
      ? { ...v, kind: String(v.name).startsWith("search@") ? "search" : "trivial" }
      : v,
  TallySchema.extend({ name: z.string(), kind: z.enum(BASELINE_KINDS) }),
);

/**
 * What an eval reports per task type beside its outcomes (`EvalReport` in ../eval/evaluate.ts):
 * accuracy, the model's counts, the chance levels of the same tasks (k/n, `search@N` among
 * induction's) and the list-length accuracy. (A self-play `eval.json` from before they were
 * written lacks them: `EvalFinalSchema` takes them as optional.)
 */
export const EvalTablesSchema = z.object({
  accuracy: z.record(z.string(), z.number()),
  searchAccuracy: z.record(z.string(), z.number()).optional(),
  counts: z.record(z.string(), TallySchema),
  baselines: z.record(z.string(), z.array(BaselineScoreSchema)),
  listLength: TallySchema,
});
/** An eval's per-task-type tables. */
export type EvalTables = z.infer<typeof EvalTablesSchema>;

/** One eval set's outcomes, task by task. */
const OutcomesSchema = z.array(z.object({
  suite: z.string(),
  id: z.string(),
  task: z.string(),
  score: z.number().min(0).max(1),
  answer: z.string(),
  size: z.number().int().nonnegative().optional(),
  signature: z.string().optional(),
}));

/** One eval set's tables and its outcomes, task by task. */
const SetOutcomesSchema = EvalTablesSchema.extend({ outcomes: OutcomesSchema });

/**
 * A run's `eval.json`: the final held-out eval after `step` steps (steps done, as
 * `summary.json`'s), task by task, with its tables (as the trainer writes it).
 */
export const EvalFinalSchema = z.object({
  step: z.number().int().nonnegative(),
  outcomes: OutcomesSchema,
  /**
   * The generator's held-out set at the end, task by task (runs with `evalGenerator` > 0): the
   * tasks a paired comparison with the base scores on.
   */
  generator: SetOutcomesSchema.optional(),
  /** The set beyond the bank at the end, task by task (runs with `evalBeyond` > 0). */
  beyond: SetOutcomesSchema.optional(),
  /** The generator's train split at the end, task by task (runs with `evalTrain` > 0). */
  train: SetOutcomesSchema.optional(),
  /**
   * The generator's held-out set at the start (the seeding eval, before any update), task by
   * task: what the end is paired with (runs with `evalGenerator` and `evalEvery` > 0).
   */
  start: SetOutcomesSchema.optional(),
}).extend(EvalTablesSchema.partial().shape);

/** A run's final eval, task by task. */
export type EvalFinal = z.infer<typeof EvalFinalSchema>;

/** `eval-start.json`: the generator's held-out set at the start, kept for the end's pairing. */
export const EvalStartSchema = z.object({
  generator: SetOutcomesSchema,
});
/** One value per pre-training eval set (runs from before the train split was evaluated lack it). */
const perSet = <T extends z.ZodType>(value: T) =>
  z.object({ generator: value, train: value.optional(), suite: value, beyond: value.optional() });

/**
 * A pre-training run's `eval.json`: the final eval of both held-out sets (the generator's
 * held-out behaviours and the world's suites) after `step` steps.
 */
export const PretrainEvalFinalSchema = z.object({
  step: z.number().int().nonnegative(),
  generator: EvalTablesSchema,
  /** The generator's train split (runs before it was evaluated lack it). */
  train: EvalTablesSchema.optional(),
  suite: EvalTablesSchema,
});
/** A pre-training run's final eval. */
export type PretrainEvalFinal = z.infer<typeof PretrainEvalFinalSchema>;

/** What a finished pre-training run reports (`summary.json`), as `pretrain` writes it and reports read it. */
export const PretrainSummarySchema = z.object({
  name: z.string(),
  /** Steps done. */
  steps: z.number().int().nonnegative(),
  /** Target tokens trained on. */
  tokens: z.number().nonnegative(),
  minutes: z.number(),
  /** The generator's bank: programs, behaviours held out, seconds its enumeration took. */
  bank: z.object({
    programs: z.number().int().nonnegative(),
    heldOut: z.number().int().nonnegative(),
    buildS: z.number().nonnegative(),
  }),
  /** Final greedy accuracy per eval set and task type: `{ generator: {deduction: …}, suite: … }`. */
  accuracy: perSet(z.record(z.string(), z.number())),
  /** The same as correct/total counts. */
  counts: perSet(z.record(z.string(), TallySchema)),
  /** Chance levels of each set (majority answer, copy an argument, …, the search), as k/n. */
  baselines: perSet(EvalTablesSchema.shape.baselines),
  /** List-valued deduction answers of the right length. */
  listLength: perSet(TallySchema),
  /** Generator held-out accuracy per task type and program size (tokens). */
  bySize: z.record(z.string(), z.record(z.string(), z.number())),
  /** The same on the generator's train split (runs before it was evaluated lack it). */
  bySizeTrain: z.record(z.string(), z.record(z.string(), z.number())).optional(),
  /** The suites' accuracy by the size of the programs the language parses (runs before lack it). */
  bySizeSuite: z.record(z.string(), z.record(z.string(), z.number())).optional(),
  /**
   * Where the suites' programs lie in the bank's split, per task type (`OverlapCounts` in
   * ../eval/bank_split.ts; runs before the check lack it).
   */
  suiteOverlap: z.record(
    z.string(),
    z.object({
      parsed: z.number().int().nonnegative(),
      trainWritten: z.number().int().nonnegative(),
      trainBehaviour: z.number().int().nonnegative(),
      heldout: z.number().int().nonnegative(),
      absent: z.number().int().nonnegative(),
    }),
  ).optional(),
});
/** A finished pre-training run's summary. */
export type PretrainSummary = z.infer<typeof PretrainSummarySchema>;

/** Reads a JSON file of a run through `schema`; undefined when the file does not exist. */
export async function readRunJson<T>(path: string, schema: z.ZodType<T>): Promise<T | undefined> {
  const data = await readJsonFile(path);
  if (data === undefined) return undefined;
  const r = schema.safeParse(data.value);
  if (!r.success) throw new Error(`Cannot read ${path}: ${z.prettifyError(r.error)}`);
  return r.data;
}

/** One eval set's outcomes, task by task. */
export type Outcomes = z.infer<typeof OutcomesSchema>;

/** The outcome lists of either loop's `eval.json` (self-play's top level is its suites). */
const EvalOutcomesSchema = z.object({
  outcomes: OutcomesSchema.optional(),
  generator: z.object({ outcomes: OutcomesSchema }).optional(),
  train: z.object({ outcomes: OutcomesSchema }).optional(),
  suite: z.object({ outcomes: OutcomesSchema }).optional(),
  beyond: z.object({ outcomes: OutcomesSchema }).optional(),
});

/**
 * What `deno task eval --json` writes, as far as pairing needs it: its set and its outcomes (greedy,
 * and sampled with `--passAt`).
 */
const EvalReportSchema = z.object({
  set: z.enum(EVAL_CLI_SETS),
  outcomes: OutcomesSchema,
  /** With `--passAt K`: per task, the share of its K samples (per query) that are right. */
  sampledOutcomes: OutcomesSchema.optional(),
});
/** A report of `deno task eval --json`. */
export type EvalJsonReport = z.infer<typeof EvalReportSchema>;

/**
 * A report that `deno task eval --json` wrote (one set's outcomes); undefined when the file does
 * not exist. Anything else is an Error "Cannot read PATH: not a report of deno task eval --json …".
 */
export async function readEvalReport(path: string): Promise<EvalJsonReport | undefined> {
  const data = await readJsonFile(path);
  if (data === undefined) return undefined;
  const r = EvalReportSchema.safeParse(data.value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(
      `Cannot read ${path}: not a report of deno task eval --json (${issue?.message} at '${
        issue?.path.join(".")
      }')`,
    );
  }
  return r.data;
}

/**
 * A finished run's final outcomes per eval set (`suite`, `generator`, `train`, `beyond`: those
 * the run evaluated), from self-play's or pre-training's `eval.json` alike; undefined when the file does
 * not exist. A malformed file is an Error "Cannot read PATH: …".
 */
export async function readEvalOutcomes(
  path: string,
): Promise<Partial<Record<"suite" | "generator" | "train" | "beyond", Outcomes>> | undefined> {
  const e = await readRunJson(path, EvalOutcomesSchema);
  if (e === undefined) return undefined;
  const suite = e.suite?.outcomes ?? e.outcomes;
  return {
    ...(suite ? { suite } : {}),
    ...(e.generator ? { generator: e.generator.outcomes } : {}),
    ...(e.train ? { train: e.train.outcomes } : {}),
    ...(e.beyond ? { beyond: e.beyond.outcomes } : {}),
  };
}

/** Reads a run's `eval.json`; undefined when the run has none (older runs). */
export async function readEvalFinal(path: string): Promise<EvalFinal | undefined> {
  const data = await readJsonFile(path);
  if (data === undefined) return undefined;
  const r = EvalFinalSchema.safeParse(data.value);
  if (!r.success) throw new Error(`Cannot read ${path}: ${z.prettifyError(r.error)}`);
  return r.data;
}

/** A JSON file's value, or undefined when the file does not exist; unparsable JSON throws. */
async function readJsonFile(path: string): Promise<{ value: unknown } | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    throw new Error(`Cannot read ${path}: not JSON (${(e as Error).message})`);
  }
}
