/**
 * `deno task ablate --grid <name|file.json> [--seeds 3] [--variants a,b --label l] [--minutes M | --steps N] [--parallel P] [--out DIR]`
 *
 * Runs a grid of configs × seeds (each cell an ordinary run in `runs/`), skipping finished
 * cells, then writes the summary (JSON, markdown, SVG) to `runs/results/<grid>/` (or
 * `--out DIR`: `DIR/<grid>/`; the committed results are `--out data/results`), with the
 * self-play diagnostics (`selfplay.md`, `solved.md`). On a cluster, `--launcher slurm` submits
 * the unfinished cells as a Slurm job array whose task K runs `--cell K`, and `--collect`
 * writes the same summary from the finished cells and reports on the others.
 * @module
 */
import { resolve } from "node:path";
import { numberFlag, parseFlags, runCli, stopOnSignals, UsageError } from "../cli.ts";
import { cellLabel, cellState, planGrid, type PlanOptions, runCell } from "./cell.ts";
import { collectCells, formatUnfinished } from "./collect.ts";
import { gridSelfPlay, gridSolved, writeSelfPlay, writeSolved } from "./diagnose.ts";
import { GRIDS, loadGrid, selectVariants } from "./grids.ts";
import { runGrid } from "./runner.ts";
import { collectArgs, SLURM_FLAGS, SLURM_TIME, submitGrid } from "./slurm.ts";
import { summarizeGrid, summaryTable, writeSummary } from "./summary.ts";

const USAGE = `Usage: deno task ablate --grid <${
  Object.keys(GRIDS).join("|")
}|file.json> [--seeds 3] [--variants A,B --label L] [--minutes M | --steps N] [--parallel P] [--runsDir runs] [--out DIR] [--summary-only]
       deno task ablate --grid NAME [...] --launcher slurm [--partition P] [--time 00:30:00]
                        [--cpus-per-task N] [--sbatch-arg=--gres=gpu:1 ...] [--dry-run]
       deno task ablate --grid NAME [...] --collect
       deno task ablate --grid NAME [...] --cell K

  --grid NAME|FILE   a built-in grid (lib/ablate/grids.ts) or a grid JSON file
  --seeds N          seeds per variant (default 3)
  --variants A,B     only these of the grid's variants (and the one it pairs with): their runs
                     are the whole grid's (same names); their summary goes to <out>/<grid>-L
  --label L          the summary folder's suffix (needed with --variants): <out>/<grid>-L
  --minutes M        wall-clock budget per run, overriding the grid's
  --steps N          step budget per run, overriding the grid's
  --parallel P       runs at the same time (default: one per core)
  --runsDir DIR      where the runs go (default runs); finished runs are reused
  --out DIR          summary folder's parent: writes DIR/<grid>/ (default <runsDir>/results;
                     the committed results are --out data/results)
  --summary-only     summarise the finished runs without running anything

  Cells: the grid's (variant, seed) runs, numbered 0.. variant by variant, seed by seed. Give
  every command of one grid the same --grid, --seeds, --steps/--minutes and --runsDir.
  --launcher local|slurm
                     local (default): run the cells here, --parallel at a time; slurm: submit
                     the unfinished cells as one Slurm job array (task K runs --cell K), logs
                     and submissions in <runsDir>/slurm/<grid>/; re-submitting skips finished
                     cells and resumes interrupted ones from their checkpoints
  --partition P      sbatch --partition (e.g. a GPU partition)
  --time T           sbatch --time per cell (e.g. 00:30:00; leave room past --minutes)
  --cpus-per-task N  sbatch --cpus-per-task
  --sbatch-arg ARG   one more #SBATCH line, verbatim; repeatable (--sbatch-arg=--gres=gpu:1)
  --dry-run          print the sbatch script instead of submitting it
  --collect          write the summary from the finished cells and report every other one
                     (its Slurm job and the tail of its log); exit 1 while any is unfinished
  --cell K           run cell K only (what each array task runs): a finished cell is skipped,
                     an interrupted one resumes from its checkpoint`;

