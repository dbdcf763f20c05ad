/**
 * `deno task ablate --grid <name|file.json> [--seeds 3] [--minutes M | --steps N] [--parallel P] [--out DIR]`
 *
 * Runs a grid of configs × seeds (each an ordinary run in `runs/`), skipping
 * finished runs, then writes the summary (JSON, markdown, SVG) to
 * `runs/results/<grid>/` (or `--out DIR`: `DIR/<grid>/`; the committed results
 * are `--out data/results`), with the self-play diagnostics (`selfplay.md`, `solved.md`).
 * @module
 */
import { numberFlag, parseFlags, runCli, UsageError } from "../cli.ts";
import { gridSelfPlay, gridSolved, writeSelfPlay, writeSolved } from "./diagnose.ts";
import { GRIDS, loadGrid } from "./grids.ts";
import { runGrid } from "./runner.ts";
import { summarizeGrid, summaryTable, writeSummary } from "./summary.ts";

const USAGE = `Usage: deno task ablate --grid <${
  Object.keys(GRIDS).join("|")
}|file.json> [--seeds 3] [--minutes M | --steps N] [--parallel P] [--runsDir runs] [--out DIR] [--summary-only]

  --grid NAME|FILE   a built-in grid (lib/ablate/grids.ts) or a grid JSON file
  --seeds N          seeds per variant (default 3)
  --minutes M        wall-clock budget per run, overriding the grid's
  --steps N          step budget per run, overriding the grid's
  --parallel P       runs at the same time (default: one per core)
  --runsDir DIR      where the runs go (default runs); finished runs are reused
  --out DIR          summary folder's parent: writes DIR/<grid>/ (default <runsDir>/results;
                     the committed results are --out data/results)
  --summary-only     summarise the finished runs without running anything`;

/** The command: bad input throws a UsageError (one line, exit 2 through runCli). */
async function main(): Promise<number> {
  const { values } = parseFlags(Deno.args, {
    grid: { type: "string" },
    seeds: { type: "string", default: "3" },
    minutes: { type: "string" },
    steps: { type: "string" },
    parallel: { type: "string", default: String(navigator.hardwareConcurrency ?? 1) },
    runsDir: { type: "string", default: "runs" },
    out: { type: "string" },
    "summary-only": { type: "boolean", default: false },
  }, USAGE);
  if (!values.grid) {
    throw new UsageError(`Missing --grid <${Object.keys(GRIDS).join("|")}|file.json> (see --help)`);
  }
  const seeds = numberFlag(values.seeds, "seeds", true)!;
  const minutes = numberFlag(values.minutes, "minutes");
  const steps = numberFlag(values.steps, "steps", true);
  const parallel = numberFlag(values.parallel, "parallel", true)!;
  // loadGrid's errors are about its input (unknown name, unreadable or invalid file).
  const grid = await loadGrid(values.grid).catch((e: Error) => {
    throw new UsageError(e.message);
  });
  let failed = 0;
  if (!values["summary-only"]) {
    const result = await runGrid({
      grid,
      seeds,
      parallel,
      runsDir: values.runsDir,
      ...(minutes !== undefined ? { minutes } : {}),
      ...(steps !== undefined ? { steps } : {}),
    });
    console.log(
      `ran ${result.ran.length}, skipped ${result.skipped.length} finished, failed ${result.failed.length}`,
    );
    for (const f of result.failed) console.log(`  FAILED ${f.name}: see ${f.log}`);
    failed = result.failed.length;
  }
  const summary = await summarizeGrid(grid, seeds, values.runsDir);
  const dir = `${values.out ?? `${values.runsDir}/results`}/${grid.name}`;
  const files = await writeSummary(summary, dir);
  // What the proposer proposed and how the learnability rollouts went, per variant and stretch.
  const selfPlay = await gridSelfPlay(grid, seeds, values.runsDir, { windows: 4 });
  files.push(...await writeSelfPlay(selfPlay, dir));
  // Which held-out tasks each variant solves, from the runs' eval.json (task by task).
  files.push(...await writeSolved(await gridSolved(grid, seeds, values.runsDir), dir));
  console.log(summaryTable(summary));
  console.log(`wrote ${files.join(", ")}`);
  // The summary covers what finished; the exit status still says that something failed.
  return failed > 0 ? 1 : 0;
}

if (import.meta.main) await runCli(main);
