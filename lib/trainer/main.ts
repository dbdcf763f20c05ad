/**
 * `deno task train [--preset default] [--key=value …] [--name run] [--resume | --from DIR | --overwrite] [--quiet]`
 *
 * Runs Absolute Zero self-play headless with a progress bar, writing
 * `runs/<name>/` (config, metrics, proposals, buffers, checkpoints, report).
 * Ctrl-C or SIGTERM stops after the current stage with a checkpoint and the
 * report. `--help` lists every setting.
 * @module
 */
import { basename, dirname } from "node:path";
import cliProgress from "cli-progress";
import { runCli, UsageError } from "../cli.ts";
import { type Config, type ParsedConfigArgs, TASK_TYPES } from "../config.ts";
import { train } from "./loop.ts";
import { EvalFinalSchema, readRunJson, runPaths } from "./run_files.ts";
import type { Metrics } from "./metrics.ts";
import { etaSeconds, formatDuration } from "./progress.ts";
import { finalEvalTable, runTrainingCli, type TrainingCommand } from "./training_cli.ts";
import type { RunOptions } from "./training_run.ts";

const COMMAND: TrainingCommand = {
  name: "train",
  synopsis: "[--key=value …] [--name NAME] [--resume | --from CHECKPOINT | --overwrite] [--quiet]",
  help: [
    "  --preset NAME     settings to start from (default: default); a config file may name one too",
    "  --config FILE     JSON object of settings, applied over the preset",
    "  --resume          continue runs/<name>/ from its newest checkpoint that loads, with its saved",
    "                    config (keys given here override it; only budget keys may change); a run",
    "                    stopped before its first checkpoint starts over",
    "  --from DIR        continue from this checkpoint folder (runs/<name>/checkpoints/step-NNNNNN)",
    "  --overwrite       replace an existing run of the same name",
    "  --quiet           one line per step instead of a progress bar every 5 s",
  ],
  flags: ["resume", "from", "overwrite", "quiet"],
  valueFlags: ["from"],
  stopsAfter: "the current stage, then a checkpoint and the report",
  // `--from runs/NAME/checkpoints/step-N` without `--name`: the run that holds the checkpoint.
  implied: ({ flags, explicitKeys }) =>
    typeof flags.from === "string" && !explicitKeys.includes("name")
      ? runOfCheckpoint(flags.from)
      : [],
};

const fmt = (v: unknown, digits = 2) => typeof v === "number" ? v.toFixed(digits) : "–";

/** The one-line digest of a step shown next to the progress bar. */
function digest(m: Metrics, held: HeldOut): string {
  const tasks = TASK_TYPES.filter((t) => `acc/solve/${t}` in m);
  const acc = tasks.map((t) => `${t.slice(0, 3)} ${fmt(m[`acc/solve/${t}`])}`).join(" ");
  const learn = tasks.map((t) => fmt(m[`reward/propose/${t}`])).join("/");
  return `${fmt(m["perf/step_s"], 1)}s/step | valid ${
    fmt(m["valid_rate/all"])
  } | solve acc ${acc} | ` +
    `propose r ${learn} | buffers ${tasks.map((t) => m[`buffer/size/${t}`] ?? "–").join("/")}` +
    heldOutDigest(held);
}

/** Held-out evals seen so far: the first (before any update) with the chance levels, the last. */
interface HeldOut {
  start?: Record<string, number>;
  last?: Record<string, number>;
  lastStep?: number;
}

const pct = (x: number | undefined) => x === undefined ? "–" : `${(100 * x).toFixed(1)}%`;

/**
 * ` | held-out ded 23.4% (start 20.8%, chance 10.4%) … | generator ded …`: did self-play move
 * it? The suites, then the generator's held-out set and the set beyond the bank when the run
 * scores them (`evalGenerator`, `evalBeyond`).
 */
function heldOutDigest(h: HeldOut): string {
  if (!h.last) return "";
  const digest = (set: string, chance: string) =>
    TASK_TYPES.filter((t) => `eval/${set}/${t}` in h.last!).map((t) =>
      `${t.slice(0, 3)} ${pct(h.last![`eval/${set}/${t}`])} (start ${
        pct(h.start?.[`eval/${set}/${t}`])
      }, chance ${pct(h.start?.[`${chance}${t}`])})`
    ).join(" ");
  const generator = digest("generator", "chance/generator/");
  const beyond = digest("beyond", "chance/beyond/");
  return ` | held-out${h.lastStep === undefined ? "" : ` @${h.lastStep}`} ${
    digest("suite", "chance/suite/")
  }${generator ? ` | generator ${generator}` : ""}${beyond ? ` | beyond ${beyond}` : ""}`;
}

