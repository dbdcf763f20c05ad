/**
 * `deno task bench`: runs every benchmark in `bench/` one after another (never
 * two at once: they would share the 2 cores and skew each other's ratios) and
 * prints their tables. Each writes its numbers to `runs/bench/<name>.json`
 * (`--out DIR` for another folder; the committed numbers: `--out data/bench`).
 *
 * Usage: deno task bench [NAME ...] [--quick] [--out DIR]   (e.g. `deno task bench sandbox`)
 * @module
 */
import { parseFlags, runCli, UsageError } from "../lib/cli.ts";

const dir = new URL(".", import.meta.url).pathname;
/** Every benchmark: the .ts files here except this one and helpers (`_*.ts`). */
const available = [...Deno.readDirSync(dir)]
  .map((e) => e.name)
  .filter((n) => n.endsWith(".ts") && n !== "main.ts" && !n.startsWith("_"))
  .map((n) => n.slice(0, -3))
  .sort();

const USAGE = `Usage: deno task bench [NAME ...] [--quick] [--out DIR]

  NAME       benchmarks to run (default: all of ${available.join(", ")})
  --quick    a smaller measurement of each (seconds), for smoke tests
  --out DIR  where each writes <name>.json (default runs/bench; the committed numbers:
             --out data/bench)`;

async function main(): Promise<number> {
  const { values, positionals } = parseFlags(
    Deno.args,
    {
      quick: { type: "boolean", default: false },
      out: { type: "string", default: "runs/bench" },
    },
    USAGE,
    { positionals: true },
  );
  const unknown = positionals.filter((n) => !available.includes(n));
  if (unknown.length > 0) {
    throw new UsageError(
      `No benchmark '${unknown.join("', '")}'; available: ${available.join(", ")}`,
    );
  }
  const names = positionals.length > 0
    ? available.filter((n) => positionals.includes(n))
    : available;
  let failed = 0;
  for (const [i, name] of names.entries()) {
    console.log(`\n## ${name}  (deno run -A bench/${name}.ts, ${i + 1} of ${names.length})\n`);
    const { code } = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        `${dir}${name}.ts`,
        `--out=${values.out}/${name}.json`,
        ...(values.quick ? ["--quick"] : []),
      ],
      stdout: "inherit",
      stderr: "inherit",
    }).output();
    if (code !== 0) {
      console.error(`bench/${name}.ts exited with ${code}`);
      failed++;
    }
  }
  return failed ? 1 : 0;
}

await runCli(main);
