/**
 * A grid's cells: one (variant, seed) run each, numbered in a stable order, run as an ordinary
 * `deno task train` run in `<runsDir>/<grid>-<variant>-s<seed>/`; its `summary.json` (written
 * last by the trainer) marks it finished. The local runner (./runner.ts), the Slurm job array
 * (./slurm.ts: array task K runs cell K) and the summary all go through this one notion of a
 * cell, its folder and its state.
 * @module
 */
import { resolve } from "node:path";
import { z } from "zod";
import { ConfigSchema, parseConfigArgs, SETTING_BEFORE_ADDED } from "../config.ts";
import { JsonlError } from "../jsonl.ts";
import { exists, RunError } from "../trainer/run_dir.ts";
import {
  PretrainSummarySchema,
  readRunJson,
  type RunSummary,
  RunSummarySchema,
} from "../trainer/run_files.ts";
import type { Grid } from "./grids.ts";

/** One cell of a grid: a (variant, seed) run. */
export interface GridCell {
  /** Position in {@linkcode planGrid}'s order (the Slurm array index). */
  index: number;
  variant: string;
  seed: number;
  /** The run's name: `<grid>-<variant>-s<seed>`. */
  name: string;
  /** The run's folder (absolute). */
  dir: string;
  /** What it runs: self-play's trainer or pre-training. */
  command: "train" | "pretrain";
  /** `--key=value` arguments for the trainer (`--runsDir` absolute). */
  args: string[];
}

/** What decides a grid's cells: the grid, seeds, budget and where the runs go. */
export interface PlanOptions {
  grid: Grid;
  seeds: number;
  /** Wall-clock budget per run (minutes); overrides the grid's own. */
  minutes?: number;
  /** Step budget per run; overrides the grid's own. */
  steps?: number;
  runsDir: string;
}

function cliValue(v: unknown): string {
  return Array.isArray(v) ? v.join(",") : typeof v === "string" ? v : JSON.stringify(v);
}

/** The cells of a grid, variant by variant, seed by seed (index = position). */
export function planGrid(opts: PlanOptions): GridCell[] {
  const { grid } = opts;
  // The trainer runs with the repo root as cwd; an absolute folder keeps a caller's relative
  // runsDir (e.g. a notebook's, whose cwd is notebooks/) pointing where the caller looks.
  const runsDir = resolve(opts.runsDir);
  const cells: GridCell[] = [];
  for (const variant of grid.variants) {
    for (let seed = 0; seed < opts.seeds; seed++) {
      const name = `${grid.name}-${variant.name}-s${seed}`;
      const merged: Record<string, unknown> = { ...grid.base, ...variant.overrides };
      if (opts.minutes !== undefined) merged.maxMinutes = opts.minutes;
      // A budget from the command line applies to every run except those a variant pins
      // (untrained: steps=0); a pre-training cell's steps are its pretrainSteps.
      const stepsKey = variant.command === "pretrain" ? "pretrainSteps" : "steps";
      if (opts.steps !== undefined && variant.overrides[stepsKey] === undefined) {
        merged[stepsKey] = opts.steps;
      }
      const args = [
        `--preset=${grid.preset}`,
        `--name=${name}`,
        `--seed=${seed}`,
        `--runsDir=${runsDir}`,
      ];
      for (const [k, v] of Object.entries(merged)) args.push(`--${k}=${cliValue(v)}`);
      cells.push({
        index: cells.length,
        variant: variant.name,
        seed,
        name,
        dir: `${runsDir}/${name}`,
        command: variant.command,
        args,
      });
    }
  }
  return cells;
}

/** `cell 3 (tiny-random_tasks-s1)`: how messages name a cell. */
export function cellLabel(cell: GridCell): string {
  return `cell ${cell.index} (${cell.name})`;
}

/**
 * A cell's finished summary, or undefined while it is not finished. A folder that is not a
 * folder, or a `summary.json` that cannot be read, is a {@linkcode RunError} naming the cell.
 */
