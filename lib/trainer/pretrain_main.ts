/**
 * `deno task pretrain [--preset small] [--key=value …] [--name base] [--resume | --overwrite] [--quiet]`
 *
 * Pre-trains the base model on tasks the canonical generator makes and the interpreter labels
 * (no human data), writing `runs/<name>/`. Ctrl-C or SIGTERM stops after the current step with a
 * checkpoint and the report.
 * `--help` lists every setting (the `pretrain*` keys are this command's own).
 * @module
 */
import { runCli, stopOnSignals, UsageError } from "../cli.ts";
import { formatChanceTable } from "../eval/baselines.ts";
import { parseArgs, PRESETS, settingsHelp, TASK_TYPES } from "../config.ts";
import type { Metrics } from "./metrics.ts";
import { pretrain } from "./pretrain.ts";
import { formatDuration } from "./progress.ts";

const FLAGS = ["resume", "overwrite", "quiet"];

function usage(): string {
  const lines = [
    `Usage: deno task pretrain [--preset ${Object.keys(PRESETS).join("|")}] [--config file.json]`,
    "         [--key=value …] [--name NAME] [--resume | --overwrite] [--quiet]",
    "",
    "Pre-trains a base model on generated, executor-labelled tasks in every self-play view.",
    "The run is runs/<name>/ (default name: base); start self-play from it with",
    "deno task train --init runs/<name> (same preset and world).",
    "",
    "  --resume      continue runs/<name>/ from its newest checkpoint that loads",
    "  --overwrite   replace an existing run of the same name",
    "  --quiet       print only evals and the summary",
    "",
    ...settingsHelp(),
  ];
  return lines.join("\n");
}

const pct = (x: unknown) => typeof x === "number" ? `${(100 * x).toFixed(1)}%` : "–";

/** One line per eval: generator held-out and the suites, per task type. */
function evalLine(m: Metrics): string | undefined {
  const sets = [
    ...new Set(
      Object.keys(m).flatMap((k) => {
        const p = k.split("/");
        return p[0] === "acc" && p.length === 3 ? [p[1]!] : [];
      }),
    ),
  ];
  if (sets.length === 0) return undefined;
  return sets.map((s) =>
    `${s}: ` +
    TASK_TYPES.map((t) => `${t.slice(0, 3)} ${pct(m[`acc/${s}/${t}`])}`).join(" ")
  ).join(" | ");
}

async function main(): Promise<number> {
  if (Deno.args.includes("--help") || Deno.args.includes("-h")) {
    console.log(usage());
    return 0;
  }
  const args = Deno.args.some((a) => a === "--name" || a.startsWith("--name="))
    ? Deno.args
    : [...Deno.args, "--name=base"];
  const parsed = parseArgs(args, FLAGS);
  if (parsed.positional.length > 0) {
    throw new UsageError(
      `Unexpected argument '${parsed.positional[0]}': settings are --key=value (see --help)`,
    );
  }
  if (parsed.flags.resume && parsed.flags.overwrite) {
    throw new UsageError("--resume and --overwrite exclude each other");
  }
  const quiet = parsed.flags.quiet === true;
  const stopper = stopOnSignals("this step, then a checkpoint and the report");
  const cfg = parsed.config;
  const t0 = performance.now();
  const summary = await pretrain(cfg, {
    mode: parsed.flags.resume ? "resume" : parsed.flags.overwrite ? "overwrite" : "new",
    explicitKeys: parsed.explicitKeys,
    shouldStop: () => stopper.signal.aborted,
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
  for (const set of ["generator", "train", "suite"] as const) {
    console.log(`${titles[set]}:`);
    const ll = summary.listLength[set];
    console.log(
      formatChanceTable(summary.baselines[set], summary.counts[set], {
        deduction: ll.n > 0 ? { list_length: ll } : {},
      }),
    );
  }
  console.log(`checkpoints: ${cfg.runsDir}/${cfg.name}/checkpoints`);
  if (!stopper.signal.aborted) return 0;
  return stopper.signal.reason === "SIGTERM" ? 143 : 130;
}

if (import.meta.main) await runCli(main);
