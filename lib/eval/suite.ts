/**
 * Held-out eval suites: JSONL files, one task per line, validated with zod on read.
 *
 * A line: `{"id", "task": "deduction"|"abduction"|"induction", "program"?: JS source of
 * `function f`, "examples": [{"input": [args…], "output": value}, …], "shown": number,
 * "signature"?: "(int[]) -> int"}`.
 *
 * - `program` is required for deduction and abduction (the solver is shown it); for induction it
 *   is the optional reference solution.
 * - `shown`: for induction, how many leading examples the solver sees (1 ≤ shown < examples, so at
 *   least one is held out); for deduction/abduction every example is a query, so `shown`, when
 *   given, must equal the number of examples (it defaults to that).
 * - Values are the language's: ints (within `intMin`..`intMax`), booleans, lists of ints (at most
 *   `maxListLen` long), for inputs and outputs alike, in the bounds of the world the suite is
 *   evaluated in (pass the config, or {@linkcode suiteBoundsOf}; the default is the small world's).
 *   With a `signature`, each input must have its arity and argument types and each output its
 *   return type.
 *
 * Loading is all-or-nothing: any bad line throws a {@linkcode SuiteError} whose message lists
 * every bad line as `file:line: field: problem`.
 *
 * @example
 * ```ts
 * import { loadSuites } from "./suite.ts";
 * const suites = loadSuites("data/eval/small", suiteBoundsOf("small"));
 * for (const s of Object.values(suites)) console.log(s.name, s.tasks.length);
 * ```
 * @module
 */
import { z } from "zod";
import { parse as parseJs } from "acorn";
import { TASK_TYPES, type TaskType } from "../config.ts";
import { InputError } from "../errors.ts";
import { type WorldName, WORLDS } from "../lang/types.ts";

/** A value of the language: int, bool or int list. */
export type EvalValue = number | boolean | number[];

/** One input/output pair; `input` holds the arguments of `f`. */
export interface EvalExample {
  input: EvalValue[];
  output: EvalValue;
}

/** One held-out task, as read and checked. */
export interface EvalTask {
  id: string;
  task: TaskType;
  /** JS source declaring `function f`; always present for deduction and abduction. */
  program?: string;
  examples: EvalExample[];
  /** Induction: examples the solver sees (the rest are held out); otherwise examples.length. */
  shown: number;
  /** E.g. `"(int[], int) -> int[]"`. */
  signature?: string;
  /**
   * The program's body size in the language's tokens: set by the generator's sets; for a suite
   * task the eval derives it from its program when the language parses it.
   */
  size?: number;
}

/** One suite: the tasks of one JSONL file. */
export interface EvalSuite {
  /** File name without `.jsonl`. */
  name: string;
  path: string;
  tasks: EvalTask[];
}

/** Value bounds a suite must respect: the world's (config keys `intMin`, `intMax`, `maxListLen`). */
export interface SuiteBounds {
  intMin: number;
  intMax: number;
  maxListLen: number;
}

/** The value bounds of a named world (`small`: ints [-9, 9], lists ≤ 6; `wide`: ±999, ≤ 16). */
export function suiteBoundsOf(world: WorldName): SuiteBounds {
  const { intMin, intMax, maxListLen } = WORLDS[world];
  return { intMin, intMax, maxListLen };
}

/** The default value bounds: the embedded default world's (`small`), as the config defaults. */
export const DEFAULT_SUITE_BOUNDS: SuiteBounds = suiteBoundsOf("small");

/** A suite file that cannot be used; the message names each bad `file:line` and field. */
export class SuiteError extends InputError {
  override name = "SuiteError";
}

const TYPE_NAMES = ["int", "bool", "int[]"] as const;
type TypeName = (typeof TYPE_NAMES)[number];
const SIGNATURE_RE =
  /^\(((?:int|bool|int\[\])(?:, (?:int|bool|int\[\]))*)\) -> (int|bool|int\[\])$/;

/** Parses `"(int[], int) -> int[]"` into argument and return types, or undefined. */
export function parseSuiteSignature(sig: string): { args: TypeName[]; ret: TypeName } | undefined {
  const m = SIGNATURE_RE.exec(sig);
  if (!m) return undefined;
  return { args: m[1]!.split(", ") as TypeName[], ret: m[2] as TypeName };
}

