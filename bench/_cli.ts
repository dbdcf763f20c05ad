/**
 * What every benchmark shares: `--help`, `--quick` (a smaller measurement, for smoke tests),
 * `--out FILE` (default `runs/bench/<name>.json`, git-ignored: the committed numbers in
 * `data/bench/` change only when asked, with `--out data/bench/<name>.json`), and progress
 * lines on stderr so that the tables on stdout stay clean. Bad flags: one line, exit 2.
 * Files starting with `_` are not benchmarks (`bench/main.ts` skips them).
 * @module
 */
import { dirname } from "node:path";
import type { ParseArgsConfig } from "node:util";
import { numberFlag, oneLine, parseFlags, UsageError } from "../lib/cli.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** A benchmark's flags; `extra` adds its own options, each a positive integer. */
export function benchFlags(
  name: string,
  about: string,
  extra: Record<string, string> = {},
): { quick: boolean; out: string; values: Record<string, number | undefined> } {
  const usage = [
    `Usage: deno run -A bench/${name}.ts [--quick] [--out FILE]${
      Object.keys(extra).map((k) => ` [--${k} …]`).join("")
    }`,
    "",
    about,
    "",
    "  --quick     a smaller measurement (seconds), for smoke tests",
    `  --out FILE  where the numbers go (default runs/bench/${name}.json; the committed ones:`,
    `              --out data/bench/${name}.json)`,
    ...Object.entries(extra).map(([k, v]) =>
      `  --${k} N${" ".repeat(Math.max(1, 8 - k.length))}${v}`
    ),
  ].join("\n");
  const options: Options = {
    quick: { type: "boolean", default: false },
    out: { type: "string", default: `runs/bench/${name}.json` },
  };
  for (const k of Object.keys(extra)) options[k] = { type: "string" };
  try {
    const { values } = parseFlags(Deno.args, options, usage);
    const numbers: Record<string, number | undefined> = {};
    for (const k of Object.keys(extra)) {
      numbers[k] = numberFlag(values[k] as string | undefined, k, true);
      if (numbers[k] === 0) throw new UsageError(`--${k} must be at least 1`);
    }
    return { quick: values.quick === true, out: String(values.out), values: numbers };
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(oneLine(e.message));
    Deno.exit(2);
  }
}

/** Writes a benchmark's numbers as JSON to `out` (its folder created) and says where. */
export async function writeBenchJson(out: string, data: unknown): Promise<void> {
  await Deno.mkdir(dirname(out), { recursive: true });
  await Deno.writeTextFile(out, JSON.stringify(data, null, 2) + "\n");
  console.log(`\nwrote ${out}`);
}

/** A progress line on stderr (`[bench name] …`). */
export function progress(name: string, line: string): void {
  console.error(`[bench ${name}] ${line}`);
}
