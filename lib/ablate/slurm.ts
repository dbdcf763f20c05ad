/**
 * A grid as a Slurm job array: array task K runs cell K (./cell.ts) with the kit's own command,
 * `deno task ablate --grid NAME --cell K` (the same `deno run -A lib/ablate/main.ts`), into the
 * shared runs folder. Only unfinished cells are submitted, and each array task checks its cell
 * again, so a re-submitted array skips finished cells and resumes interrupted ones from their
 * checkpoints. Every submission is recorded in `<runsDir>/slurm/<grid>/jobs.jsonl`, next to the
 * array tasks' logs (`<jobId>_<K>.log`), for `--collect` to report on.
 *
 * @example
 * ```ts
 * import { arraySpec } from "./slurm.ts";
 * console.log(arraySpec([0, 1, 2, 5, 7, 8])); // "0-2,5,7-8"
 * ```
 * @module
 */
import { resolve } from "node:path";
import { z } from "zod";
import { appendJsonl, readJsonl } from "../jsonl.ts";
import { exists, RunError } from "../trainer/run_dir.ts";
import { cellState, type GridCell, planGrid, type PlanOptions } from "./cell.ts";

/** What an sbatch submission asks Slurm for, beyond the array itself. */
export interface SlurmOptions {
  /** `--partition` (e.g. a GPU partition). */
  partition?: string;
  /** `--time` per array task, in Slurm's format (`30`, `00:30:00`, `1-00:00:00`). */
  time?: string;
  /** `--cpus-per-task`. */
  cpusPerTask?: number;
  /** More `#SBATCH` lines, verbatim (`--gres=gpu:1`, `--account=X`, `--qos=Y`). */
  sbatchArgs?: string[];
}

/** A grid to submit: its cells' plan, how `--grid` names it, and the Slurm options. */
export interface SlurmGrid extends PlanOptions {
  /** What the array tasks pass as `--grid`: a built-in grid's name or a grid file's path. */
  gridArg: string;
  /** `--variants`: the grid's variants the array runs (all when absent). */
  variants?: readonly string[];
  slurm: SlurmOptions;
}

/** The flags of `deno task ablate` that only `--launcher slurm` takes. */
export const SLURM_FLAGS = ["partition", "time", "cpus-per-task", "sbatch-arg", "dry-run"] as const;

/**
 * The submit command's arguments with `--collect` in place of the launcher's: what to run once
 * the array is done (the same --grid, --seeds, budget and --runsDir decide the same cells).
 */
export function collectArgs(submitArgs: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < submitArgs.length; i++) {
    const a = submitArgs[i]!;
    const flag = a.replace(/^--/, "").split("=")[0]!;
    if (flag === "launcher" || (SLURM_FLAGS as readonly string[]).includes(flag)) {
      // Given as `--flag value`, the next argument is its value.
      if (!a.includes("=") && flag !== "dry-run") i++;
      continue;
    }
    out.push(a);
  }
  return [...out, "--collect"];
}

/** Slurm's `--time` formats: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS. */
export const SLURM_TIME = /^(\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d+(:\d{1,2}){0,2})$/;

/** Where a grid's Slurm scripts, submissions and array-task logs go. */
export function slurmDir(runsDir: string, grid: string): string {
  return `${resolve(runsDir)}/slurm/${grid}`;
}

/** The log of array task `index` of job `jobId` (sbatch's `%A_%a.log`). */
export function taskLogPath(runsDir: string, grid: string, jobId: string, index: number): string {
  return `${slurmDir(runsDir, grid)}/${jobId}_${index}.log`;
}

/** Array indices as Slurm's `--array` spec, runs compressed: [0,1,2,5] → "0-2,5". */
export function arraySpec(indices: readonly number[]): string {
  const xs = [...new Set(indices)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < xs.length;) {
    let j = i;
    while (j + 1 < xs.length && xs[j + 1] === xs[j]! + 1) j++;
    parts.push(i === j ? `${xs[i]}` : `${xs[i]}-${xs[j]}`);
    i = j + 1;
  }
  return parts.join(",");
}