export async function readCellSummary(cell: GridCell): Promise<RunSummary | undefined> {
  let stat: Deno.FileInfo;
  try {
    stat = await Deno.stat(cell.dir);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw new RunError(`${cellLabel(cell)}: cannot read ${cell.dir} (${(e as Error).message})`);
  }
  if (!stat.isDirectory) {
    throw new RunError(
      `${cellLabel(cell)}: ${cell.dir} is not a folder; move or delete it to run that cell`,
    );
  }
  const schema = cell.command === "pretrain" ? PretrainCellSummarySchema : RunSummarySchema;
  return await readCellFile(cell, () => readRunJson(`${cell.dir}/summary.json`, schema));
}

/**
 * A pre-training cell's `summary.json` in self-play's terms, as the grid reads it: its suites'
 * accuracy as `eval`, its generator held-out set's as `evalGenerator` (and the set beyond the bank's
 * as `evalBeyond`), the search on the suites as `evalSearch`.
 */
const PretrainCellSummarySchema = PretrainSummarySchema.transform((p): RunSummary => {
  const seconds = p.minutes * 60;
  const search = Object.fromEntries(
    Object.entries(p.baselines.suite).flatMap(([task, scores]) =>
      scores.filter((b) => b.kind === "search").map((b) => [task, b.n > 0 ? b.k / b.n : 0])
    ),
  );
  return {
    name: p.name,
    step: p.steps,
    seconds,
    stepsPerS: seconds > 0 ? p.steps / seconds : 0,
    eval: p.accuracy.suite,
    ...(Object.keys(search).length > 0 ? { evalSearch: search } : {}),
    evalGenerator: p.accuracy.generator,
    ...(p.accuracy.beyond ? { evalBeyond: p.accuracy.beyond } : {}),
  };
});

/**
 * Reads one of a cell's files with `read`; a file that is missing, unreadable or malformed is a
 * {@linkcode RunError} naming the cell (one line through the CLI), anything else propagates.
 */
export async function readCellFile<T>(cell: GridCell, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (e) {
    if (!isFileError(e)) throw e;
    throw new RunError(
      `${cellLabel(cell)}: ${oneLine(e.message)} (repair it, or delete ${cell.dir} to rerun it)`,
    );
  }
}

/**
 * The errors the run-file readers report a bad file with: a file system error, a bad JSONL line,
 * unparsable JSON, or their plain "Cannot read PATH: …" Error (not a TypeError or other bug).
 */
function isFileError(e: unknown): e is Error {
  return e instanceof JsonlError || e instanceof SyntaxError ||
    (e instanceof Error && Object.getPrototypeOf(e) === Error.prototype) ||
    Object.values(Deno.errors).some((C) => e instanceof C);
}

function oneLine(s: string): string {
  return s.split("\n").map((l) => l.trim()).filter(Boolean).join(" ");
}

/**
 * A finished cell is reused only if it ran with the settings the grid asks for now (budget
 * included); otherwise a {@linkcode RunError} names the cell, the first differing key and what
 * to do.
 */
export async function assertSameSettings(cell: GridCell): Promise<void> {
  const want: Record<string, unknown> = parseConfigArgs(cell.args).config;
  const path = `${cell.dir}/config.json`;
  const have = await readCellFile(cell, () => readRunJson(path, SavedConfigSchema));
  if (!have) {
    throw new RunError(
      `${cellLabel(cell)}: finished but ${path} is missing; delete ${cell.dir} to rerun it`,
    );
  }
  for (const key of Object.keys(want)) {
    if (key === "runsDir") continue; // the same folder, perhaps spelled differently
    // What the cell ran: its saved value; for a setting added after it ran, the value that names
    // the old behaviour (SETTING_BEFORE_ADDED), or the default (the convention: a new setting's
    // default keeps the old behaviour, or changes only speed).
    const ran = key in have
      ? [have[key]]
      : [SETTING_BEFORE_ADDED[key], settingDefault(key)].filter((v) => v !== undefined);
    if (!ran.some((v) => JSON.stringify(v) === JSON.stringify(want[key]))) {
      throw new RunError(
        `${cellLabel(cell)}: finished with ${key}=${JSON.stringify(ran[0])}${
          key in have ? "" : " (its config.json predates the setting)"
        } but the grid now asks for ${
          JSON.stringify(want[key])
        }: delete ${cell.dir} to rerun it, or use another --runsDir`,
      );
    }
  }
}

