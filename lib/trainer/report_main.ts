/**
 * `deno task report RUN [RUN ...] [--out FILE]`
 *
 * One run folder: (re)writes its `report.html` (self-play or pre-training) from its files.
 * Several: writes one page that overlays their curves (./compare_report.ts), by default
 * `runs/compare-<name>-<name>….html`. Says where it wrote.
 * @module
 */
import { parseFlags, runCli, UsageError } from "../cli.ts";
import { renderCompareReport } from "./compare_report.ts";
import { writeAtomic } from "./run_dir.ts";
import { readRun, writeRunReport } from "./run_report.ts";

const USAGE = `Usage: deno task report RUN [RUN ...] [--out FILE]

  RUN         a run folder (runs/NAME), self-play or pre-training
  --out FILE  where the comparison of several runs goes (default runs/compare-<names>.html)

One run: rewrites RUN/report.html from its files. Several: one page overlaying their curves
(one colour per run, one panel per task type) with their final evals as k/n.`;

async function main(): Promise<void> {
  const { values, positionals } = parseFlags(Deno.args, { out: { type: "string" } }, USAGE, {
    positionals: true,
  });
  if (positionals.length === 0) throw new UsageError("Give at least one run folder (see --help)");
  for (const dir of positionals) {
    const stat = await Deno.stat(dir).catch((e) => {
      if (e instanceof Deno.errors.NotFound) return undefined;
      throw e;
    });
    if (!stat?.isDirectory) throw new UsageError(`No run folder '${dir}'`);
  }
  if (positionals.length === 1) {
    if (values.out) {
      throw new UsageError("--out is for several runs; one run's report is RUN/report.html");
    }
    console.log(`report: ${await writeRunReport(positionals[0]!)}`);
    return;
  }
  const runs = [];
  for (const dir of positionals) runs.push(await readRun(dir));
  const names = runs.map((r) => r.name);
  if (new Set(names).size < names.length) {
    throw new UsageError(
      `Two runs share a name (${names.join(", ")}): the figures would mix them up`,
    );
  }
  const out = values.out ?? `runs/compare-${names.join("-")}.html`;
  await Deno.mkdir(out.split("/").slice(0, -1).join("/") || ".", { recursive: true });
  await writeAtomic(out, renderCompareReport(runs));
  console.log(`report: ${out}`);
}

if (import.meta.main) await runCli(main);
