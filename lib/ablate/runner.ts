/**
 * Runs a grid on this machine: every unfinished cell (./cell.ts) as an ordinary
 * `deno task train` run, at most `parallel` at a time, with an equal step or wall-clock budget.
 * A finished cell is skipped and an interrupted one resumes from its checkpoint, so an
 * interrupted grid continues where it stopped.
 * @module
 */
import cliProgress from "cli-progress";
import {
  type CellRun,
  cellState,
  type GridCell,
  planGrid,
  type PlanOptions,
  runCell,
} from "./cell.ts";

/** Options of {@linkcode runGrid}. */
export interface RunGridOptions extends PlanOptions {
  /** Runs at the same time. */
  parallel: number;
  /** Print progress (default true). */
  progress?: boolean;
  /**
   * When aborted, no further cell starts (the running ones finish or stop on the same signal:
   * Ctrl-C and Slurm's SIGTERM reach the trainers too).
   */
  signal?: AbortSignal;
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
  const todo: GridCell[] = [];
  for (const cell of planned) {
    if ((await cellState(cell)).kind === "finished") result.skipped.push(cell.name);
    else todo.push(cell);
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
    for (let cell = queue.shift(); cell && !opts.signal?.aborted; cell = queue.shift()) {
      const run: CellRun = await runCell(cell);
      if (run.ok) result.ran.push(cell.name);
      else result.failed.push({ name: cell.name, log: run.log });
      bar?.increment(1, { last: `${run.ok ? "done" : "FAILED"} ${cell.name}` });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.parallel) }, worker));
  bar?.stop();
  return result;
}
