/**
 * What the training commands (`deno task train`, `deno task pretrain`) share: their usage and
 * `--help`, the settings and flags they parse (no positional arguments, flags that take no
 * value given none), the run options the flags mean, Ctrl-C / SIGTERM (the run stops at a
 * checkpoint, exit 130 / 143), and the final eval printed beside its chance levels.
 *
 * @example
 * ```ts
 * import { runCli } from "../cli.ts";
 * import { runTrainingCli } from "./training_cli.ts";
 * await runCli(() =>
 *   runTrainingCli({
 *     name: "mine",
 *     synopsis: "[--key=value …] [--name NAME] [--resume | --overwrite]",
 *     help: ["  --resume      continue runs/<name>/"],
 *     flags: ["resume", "overwrite"],
 *     stopsAfter: "this step, then a checkpoint",
 *   }, ["--help"], () => Promise.resolve())
 * );
 * ```
 * @module
 */
import { stopOnSignals, UsageError } from "../cli.ts";
import { parseConfigArgs, type ParsedConfigArgs, PRESETS, settingsHelp } from "../config.ts";
import { type BaselineReport, formatChanceTable } from "../eval/baselines.ts";
import type { EvalTables } from "./run_files.ts";
import { type RunOptions, RunStopped } from "./training_run.ts";

/** A training command's own part of the CLI. */
export interface TrainingCommand {
  /** The task's name: `deno task <name>`. */
  name: string;
  /** The usage's second line: the flags after `--preset` and `--config`. */
  synopsis: string;
  /** `--help`'s lines between the usage and the settings: what it does, its flags. */
  help: readonly string[];
  /** Flags besides the settings (`resume`, `quiet`, …); those not in `valueFlags` take no value. */
  flags: readonly string[];
  valueFlags?: readonly string[];
  /** What a first Ctrl-C waits for, e.g. "this step, then a checkpoint and the report". */
  stopsAfter: string;
  /**
   * Arguments to add from what was given, e.g. a default `--name`; the command line is parsed
   * again with them when there are any.
   */
  implied?: (parsed: ParsedConfigArgs) => string[];
}

/** `--help`: the usage, the command's flags, how a stop works, then every setting. */
export function trainingUsage(cmd: TrainingCommand): string {
  return [
    `Usage: deno task ${cmd.name} [--preset ${
      Object.keys(PRESETS).join("|")
    }] [--config file.json]`,
    `         ${cmd.synopsis}`,
    "",
    ...cmd.help,
    "",
    `Ctrl-C or SIGTERM stops after ${cmd.stopsAfter}, and exits (130 / 143); a second Ctrl-C`,
    "quits at once without saving.",
    "",
    ...settingsHelp(),
  ].join("\n");
}

/** Parses a training command's arguments: settings and the command's flags, nothing else. */
export function parseTrainingArgs(
  cmd: TrainingCommand,
  args: readonly string[],
): ParsedConfigArgs {
  const parse = (argv: readonly string[]) => parseConfigArgs(argv, cmd.flags, cmd.valueFlags);
  let parsed = parse(args);
  if (parsed.positional.length > 0) {
    throw new UsageError(
      `Unexpected argument '${parsed.positional[0]}': settings are --key=value (see --help)`,
    );
  }
  for (const [f, v] of Object.entries(parsed.flags)) {
    if (!cmd.valueFlags?.includes(f) && v !== true) {
      throw new UsageError(`--${f} takes no value, got '--${f}=${v}'`);
    }
  }
  const implied = cmd.implied?.(parsed) ?? [];
  if (implied.length > 0) parsed = parse([...args, ...implied]);
  return parsed;
}

/** The run options the flags mean: `--resume`, `--from DIR`, `--overwrite`, the keys given. */
export function runOptionsOf(parsed: ParsedConfigArgs): RunOptions {
  const { flags } = parsed;
  return {
    resume: flags.resume === true,
    ...(typeof flags.from === "string" ? { from: flags.from } : {}),
    overwrite: flags.overwrite === true,
    explicitKeys: parsed.explicitKeys,
  };
}

/**
 * A training command's body: `--help` prints the usage; otherwise the arguments are parsed and
 * `train` runs with the run options they mean ({@linkcode runOptionsOf}) and a signal that
 * Ctrl-C / SIGTERM aborts. A run that ends on {@linkcode RunStopped} prints its message and exits
 * 130 (SIGINT) or 143 (SIGTERM).
 */
export async function runTrainingCli(
  cmd: TrainingCommand,
  args: readonly string[],
  train: (parsed: ParsedConfigArgs, run: RunOptions & { signal: AbortSignal }) => Promise<void>,
): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(trainingUsage(cmd));
    return 0;
  }
  const parsed = parseTrainingArgs(cmd, args);
  const stopper = stopOnSignals(cmd.stopsAfter);
  try {
    await train(parsed, { ...runOptionsOf(parsed), signal: stopper.signal });
    return 0;
  } catch (e) {
    if (!(e instanceof RunStopped)) throw e;
    console.error(e.message);
    return stopper.signal.reason === "SIGTERM" ? 143 : 130;
  }
}

/** An eval's final table, per task type: the model's k/n beside every chance level's. */
export function finalEvalTable(t: Pick<EvalTables, "baselines" | "counts" | "listLength">): string {
  const b = t.baselines;
  const baselines: BaselineReport = {
    deduction: b.deduction ?? [],
    abduction: b.abduction ?? [],
    induction: b.induction ?? [],
  };
  const lengths = t.listLength.n > 0 ? { deduction: { list_length: t.listLength } } : {};
  return formatChanceTable(baselines, t.counts, lengths);
}
