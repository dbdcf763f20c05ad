/**
 * Runs a grid: every variant × seed as an ordinary `deno task train` run in
 * `runs/<grid>-<variant>-s<seed>/`, at most `parallel` at a time, with an equal
 * step or wall-clock budget. A run whose `summary.json` exists is finished and
 * skipped, so an interrupted grid continues where it stopped.
 * @module
 */
import { resolve } from "node:path";
import cliProgress from "cli-progress";
import { parseConfigArgs } from "../config.ts";
import type { Grid } from "./grids.ts";
import { exists } from "../trainer/run_dir.ts";
import { readRunSummary } from "../trainer/run_files.ts";

/** One planned run of a grid. */
export interface PlannedRun {
  variant: string;
  seed: number;
  name: string;
  /** `--key=value` arguments for the trainer (`--runsDir` absolute). */
  args: string[];
}

/** Options of {@linkcode runGrid}. */
export interface RunGridOptions {
  grid: Grid;
  seeds: number;
  /** Wall-clock budget per run (minutes); overrides the grid's own. */
  minutes?: number;
  /** Step budget per run; overrides the grid's own. */
  steps?: number;
  /** Runs at the same time. */
  parallel: number;
  runsDir: string;
  /** Print progress (default true). */
  progress?: boolean;
}

const ROOT = new URL("../../", import.meta.url).pathname;

function cliValue(v: unknown): string {
  return Array.isArray(v) ? v.join(",") : typeof v === "string" ? v : JSON.stringify(v);
}

/** The runs a grid consists of, in a stable order. */
export function planGrid(opts: Omit<RunGridOptions, "parallel">): PlannedRun[] {
  const { grid } = opts;
  // The trainer runs with the repo root as cwd; an absolute folder keeps a caller's relative
  // runsDir (e.g. a notebook's, whose cwd is notebooks/) pointing where the caller looks.
  const runsDir = resolve(opts.runsDir);
  const runs: PlannedRun[] = [];
  for (const variant of grid.variants) {
    for (let seed = 0; seed < opts.seeds; seed++) {
      const name = `${grid.name}-${variant.name}-s${seed}`;
      const merged: Record<string, unknown> = { ...grid.base, ...variant.overrides };
      if (opts.minutes !== undefined) merged.maxMinutes = opts.minutes;
      // A budget from the command line applies to every run except those a variant pins (untrained: steps=0).
      if (opts.steps !== undefined && variant.overrides.steps === undefined) {
        merged.steps = opts.steps;
      }
      const args = [
        `--preset=${grid.preset}`,
        `--name=${name}`,
        `--seed=${seed}`,
        `--runsDir=${runsDir}`,
      ];
      for (const [k, v] of Object.entries(merged)) args.push(`--${k}=${cliValue(v)}`);
      runs.push({ variant: variant.name, seed, name, args });
    }
  }
  return runs;
}

/**
 * A finished run is reused only if it ran with the settings the grid asks for now (budget
 * included); otherwise the error names the first differing key and what to do.
 */
export async function assertSameSettings(runsDir: string, run: PlannedRun): Promise<void> {
  const want: Record<string, unknown> = parseConfigArgs(run.args).config;
  const path = `${runsDir}/${run.name}/config.json`;
  let have: Record<string, unknown>;
  try {
    have = JSON.parse(await Deno.readTextFile(path));
  } catch (e) {
    throw new Error(`Cannot reuse finished run '${run.name}': ${path} (${(e as Error).message})`);
  }
  for (const key of Object.keys(want)) {
    if (key === "runsDir") continue; // the same folder, perhaps spelled differently
    if (JSON.stringify(have[key]) !== JSON.stringify(want[key])) {
      throw new Error(
        `Run '${run.name}' finished with ${key}=${
          JSON.stringify(have[key])
        } but the grid now asks for ${
          JSON.stringify(want[key])
        }: delete ${runsDir}/${run.name} to rerun it, or use another --runsDir`,
      );
    }
  }
}

/** Result of {@linkcode runGrid}. */
export interface GridRunResult {
  ran: string[];
  skipped: string[];
  failed: { name: string; log: string }[];
}

/** Runs what is not finished yet; never throws for a failed run (it is reported). */
export async function runGrid(opts: RunGridOptions): Promise<GridRunResult> {
  const planned = planGrid(opts);
  const result: GridRunResult = { ran: [], skipped: [], failed: [] };
  const todo: PlannedRun[] = [];
  for (const run of planned) {
    if (await readRunSummary(opts.runsDir, run.name)) {
      await assertSameSettings(opts.runsDir, run);
      result.skipped.push(run.name);
    } else todo.push(run);
  }
  const bar = opts.progress === false ? undefined : new cliProgress.SingleBar({
    format: `grid ${opts.grid.name} {bar} {value}/{total} runs | ETA {eta_formatted} | {last}`,
    noTTYOutput: true,
    notTTYSchedule: 10_000,
  }, cliProgress.Presets.shades_classic);
  bar?.start(planned.length, result.skipped.length, {
    last: `${result.skipped.length} already finished`,
  });
  const queue = [...todo];
  const worker = async () => {
    for (let run = queue.shift(); run; run = queue.shift()) {
      const dir = `${opts.runsDir}/${run.name}`;
      // An interrupted run continues from its last checkpoint; one cut short before its first
      // checkpoint has nothing to continue from and starts over (the trainer refuses to overwrite it).
      const resume = await exists(`${dir}/checkpoints/latest`);
      if (!resume && await exists(dir)) await Deno.remove(dir, { recursive: true });
      await Deno.mkdir(dir, { recursive: true });
      const logPath = `${dir}/train.log`;
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
          `${ROOT}lib/trainer/main.ts`,
          ...run.args,
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
        for await (const chunk of stream) await writer.write(chunk);
      };
      await Promise.all([drain(child.stdout), drain(child.stderr)]);
      const { success } = await child.status;
      await writer.close();
      if (success && (await readRunSummary(opts.runsDir, run.name))) result.ran.push(run.name);
      else result.failed.push({ name: run.name, log: logPath });
      bar?.increment(1, { last: `${success ? "done" : "FAILED"} ${run.name}` });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.parallel) }, worker));
  bar?.stop();
  return result;
}
