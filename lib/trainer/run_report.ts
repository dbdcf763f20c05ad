/**
 * Reads a run folder back and writes its `report.html`: the self-play report
 * (./report.ts) or, for a pre-training run, the pre-training report (./pretrain_report.ts).
 * The trainer and pre-training call {@linkcode writeRunReport} when they end or stop;
 * `deno task report` uses {@linkcode readRun} too.
 * @module
 */
import { readMetrics } from "./metrics.ts";
import type { Metrics } from "./metrics.ts";
import { renderPretrainReport } from "./pretrain_report.ts";
import { renderReport } from "./report.ts";
import {
  type EvalFinal,
  EvalFinalSchema,
  type PretrainEvalFinal,
  PretrainEvalFinalSchema,
  type PretrainSummary,
  PretrainSummarySchema,
  type ProposalRow,
  readProposals,
  readRunJson,
  runPaths,
} from "./run_files.ts";
import { exists as isFile, RunError, writeAtomic } from "./run_dir.ts";
import { z } from "zod";

/** A run folder as the reports read it. */
export type RunData =
  & { name: string; dir: string; config: Record<string, unknown>; metrics: Metrics[] }
  & (
    | { kind: "selfplay"; proposals: ProposalRow[]; evalFinal: EvalFinal | undefined }
    | {
      kind: "pretrain";
      evalFinal: PretrainEvalFinal | undefined;
      summary: PretrainSummary | undefined;
    }
  );

/** Reads run folder `dir` (`runs/<name>`); a folder that is not a run is a RunError. */
export async function readRun(dir: string): Promise<RunData> {
  const clean = dir.replace(/\/+$/, "");
  const name = clean.split("/").at(-1) ?? clean;
  const paths = runPaths(clean.slice(0, clean.length - name.length - 1) || ".", name);
  const config = await readRunJson(paths.config, z.record(z.string(), z.unknown()));
  if (!config) throw new RunError(`Cannot read run '${dir}': no config.json (is it a run folder?)`);
  // No metrics file when a run stopped before its first step.
  const metrics = await isFile(paths.metrics) ? await readMetrics(paths.metrics) : [];
  const pretrain = metrics.some((m) => "pretrain/loss" in m) ||
    (typeof config.pretrainSteps === "number" && await isFile(`${paths.dir}/bank.json`) &&
      !(await isFile(paths.proposals)));
  if (pretrain) {
    return {
      kind: "pretrain",
      name,
      dir: paths.dir,
      config,
      metrics,
      evalFinal: await readRunJson(paths.evalFinal, PretrainEvalFinalSchema),
      summary: await readRunJson(paths.summary, PretrainSummarySchema),
    };
  }
  return {
    kind: "selfplay",
    name,
    dir: paths.dir,
    config,
    metrics,
    proposals: await isFile(paths.proposals) ? await readProposals(paths.proposals) : [],
    evalFinal: await readRunJson(paths.evalFinal, EvalFinalSchema),
  };
}

/** The report page of a run read by {@linkcode readRun}. */
export function renderRunReport(run: RunData): string {
  return run.kind === "pretrain" ? renderPretrainReport(run) : renderReport(run);
}

/** Writes `<dir>/report.html` from the run folder's files; returns its path. */
export async function writeRunReport(dir: string): Promise<string> {
  const run = await readRun(dir);
  const path = `${run.dir}/report.html`;
  await writeAtomic(path, renderRunReport(run));
  return path;
}