/** Writes summary, figures and diagnostics of the finished cells; prints the table. */
async function writeResults(
  plan: PlanOptions,
  out: string | undefined,
  label: string | undefined,
): Promise<void> {
  const { grid, seeds, runsDir } = plan;
  const summary = await summarizeGrid(grid, seeds, runsDir);
  const dir = `${out ?? `${runsDir}/results`}/${grid.name}${label ? `-${label}` : ""}`;
  const files = await writeSummary(summary, dir);
  // What the proposer proposed and how the learnability rollouts went, per variant and stretch.
  const selfPlay = await gridSelfPlay(grid, seeds, runsDir, { windows: 4 });
  files.push(...await writeSelfPlay(selfPlay, dir));
  // Which held-out tasks each variant solves, from the runs' eval.json (task by task).
  files.push(...await writeSolved(await gridSolved(grid, seeds, runsDir), dir));
  console.log(summaryTable(summary));
  console.log(`wrote ${files.join(", ")}`);
}

/** The command: bad input throws a UsageError (one line, exit 2 through runCli). */
async function main(): Promise<number> {
  const { values } = parseFlags(Deno.args, {
    grid: { type: "string" },
    seeds: { type: "string", default: "3" },
    variants: { type: "string" },
    label: { type: "string" },
    minutes: { type: "string" },
    steps: { type: "string" },
    parallel: { type: "string", default: String(navigator.hardwareConcurrency ?? 1) },
    runsDir: { type: "string", default: "runs" },
    out: { type: "string" },
    "summary-only": { type: "boolean", default: false },
    launcher: { type: "string", default: "local" },
    partition: { type: "string" },
    time: { type: "string" },
    "cpus-per-task": { type: "string" },
    "sbatch-arg": { type: "string", multiple: true },
    "dry-run": { type: "boolean", default: false },
    collect: { type: "boolean", default: false },
    cell: { type: "string" },
  }, USAGE);
  if (!values.grid) {
    throw new UsageError(`Missing --grid <${Object.keys(GRIDS).join("|")}|file.json> (see --help)`);
  }
  const seeds = numberFlag(values.seeds, "seeds", true)!;
  const minutes = numberFlag(values.minutes, "minutes");
  const steps = numberFlag(values.steps, "steps", true);
  const parallel = numberFlag(values.parallel, "parallel", true)!;
  const cellIndex = numberFlag(values.cell, "cell", true);
  const cpusPerTask = numberFlag(values["cpus-per-task"], "cpus-per-task", true);
  if (values.launcher !== "local" && values.launcher !== "slurm") {
    throw new UsageError(`--launcher must be local or slurm, got '${values.launcher}'`);
  }
  const modes = [
    values.launcher === "slurm" && "--launcher slurm",
    values.collect && "--collect",
    cellIndex !== undefined && "--cell",
    values["summary-only"] && "--summary-only",
  ].filter((m) => m !== false);
  if (modes.length > 1) throw new UsageError(`Pass only one of ${modes.join(", ")}`);
  if (values.launcher !== "slurm") {
    const given = SLURM_FLAGS.find((f) => values[f] !== undefined && values[f] !== false);
    if (given) throw new UsageError(`--${given} needs --launcher slurm`);
  }
  if (values.time !== undefined && !SLURM_TIME.test(values.time)) {
    throw new UsageError(
      `--time must be in Slurm's format (minutes, HH:MM:SS or D-HH:MM:SS), got '${values.time}'`,
    );
  }
  const variants = values.variants?.split(",").map((v) => v.trim()).filter(Boolean);
  if (variants !== undefined && variants.length === 0) {
    throw new UsageError("--variants needs one or more of the grid's variant names, a,b,…");
  }
  // A subset's summary must not take the whole grid's folder (data/results/<grid>); an array
  // task (--cell) writes none.
  if (variants !== undefined && !values.label && cellIndex === undefined) {
    throw new UsageError(
      "--variants summarises a subset of the grid: name its folder with --label L (<out>/<grid>-L)",
    );
  }
  if (values.label !== undefined && !/^[A-Za-z0-9_.]+$/.test(values.label)) {
    throw new UsageError(`--label must be letters, digits, _ or ., got '${values.label}'`);
  }
  // loadGrid's and selectVariants' errors are about the input (an unknown name, an unreadable or
  // invalid file, a variant the grid does not have).
  const grid = await loadGrid(values.grid)
    .then((g) => (variants === undefined ? g : selectVariants(g, variants)))
    .catch((e: Error) => {
      throw new UsageError(e.message);
    });
  const plan: PlanOptions = {
    grid,
    seeds,
    runsDir: values.runsDir,
    ...(minutes !== undefined ? { minutes } : {}),
    ...(steps !== undefined ? { steps } : {}),
  };

  // ── one cell (an array task): skip it when finished, else run or resume it ──
  if (cellIndex !== undefined) {
    const cells = planGrid(plan);
    const cell = cells[cellIndex];
    if (!cell) {
      throw new UsageError(
        `--cell ${cellIndex}: grid '${grid.name}' with --seeds ${seeds} has cells 0-${
          cells.length - 1
        }`,
      );
    }
    const state = await cellState(cell);
    if (state.kind === "finished") {
      console.log(`${cellLabel(cell)}: already finished, nothing to run`);
      return 0;
    }
    // Slurm (scancel, preemption, time limit) and Ctrl-C signal the trainer too: wait for it.
    stopOnSignals("the trainer's checkpoint (it gets the signal too)");
    const where = Deno.env.get("SLURM_JOB_ID") ? ` in Slurm job ${slurmTaskId()}` : "";
    console.log(
      `${cellLabel(cell)}: ${
        state.kind === "interrupted" ? `resuming from checkpoint ${state.checkpoint}` : "starting"
      }${where} on ${Deno.hostname()}`,
    );
    const run = await runCell(cell, { echo: true });
    console.log(
      `${cellLabel(cell)}: ${
        run.ok ? "finished" : `NOT finished (trainer exit ${run.code})`
      }; log ${run.log}`,
    );
    return run.ok ? 0 : run.code || 1;
  }

  // ── Slurm: submit the unfinished cells as a job array ─────────────────────
  if (values.launcher === "slurm") {
    const gridArg = values.grid in GRIDS ? values.grid : resolve(values.grid);
    const result = await submitGrid({
      ...plan,
      gridArg,
      ...(variants !== undefined ? { variants } : {}),
      dryRun: values["dry-run"],
      slurm: {
        ...(values.partition !== undefined ? { partition: values.partition } : {}),
        ...(values.time !== undefined ? { time: values.time } : {}),
        ...(cpusPerTask !== undefined ? { cpusPerTask } : {}),
        ...(values["sbatch-arg"] ? { sbatchArgs: values["sbatch-arg"] } : {}),
      },
    });
    if (result.cells.length === 0) {
      console.log(`all ${result.finished.length} cells of '${grid.name}' are finished: --collect`);
      return 0;
    }
    if (values["dry-run"]) {
      console.log(result.script);
      return 0;
    }
    console.log(
      `submitted job ${result.jobId}: ${result.cells.length} cells (${
        result.cells.map((c) => c.index).join(",")
      }), ${result.finished.length} already finished; script ${result.scriptPath}`,
    );
    console.log(`when it is done: deno task ablate ${collectArgs(Deno.args).join(" ")}`);
    return 0;
  }

  // ── collect: the summary from whatever finished, and what did not ─────────
  if (values.collect) {
    const reports = await collectCells(plan);
    await writeResults(plan, values.out, values.label);
    const unfinished = reports.filter((r) => r.state.kind !== "finished");
    console.log(`${reports.length - unfinished.length} of ${reports.length} cells finished`);
    if (unfinished.length > 0) console.log(formatUnfinished(reports));
    return unfinished.length > 0 ? 1 : 0;
  }

  let failed = 0;
  let stopped: AbortSignal | undefined;
  if (!values["summary-only"]) {
    // Ctrl-C reaches the trainers too (one process group): they checkpoint; no further run starts.
    stopped = stopOnSignals("the running trainers' checkpoints (they get the signal too)").signal;
    const result = await runGrid({ ...plan, parallel, signal: stopped });
    console.log(
      `ran ${result.ran.length}, skipped ${result.skipped.length} finished, failed ${result.failed.length}`,
    );
    for (const f of result.failed) console.log(`  FAILED ${f.name}: see ${f.log}`);
    failed = result.failed.length;
  }
  await writeResults(plan, values.out, values.label);
  if (stopped?.aborted) return stopped.reason === "SIGTERM" ? 143 : 130;
  // The summary covers what finished; the exit status still says that something failed.
  return failed > 0 ? 1 : 0;
}

/** `JOBID_K` of this array task. */
function slurmTaskId(): string {
  const job = Deno.env.get("SLURM_ARRAY_JOB_ID");
  const task = Deno.env.get("SLURM_ARRAY_TASK_ID");
  return job && task ? `${job}_${task}` : Deno.env.get("SLURM_JOB_ID") ?? "?";
}

if (import.meta.main) await runCli(main);
