/**
 * Where every cell of a grid stands, for `deno task ablate --collect`: finished, or not, and
 * then the last Slurm array task that ran it (job id, state in the queue, the tail of its log),
 * from the submissions recorded by ./slurm.ts. Cells run locally have no job; their
 * `train.log` is the log.
 * @module
 */
import { type CellState, cellState, type GridCell, planGrid, type PlanOptions } from "./cell.ts";
import { queuedTasks, readSubmissions, taskLogPath } from "./slurm.ts";
import { exists } from "../trainer/run_dir.ts";

/** One cell's report. */
export interface CellReport {
  cell: GridCell;
  state: CellState;
  /** The newest Slurm array task that ran (or will run) the cell. */
  job?: {
    /** `JOBID_K`. */
    id: string;
    /** Its state in Slurm's queue (PENDING, RUNNING, …); undefined once it left the queue. */
    queued?: string;
  };
  /** The log to look at (the array task's, else the run's `train.log`) and its last lines. */
  log?: { path: string; tail: string[] };
}

/** Lines kept of a log's end. */
const TAIL_LINES = 8;

/** The last `n` non-empty lines of a text file ([] when it does not exist). */
export async function tailLines(path: string, n = TAIL_LINES): Promise<string[]> {
  if (!await exists(path)) return [];
  // Progress bars redraw with \r: the last redraw is what the line shows.
  const lines = (await Deno.readTextFile(path)).split("\n")
    .map((l) => l.split("\r").at(-1)!.trimEnd()).filter(Boolean);
  return lines.slice(-n);
}

/** Reports on every cell of the grid, in cell order. */
export async function collectCells(opts: PlanOptions): Promise<CellReport[]> {
  const submissions = await readSubmissions(opts.runsDir, opts.grid.name);
  const queue = submissions.length > 0 ? await queuedTasks(opts.grid.name) : undefined;
  const reports: CellReport[] = [];
  for (const cell of planGrid(opts)) {
    const state = await cellState(cell);
    const report: CellReport = { cell, state };
    if (state.kind !== "finished") {
      const last = submissions.findLast((s) => s.cells.includes(cell.index));
      let logPath = `${cell.dir}/train.log`;
      if (last) {
        const id = `${last.jobId}_${cell.index}`;
        const queued = queue?.get(id);
        report.job = { id, ...(queued !== undefined ? { queued } : {}) };
        logPath = taskLogPath(opts.runsDir, opts.grid.name, last.jobId, cell.index);
      }
      if (await exists(logPath)) report.log = { path: logPath, tail: await tailLines(logPath) };
    }
    reports.push(report);
  }
  return reports;
}

function stateText(s: CellState): string {
  switch (s.kind) {
    case "finished":
      return "finished";
    case "interrupted":
      return `not finished: stopped at checkpoint ${s.checkpoint} (the next run resumes it)`;
    case "started":
      return "not finished: no checkpoint (the next run starts it over)";
    case "missing":
      return "missing: never started";
  }
}

/** One block per unfinished cell: what it is, its Slurm job, the tail of its log. */
export function formatUnfinished(reports: readonly CellReport[]): string {
  const blocks: string[] = [];
  for (const r of reports) {
    if (r.state.kind === "finished") continue;
    const job = r.job
      ? `; Slurm job ${r.job.id} ${r.job.queued ? `(${r.job.queued})` : "(no longer queued)"}`
      : "";
    const lines = [`cell ${r.cell.index} ${r.cell.name}: ${stateText(r.state)}${job}`];
    if (r.log) {
      lines.push(`  log ${r.log.path}, last lines:`, ...r.log.tail.map((l) => `    ${l}`));
    }
    blocks.push(lines.join("\n"));
  }
  return blocks.join("\n");
}