/** A word for bash, single-quoted. */
function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

/** The `--grid/--seeds/--variants/--steps/--minutes/--runsDir` that plan the same cells again. */
function planFlags(opts: SlurmGrid): string[] {
  return [
    "--grid",
    opts.gridArg,
    "--seeds",
    String(opts.seeds),
    ...(opts.variants !== undefined ? ["--variants", opts.variants.join(",")] : []),
    ...(opts.steps !== undefined ? ["--steps", String(opts.steps)] : []),
    ...(opts.minutes !== undefined ? ["--minutes", String(opts.minutes)] : []),
    "--runsDir",
    resolve(opts.runsDir),
  ];
}

/**
 * The sbatch script of a job array over `cells`. The array task `exec`s the cell command, so
 * that Slurm's SIGTERM (scancel, preemption, the time limit) reaches the cell process and the
 * trainer once each: the trainer checkpoints and stops, the cell process waits for it.
 */
export function sbatchScript(opts: SlurmGrid & { cells: readonly GridCell[] }): string {
  const { slurm } = opts;
  const sbatch = [
    `--job-name=azr-${opts.grid.name}`,
    `--array=${arraySpec(opts.cells.map((c) => c.index))}`,
    `--output=${slurmDir(opts.runsDir, opts.grid.name)}/%A_%a.log`,
    `--chdir=${ROOT}`,
    ...(slurm.partition !== undefined ? [`--partition=${slurm.partition}`] : []),
    ...(slurm.time !== undefined ? [`--time=${slurm.time}`] : []),
    ...(slurm.cpusPerTask !== undefined ? [`--cpus-per-task=${slurm.cpusPerTask}`] : []),
    ...(slurm.sbatchArgs ?? []),
  ];
  const command = [Deno.execPath(), "run", "-A", `${ROOT}/lib/ablate/main.ts`, ...planFlags(opts)]
    .map(shellQuote).join(" ");
  return [
    "#!/bin/bash",
    `# azr-kit grid '${opts.grid.name}': one array task per (variant, seed) cell, written by`,
    "# `deno task ablate --launcher slurm`. Array task K runs cell K; a finished cell is skipped,",
    "# an interrupted one resumes from its checkpoint. Needs this repo, Deno and the runs folder",
    "# at the same paths on every node (a shared filesystem).",
    ...sbatch.map((a) => `#SBATCH ${a}`),
    "",
    "# exec: Slurm's SIGTERM reaches the cell process and the trainer once each (no forwarding).",
    `exec ${command} --cell "$SLURM_ARRAY_TASK_ID"`,
    "",
  ].join("\n");
}

/** `sbatch --parsable` prints `JOBID` or `JOBID;CLUSTER`. */
const SbatchOutputSchema = z.string().trim().regex(
  /^\d+(;[\w.-]+)?$/,
  "expected 'JOBID' or 'JOBID;CLUSTER'",
);

/** The job id from `sbatch --parsable`'s output; a RunError quoting it when it is not one. */
export function parseSbatchJobId(stdout: string): string {
  const r = SbatchOutputSchema.safeParse(stdout);
  if (!r.success) {
    throw new RunError(
      `Cannot read sbatch's job id from '${stdout.trim()}' (${r.error.issues[0]!.message})`,
    );
  }
  return r.data.split(";")[0]!;
}

/** One submission, a line of `jobs.jsonl`. */
export const SubmissionSchema = z.object({
  jobId: z.string().regex(/^\d+$/),
  /** The cells (array indices) it was submitted with. */
  cells: z.array(z.number().int().nonnegative()),
  submittedAt: z.string(),
  script: z.string(),
});
/** One submission of a grid's job array. */
export type Submission = z.infer<typeof SubmissionSchema>;

/** A grid's submissions, oldest first ([] before the first). */
export async function readSubmissions(runsDir: string, grid: string): Promise<Submission[]> {
  const path = `${slurmDir(runsDir, grid)}/jobs.jsonl`;
  return await exists(path) ? await readJsonl(path, SubmissionSchema) : [];
}