function valueSchema(b: SuiteBounds) {
  const range = `must be an int in [${b.intMin}, ${b.intMax}]`;
  const int = z.number(range).int(range).min(b.intMin, range).max(b.intMax, range);
  const list = z.array(int).max(b.maxListLen, `must be a list of at most ${b.maxListLen} ints`);
  return z.union([int, z.boolean(), list], {
    error:
      `must be an int in [${b.intMin}, ${b.intMax}], a boolean, or a list of at most ${b.maxListLen} such ints`,
  });
}

function taskSchema(b: SuiteBounds) {
  const value = valueSchema(b);
  return z.strictObject({
    id: z.string().min(1),
    task: z.enum(TASK_TYPES),
    program: z.string().min(1).optional(),
    examples: z.array(z.strictObject({ input: z.array(value), output: value })).min(1),
    shown: z.number().int().optional(),
    signature: z.string().optional(),
  }).superRefine((t, ctx) => {
    const n = t.examples.length;
    if (t.task === "induction") {
      if (n < 2) {
        ctx.addIssue({
          code: "custom",
          path: ["examples"],
          message: `induction needs at least 2 examples (one shown, one held out); got ${n}`,
        });
      } else if (t.shown === undefined) {
        ctx.addIssue({ code: "custom", path: ["shown"], message: "required for induction" });
      } else if (t.shown < 1 || t.shown >= n) {
        ctx.addIssue({
          code: "custom",
          path: ["shown"],
          message: `must be in [1, ${n - 1}] (examples: ${n}; at least one is held out)`,
        });
      }
    } else {
      if (t.program === undefined) {
        ctx.addIssue({ code: "custom", path: ["program"], message: `required for ${t.task}` });
      }
      if (t.shown !== undefined && t.shown !== n) {
        ctx.addIssue({
          code: "custom",
          path: ["shown"],
          message: `must equal the number of examples (${n}) for ${t.task}`,
        });
      }
    }
    if (t.program !== undefined) {
      const problem = programProblem(t.program);
      if (problem) ctx.addIssue({ code: "custom", path: ["program"], message: problem });
    }
    if (t.signature !== undefined) {
      const sig = parseSuiteSignature(t.signature);
      if (!sig) {
        ctx.addIssue({
          code: "custom",
          path: ["signature"],
          message: `cannot read '${t.signature}'; write e.g. "(int[], int) -> int[]"`,
        });
        return;
      }
      t.examples.forEach((ex, i) => {
        if (ex.input.length !== sig.args.length) {
          ctx.addIssue({
            code: "custom",
            path: ["examples", i, "input"],
            message: `has ${ex.input.length} arguments; the signature takes ${sig.args.length}`,
          });
        }
        ex.input.forEach((v, j) => {
          const want = sig.args[j];
          if (want && typeOf(v) !== want) {
            ctx.addIssue({
              code: "custom",
              path: ["examples", i, "input", j],
              message: `is ${typeOf(v)}; the signature says ${want}`,
            });
          }
        });
        if (typeOf(ex.output) !== sig.ret) {
          ctx.addIssue({
            code: "custom",
            path: ["examples", i, "output"],
            message: `is ${typeOf(ex.output)}; the signature returns ${sig.ret}`,
          });
        }
      });
    }
  });
}

function typeOf(v: EvalValue): TypeName {
  return typeof v === "boolean" ? "bool" : Array.isArray(v) ? "int[]" : "int";
}

/** Why a program is unusable (not JS, or no top-level `function f`), or undefined if fine. */
function programProblem(src: string): string | undefined {
  let ast;
  try {
    ast = parseJs(src, { ecmaVersion: "latest", sourceType: "script" });
  } catch (e) {
    return `is not valid JavaScript (${(e as Error).message})`;
  }
  const hasF = ast.body.some((s) => s.type === "FunctionDeclaration" && s.id?.name === "f");
  return hasF ? undefined : "must declare a top-level `function f(...)`";
}

