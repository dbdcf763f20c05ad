/**
 * `deno task pretrain [--preset small] [--key=value …] [--name base] [--resume | --overwrite] [--quiet]`
 *
 * Pre-trains the base model on tasks the canonical generator makes and the interpreter labels
 * (no human data), writing `runs/<name>/`. Ctrl-C or SIGTERM stops after the current step with a
 * checkpoint and the report.
 * `--help` lists every setting (the `pretrain*` keys are this command's own).
 * @module
 */
import { runCli } from "../cli.ts";
import { type ParsedConfigArgs, TASK_TYPES } from "../config.ts";
import type { Metrics } from "./metrics.ts";
import { pretrain } from "./pretrain.ts";
import { EVAL_SETS } from "../eval/eval_sets.ts";
import { formatDuration } from "./progress.ts";
import { finalEvalTable, runTrainingCli, type TrainingCommand } from "./training_cli.ts";
import type { RunOptions } from "./training_run.ts";

const COMMAND: TrainingCommand = {
  name: "pretrain",
  synopsis: "[--key=value …] [--name NAME] [--resume | --overwrite] [--quiet]",
  help: [
    "Pre-trains a base model on generated, executor-labelled tasks in every self-play view.",
    "The run is runs/<name>/ (default name: base); start self-play from it with",
    "deno task train --init runs/<name> (same preset and world).",
    "",
    "  --resume      continue runs/<name>/ from its newest checkpoint that loads",
    "  --overwrite   replace an existing run of the same name",
    "  --quiet       print only evals and the summary",
  ],
  flags: ["resume", "overwrite", "quiet"],
  // The final eval runs after a stop too (see ./pretrain.ts).
  stopsAfter: "this step, then a checkpoint, the final eval and the report",
  implied: ({ explicitKeys }) => explicitKeys.includes("name") ? [] : ["--name=base"],
};

const pct = (x: unknown) => typeof x === "number" ? `${(100 * x).toFixed(1)}%` : "–";

/** One line per eval: generator held-out and the suites, per task type. */
function evalLine(m: Metrics): string | undefined {
  const sets = [
    ...new Set(
      Object.keys(m).flatMap((k) => {
        const p = k.split("/");
        return p[0] === "eval" && p.length === 3 &&
            (TASK_TYPES as readonly string[]).includes(p[2]!)
          ? [p[1]!]
          : [];
      }),
    ),
  ];
  if (sets.length === 0) return undefined;
  return sets.map((s) =>
    `${s}: ` +
    TASK_TYPES.map((t) => `${t.slice(0, 3)} ${pct(m[`eval/${s}/${t}`])}`).join(" ")
  ).join(" | ");
}

async function main(parsed: ParsedConfigArgs, options: RunOptions): Promise<void> {
  const quiet = parsed.flags.quiet === true;
  const cfg = parsed.config;
  const t0 = performance.now();
  const summary = await pretrain(cfg, {
    ...options,
    log: (line) => console.log(line),
    onStep: (m) => {
      const ev = evalLine(m);
      const every = Math.max(1, Math.round(cfg.pretrainSteps / 100));
      if (ev || (!quiet && (m.step + 1) % every === 0)) {
        const s = (performance.now() - t0) / 1000;
        console.log(
          `step ${m.step + 1}/${cfg.pretrainSteps} loss ${
            Number(m["pretrain/loss"]).toFixed(3)
          } | ${Number(m["perf/examples_per_s"]).toFixed(0)} ex/s | ${formatDuration(s)}${
            ev ? ` | ${ev}` : ""
          }`,
        );
      }
    },
  });
  console.log(
    `done: ${summary.steps} steps, ${summary.tokens} target tokens, ${
      summary.minutes.toFixed(1)
    } min; greedy held-out accuracy beside its chance levels:`,
  );
  const titles = {
    generator: "generator (held-out behaviours)",
    train: "generator (train split: trained-on behaviours, fresh inputs)",
    suite: cfg.evalSuites,
  };
  for (const set of EVAL_SETS) {
    const baselines = summary.baselines[set];
    const counts = summary.counts[set];
    const listLength = summary.listLength[set];
    if (!baselines || !counts || !listLength) continue;
    console.log(`${titles[set]}:`);
    console.log(finalEvalTable({ baselines, counts, listLength }));
  }
  console.log(`checkpoints: ${cfg.runsDir}/${cfg.name}/checkpoints`);
}

if (import.meta.main) await runCli(() => runTrainingCli(COMMAND, Deno.args, main));