/** Output of a finished command. */
interface CommandOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a Slurm command; undefined when it is not installed here. */
async function slurmCommand(cmd: string, args: string[]): Promise<CommandOutput | undefined> {
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** What {@linkcode submitGrid} did. */
export interface SubmitResult {
  /** The unfinished cells, the ones in the array. */
  cells: GridCell[];
  /** The cells already finished (not submitted). */
  finished: GridCell[];
  /** The sbatch script (empty when every cell is finished). */
  script: string;
  /** Where the script was written (not on a dry run). */
  scriptPath?: string;
  /** The job id (not on a dry run, nor when nothing was left to run). */
  jobId?: string;
}

/**
 * Submits the grid's unfinished cells as one job array (`dryRun`: only writes nothing and
 * returns the script). A malformed cell folder, or a finished cell with other settings, is a
 * RunError naming the cell before anything is submitted.
 */
export async function submitGrid(opts: SlurmGrid & { dryRun?: boolean }): Promise<SubmitResult> {
  const cells: GridCell[] = [];
  const finished: GridCell[] = [];
  for (const cell of planGrid(opts)) {
    ((await cellState(cell)).kind === "finished" ? finished : cells).push(cell);
  }
  if (cells.length === 0) return { cells, finished, script: "" };
  const script = sbatchScript({ ...opts, cells });
  if (opts.dryRun) return { cells, finished, script };
  const dir = slurmDir(opts.runsDir, opts.grid.name);
  await Deno.mkdir(dir, { recursive: true });
  const submittedAt = new Date().toISOString();
  const scriptPath = `${dir}/${submittedAt.replace(/[:.]/g, "-")}.sbatch`;
  await Deno.writeTextFile(scriptPath, script);
  const out = await slurmCommand("sbatch", ["--parsable", scriptPath]);
  if (!out) {
    throw new RunError(
      "'sbatch' not found: run this on a Slurm login node (or pass --dry-run to see the script)",
    );
  }
  if (out.code !== 0) {
    throw new RunError(
      `sbatch refused ${scriptPath} (exit ${out.code}): ${out.stderr.trim() || out.stdout.trim()}`,
    );
  }
  const jobId = parseSbatchJobId(out.stdout);
  const record: Submission = {
    jobId,
    cells: cells.map((c) => c.index),
    submittedAt,
    script: scriptPath,
  };
  await appendJsonl(`${dir}/jobs.jsonl`, [record]);
  return { cells, finished, script, scriptPath, jobId };
}

/** A line of `squeue -h -r -o '%i|%T'`: `JOBID_TASK|STATE`, or `JOBID|STATE` for a plain job. */
const SqueueLineSchema = z.string().regex(
  /^\d+(_\d+)?\|[A-Z_]+$/,
  "expected 'JOBID[_TASK]|STATE'",
);

/**
 * The states of this user's array tasks of the grid still in Slurm's queue, by `JOBID_TASK`
 * (e.g. `"1234_3" → "RUNNING"`); undefined when `squeue` is not installed here.
 */
export async function queuedTasks(grid: string): Promise<Map<string, string> | undefined> {
  const out = await slurmCommand("squeue", [
    "--me",
    "-h",
    "-r",
    "-n",
    `azr-${grid}`,
    "-o",
    "%i|%T",
  ]);
  if (!out) return undefined; // collecting off the cluster
  if (out.code !== 0) throw new RunError(`squeue failed (exit ${out.code}): ${out.stderr.trim()}`);
  const states = new Map<string, string>();
  for (const line of out.stdout.split("\n").map((l) => l.trim()).filter(Boolean)) {
    const r = SqueueLineSchema.safeParse(line);
    if (!r.success) throw new RunError(`Cannot read squeue's line '${line}': expected JOB|STATE`);
    const [id, state] = r.data.split("|") as [string, string];
    states.set(id, state);
  }
  return states;
}