/**
 * Parses the text of one suite file. `file` names it in messages. Blank lines are skipped; ids
 * must be unique within the file. Throws {@linkcode SuiteError} listing every bad line.
 */
export function parseSuite(
  text: string,
  file: string,
  bounds: SuiteBounds = DEFAULT_SUITE_BOUNDS,
): EvalTask[] {
  const schema = taskSchema(bounds);
  const tasks: EvalTask[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  text.split("\n").forEach((raw, i) => {
    const where = `${file}:${i + 1}`;
    if (raw.trim() === "") return;
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch (e) {
      problems.push(`${where}: not valid JSON (${(e as Error).message})`);
      return;
    }
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.length ? issue.path.join(".") : "(line)";
        problems.push(`${where}: ${field}: ${issue.message}`);
      }
      return;
    }
    const t = parsed.data;
    const first = seen.get(t.id);
    if (first !== undefined) {
      problems.push(`${where}: id: '${t.id}' already used on line ${first}`);
      return;
    }
    seen.set(t.id, i + 1);
    const task: EvalTask = { id: t.id, task: t.task, examples: t.examples, shown: 0 };
    task.shown = t.shown ?? t.examples.length;
    if (t.program !== undefined) task.program = t.program;
    if (t.signature !== undefined) task.signature = t.signature;
    tasks.push(task);
  });
  if (problems.length > 0) {
    throw new SuiteError(`Cannot load eval suite '${file}':\n${problems.join("\n")}`);
  }
  return tasks;
}

/** Reads and checks one `.jsonl` suite file (all-or-nothing; see {@linkcode parseSuite}). */
export function loadSuite(path: string, bounds: SuiteBounds = DEFAULT_SUITE_BOUNDS): EvalSuite {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    throw new SuiteError(`Cannot read eval suite '${path}': ${(e as Error).message}`);
  }
  const name = path.replace(/^.*[\\/]/, "").replace(/\.jsonl$/, "");
  return { name, path, tasks: parseSuite(text, path, bounds) };
}

/**
 * Loads one `.jsonl` file, or every `*.jsonl` file of a folder (not recursive), keyed by suite
 * name in file-name order. Throws {@linkcode SuiteError} if any file is bad or none is found.
 */
export function loadSuites(
  dirOrFile: string,
  bounds: SuiteBounds = DEFAULT_SUITE_BOUNDS,
): Record<string, EvalSuite> {
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(dirOrFile);
  } catch (e) {
    throw new SuiteError(`Cannot read eval suites at '${dirOrFile}': ${(e as Error).message}`);
  }
  const paths = info.isFile ? [dirOrFile] : [...Deno.readDirSync(dirOrFile)]
    .filter((e) => e.isFile && e.name.endsWith(".jsonl"))
    .map((e) => `${dirOrFile.replace(/[\\/]$/, "")}/${e.name}`)
    .sort();
  if (paths.length === 0) {
    throw new SuiteError(`No eval suites (*.jsonl) in '${dirOrFile}'`);
  }
  const suites: Record<string, EvalSuite> = {};
  const problems: string[] = [];
  for (const p of paths) {
    try {
      const s = loadSuite(p, bounds);
      suites[s.name] = s;
    } catch (e) {
      if (!(e instanceof SuiteError)) throw e;
      problems.push(e.message);
    }
  }
  if (problems.length > 0) throw new SuiteError(problems.join("\n"));
  return suites;
}

/** The suite's tasks, only the first `limit` of each task type when `limit` > 0 (0: all), in order. */
export function limitedTasks(suite: EvalSuite, limit = 0): EvalTask[] {
  const taken: Record<string, number> = {};
  return suite.tasks.filter((t) => !limit || (taken[t.task] = (taken[t.task] ?? 0) + 1) <= limit);
}

/** Splits tasks by task type (every type present as a key, possibly empty). */
export function suiteTasksByType(tasks: readonly EvalTask[]): Record<TaskType, EvalTask[]> {
  const out: Record<TaskType, EvalTask[]> = { deduction: [], abduction: [], induction: [] };
  for (const t of tasks) out[t.task].push(t);
  return out;
}
