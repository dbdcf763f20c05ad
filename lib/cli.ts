/**
 * What every entry point (`deno task train|eval|ablate|bench`) shares: `--help`, and bad input
 * reported as one line on stderr with exit status 2 instead of a stack trace. A bug still
 * crashes loudly: only an {@linkcode InputError} (../errors.ts: `UsageError` here, `ConfigError`,
 * `RunError`, `SuiteError`, `JsonlError` for a corrupt line in a run's file) counts as bad input.
 *
 * @example
 * ```ts
 * import { parseFlags, runCli } from "./cli.ts";
 * await runCli(() => {
 *   const flags = parseFlags(Deno.args, { out: { type: "string" } }, "Usage: x [--out FILE]");
 *   console.log(flags.values.out);
 * });
 * ```
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { InputError } from "./errors.ts";

/** Bad command-line input; the message says what to change. */
export class UsageError extends InputError {
  override name = "UsageError";
}

/** Whether `e` is bad input (reported in one line) rather than a bug (a stack trace). */
export function isUsageError(e: unknown): e is InputError {
  return e instanceof InputError;
}

/** A message on one line: its lines trimmed and joined. */
export function oneLine(message: string): string {
  return message.split("\n").map((l) => l.trim()).filter(Boolean).join(" ");
}

/**
 * Runs a CLI's body: bad input → its message on one line on stderr, exit 2; a returned
 * number is the exit status; anything else thrown is a bug and propagates.
 */
export async function runCli(main: () => Promise<number | void> | number | void): Promise<void> {
  let code: number | void;
  try {
    code = await main();
  } catch (e) {
    if (!isUsageError(e)) throw e;
    console.error(oneLine(e.message));
    Deno.exit(2);
  }
  if (typeof code === "number") Deno.exit(code);
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * `node:util` parseArgs with `--help`/`-h` (prints `usage` and exits 0) and its errors turned
 * into {@linkcode UsageError}s that point at `--help`. Positional arguments are errors unless
 * `opts.positionals`.
 */
export function parseFlags<O extends Options>(
  args: readonly string[],
  options: O,
  usage: string,
  opts: { positionals?: boolean } = {},
): { values: ReturnType<typeof parseArgs<{ options: O }>>["values"]; positionals: string[] } {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(usage);
    Deno.exit(0);
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true });
  } catch (e) {
    if (e instanceof TypeError && "code" in e && String(e.code).startsWith("ERR_PARSE_ARGS")) {
      // Node's text goes on to explain `--` for positionals; the first sentence is the news.
      const first = e.message.split(". ")[0]!.replace(/\.$/, "");
      throw new UsageError(`${first} (see --help)`);
    }
    throw e;
  }
  if (!opts.positionals && parsed.positionals.length > 0) {
    throw new UsageError(`Unexpected argument '${parsed.positionals[0]}' (see --help)`);
  }
  return { values: parsed.values, positionals: parsed.positionals };
}

/** A flag's value as a number ≥ 0 (an integer when `integer`), or a UsageError naming the flag. */
export function numberFlag(
  value: string | undefined,
  flag: string,
  integer = false,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(
      `--${flag} must be a non-negative ${integer ? "integer" : "number"}, got '${value}'`,
    );
  }
  return n;
}

/**
 * Ctrl-C / SIGTERM for a long run: the first aborts the returned controller (its reason is the
 * signal's name), so the run can stop after `what` (e.g. "the current stage, then a checkpoint
 * and the report"); the second quits at once with 130 / 143.
 */
export function stopOnSignals(what: string): AbortController {
  const stop = new AbortController();
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  for (const sig of signals) {
    Deno.addSignalListener(sig, () => {
      if (stop.signal.aborted) {
        console.error(`\n${sig} again: quitting without a checkpoint`);
        Deno.exit(sig === "SIGTERM" ? 143 : 130);
      }
      console.error(`\n${sig}: stopping after ${what} (Ctrl-C again quits at once)`);
      stop.abort(sig);
    });
  }
  return stop;
}
