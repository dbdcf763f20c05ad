/**
 * `deno task ablate --grid <name|file.json> [--seeds 3] [--minutes M | --steps N] [--parallel P]`
 *
 * Runs a grid of configs × seeds (each an ordinary run in `runs/`), skipping
 * finished runs, then writes the summary (JSON, markdown, SVG) to
 * `data/results/<grid>/`, with the self-play diagnostics (`selfplay.md`, `solved.md`).
 * @module
 */
import { parseArgs as parseCli } from "node:util";
import { gridSelfPlay, gridSolved, writeSelfPlay, writeSolved } from "./diagnose.ts";
import { GRIDS, loadGrid } from "./grids.ts";
import { runGrid } from "./runner.ts";
import { summarizeGrid, summaryTable, writeSummary } from "./summary.ts";

if (import.meta.main) {
  const { values } = parseCli({
    args: Deno.args,
    options: {
      grid: { type: "string" },
      seeds: { type: "string", default: "3" },
      minutes: { type: "string" },
      steps: { type: "string" },
      parallel: { type: "string", default: String(navigator.hardwareConcurrency ?? 1) },
      runsDir: { type: "string", default: "runs" },
      out: { type: "string", default: "data/results" },
      "summary-only": { type: "boolean", default: false },
    },
  });
  if (!values.grid) {
    console.error(
      `Usage: deno task ablate --grid <${
        Object.keys(GRIDS).join("|")
      }|file.json> [--seeds 3] [--minutes M | --steps N]`,
    );
    Deno.exit(2);
  }
  const num = (s: string | undefined, what: string, integer = false) => {
    if (s === undefined) return undefined;
    const n = Number(s);
    if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
      console.error(
        `--${what} must be a non-negative ${integer ? "integer" : "number"}, got '${s}'`,
      );
      Deno.exit(2);
    }
    return n;
  };
  const grid = await loadGrid(values.grid);
  const seeds = num(values.seeds, "seeds", true)!;
  let failed = 0;
  if (!values["summary-only"]) {
    const minutes = num(values.minutes, "minutes");
    const steps = num(values.steps, "steps", true);
    const result = await runGrid({
      grid,
      seeds,
      parallel: num(values.parallel, "parallel", true)!,
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
  const dir = `${values.out}/${grid.name}`;
  const files = await writeSummary(summary, dir);
  // What the proposer proposed and how the learnability rollouts went, per variant and stretch.
  const selfPlay = await gridSelfPlay(grid, seeds, values.runsDir, { windows: 4 });
  files.push(...await writeSelfPlay(selfPlay, dir));
  // Which held-out tasks each variant solves, from the runs' eval.json (task by task).
  files.push(...await writeSolved(await gridSolved(grid, seeds, values.runsDir), dir));
  console.log(summaryTable(summary));
  console.log(`wrote ${files.join(", ")}`);
  // The summary covers what finished; the exit status still says that something failed.
  if (failed > 0) Deno.exit(1);
}