/** The schema's default of a setting (undefined for one without a default). */
function settingDefault(key: string): unknown {
  const field = (ConfigSchema.shape as Record<string, z.ZodType>)[key];
  const parsed = field?.safeParse(undefined);
  return parsed?.success ? parsed.data : undefined;
}

/** A saved `config.json` as far as comparing settings needs it: an object of values. */
const SavedConfigSchema = z.record(z.string(), z.unknown());

/** Where a cell stands, read from its folder. */
export type CellState =
  /** `summary.json` is there (and the run used the settings asked for now). */
  | { kind: "finished"; summary: RunSummary }
  /** Cut short after a checkpoint (its folder name): running it again resumes from there. */
  | { kind: "interrupted"; checkpoint: string }
  /** A folder without a checkpoint: running it again starts over. */
  | { kind: "started" }
  /** No folder yet. */
  | { kind: "missing" };

/**
 * The name of the cell's newest checkpoint (`step-000003`, what `checkpoints/latest` names), or
 * undefined when it has none: what decides between resuming and starting over.
 */
export async function cellCheckpoint(cell: GridCell): Promise<string | undefined> {
  const latest = `${cell.dir}/checkpoints/latest`;
  return await exists(latest) ? (await Deno.readTextFile(latest)).trim() : undefined;
}

/** A cell's state; a malformed folder or a finished run with other settings is a RunError. */
export async function cellState(cell: GridCell): Promise<CellState> {
  const summary = await readCellSummary(cell);
  if (summary) {
    await assertSameSettings(cell);
    return { kind: "finished", summary };
  }
  const checkpoint = await cellCheckpoint(cell);
  if (checkpoint !== undefined) return { kind: "interrupted", checkpoint };
  return await exists(cell.dir) ? { kind: "started" } : { kind: "missing" };
}

/** The trainer's entry point, run as a subprocess with the repo root as cwd. */
const ROOT = new URL("../../", import.meta.url).pathname;

/** What {@linkcode runCell} did. */
export interface CellRun {
  /** The trainer exited 0 and wrote `summary.json`. */
  ok: boolean;
  /** The trainer's exit code (143 after SIGTERM: it checkpointed and stopped). */
  code: number;
  /** It continued from a checkpoint. */
  resumed: boolean;
  /** The trainer's output (appended to on resume). */
  log: string;
}

/**
 * Runs one unfinished cell as a trainer subprocess: an interrupted cell continues from its last
 * checkpoint; one cut short before its first checkpoint has nothing to continue from and starts
 * over (the trainer refuses to overwrite it). The trainer's output goes to `<dir>/train.log`,
 * and to stdout too with `echo` (an array task's Slurm log).
 */
export async function runCell(cell: GridCell, opts: { echo?: boolean } = {}): Promise<CellRun> {
  const resume = (await cellCheckpoint(cell)) !== undefined;
  if (!resume && await exists(cell.dir)) await Deno.remove(cell.dir, { recursive: true });
  await Deno.mkdir(cell.dir, { recursive: true });
  const logPath = `${cell.dir}/train.log`;
  const log = await Deno.open(logPath, {
    write: true,
    create: true,
    append: resume,
    truncate: !resume,
  });
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `${ROOT}lib/trainer/${cell.command === "pretrain" ? "pretrain_main" : "main"}.ts`,
      ...cell.args,
      "--quiet",
      ...(resume ? ["--resume"] : []),
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // One writer shared by both streams: a WritableStream can have only one pipe at a time.
  const writer = log.writable.getWriter();
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) {
      await writer.write(chunk);
      // write() may take part of a chunk: loop until all of it is out.
      for (let off = 0; opts.echo && off < chunk.length;) {
        off += await Deno.stdout.write(chunk.subarray(off));
      }
    }
  };
  await Promise.all([drain(child.stdout), drain(child.stderr)]);
  const { code } = await child.status;
  await writer.close();
  const ok = code === 0 && (await readCellSummary(cell)) !== undefined;
  return { ok, code, resumed: resume, log: logPath };
}