/** `--from runs/NAME/checkpoints/step-N` without `--name`: the run that holds the checkpoint. */
function runOfCheckpoint(from: string): string[] {
  const checkpoints = dirname(from.replace(/\/+$/, ""));
  if (basename(checkpoints) !== "checkpoints") {
    throw new UsageError(
      `--from ${from} is not inside a run's checkpoints/ folder; give --name (and --runsDir) too`,
    );
  }
  const runDir = dirname(checkpoints);
  return [`--name=${basename(runDir)}`, `--runsDir=${dirname(runDir)}`];
}

async function main(parsed: ParsedConfigArgs, options: RunOptions): Promise<void> {
  const quiet = parsed.flags.quiet === true;
  const bar = new cliProgress.SingleBar({
    format: "step {value}/{total} {bar} ETA {etaText} | {status}",
    noTTYOutput: true,
    notTTYSchedule: quiet ? 60_000 : 5_000,
  }, cliProgress.Presets.shades_classic);
  // The ETA comes from this process's finished steps (setup, seeding and eval excluded).
  let run: { config: Config; elapsedS: number; startedAt: number } | undefined;
  let firstStepAt: number | undefined;
  let stepsDone = 0;
  let value = 0; // steps of the run done, as the bar shows them
  let last = "";
  const eta = (value: number): string => {
    if (!run || firstStepAt === undefined) return "–";
    const budget = run.config.maxMinutes * 60;
    const secs = etaSeconds({
      stepsDone,
      secondsForThem: (performance.now() - firstStepAt) / 1000,
      stepsLeft: run.config.steps - value,
      ...(budget > 0
        ? { budgetLeftS: budget - run.elapsedS - (performance.now() - run.startedAt) / 1000 }
        : {}),
    });
    return secs === undefined ? "–" : formatDuration(secs);
  };
  const held: HeldOut = {};
  try {
    const summary = await train(parsed.config, {
      ...options,
      log: (line) => {
        if (!quiet) console.log(line);
      },
      onStart: (step, info) => {
        run = { ...info, startedAt: performance.now() };
        value = step;
        bar.start(info.config.steps, step, { etaText: "–", status: "starting" });
      },
      onStage: (stage, step) => {
        if (stage === "propose") firstStepAt ??= performance.now();
        // Seeding and its eval come before the first step.
        const where = firstStepAt === undefined ? stage : `step ${step + 1}: ${stage}`;
        bar.update({ etaText: eta(value), status: where + last });
      },
      onEval: (step, m) => {
        held.start ??= m;
        held.last = m;
        held.lastStep = step + 1; // steps done when it ran
        if (quiet) console.log(`eval after ${step + 1} steps${heldOutDigest(held)}`);
      },
      onStep: (m) => {
        stepsDone++;
        value = m.step + 1;
        last = ` | ${digest(m, held)}`;
        bar.update(value, { etaText: eta(value), status: digest(m, held) });
        if (quiet) console.log(`step ${m.step + 1}/${run?.config.steps} ${digest(m, held)}`);
      },
    });
    bar.stop();
    // The final eval as k/n (p%) beside its chance levels, as `deno task eval` prints it.
    const paths = runPaths(parsed.config.runsDir, parsed.config.name);
    const final = await readRunJson(paths.evalFinal, EvalFinalSchema);
    console.log(
      `done: ${summary.step} steps in ${
        formatDuration(summary.seconds)
      }; final held-out eval (${paths.evalFinal}):`,
    );
    if (final?.counts && final.baselines && final.listLength) {
      const { counts, baselines, listLength } = final;
      console.log(`suites (${parsed.config.evalSuites}):`);
      console.log(finalEvalTable({ counts, baselines, listLength }));
    }
    if (final?.generator) {
      console.log("generator (held-out behaviours):");
      console.log(finalEvalTable(final.generator));
    }
    if (final?.beyond) {
      console.log(
        `beyond the bank (programs of ${parsed.config.pretrainMaxSize + 1} tokens and more):`,
      );
      console.log(finalEvalTable(final.beyond));
    }
    console.log(`report: ${paths.report}`);
  } finally {
    bar.stop();
  }
}

if (import.meta.main) await runCli(() => runTrainingCli(COMMAND, Deno.args, main));
