/**
 * Seconds per self-play step for the `tiny` and `default` presets, split by
 * stage (propose, validate, rollouts, solve, check, update), measured by the
 * trainer's own `perf/*` metrics in one run of each (the first step, which
 * includes kernel warm-up, is excluded when there is more than one).
 *
 * Usage: deno run -A bench/selfplay.ts [--steps N]
 * Writes data/bench/selfplay.json.
 * @module
 */
import { parseArgs } from "node:util";
import { resolveConfig } from "../lib/config.ts";
import { train } from "../lib/trainer/loop.ts";
import { readMetrics } from "../lib/trainer/metrics.ts";

const STAGES = ["propose", "validate", "rollouts", "solve", "check", "update", "step"] as const;

const { values } = parseArgs({
  args: Deno.args,
  options: { steps: { type: "string", default: "3" } },
});
const steps = Number(values.steps);
const rows: Record<string, number | string>[] = [];
for (const preset of ["tiny", "default"]) {
  const runsDir = await Deno.makeTempDir();
  try {
    const cfg = resolveConfig({
      preset,
      overrides: { runsDir, name: preset, steps, evalEvery: 0, evalLimit: 1 },
    });
    await train(cfg);
    const ms = (await readMetrics(`${runsDir}/${preset}/metrics.jsonl`)).filter((m) => m.step >= 0);
    const timed = ms.length > 1 ? ms.slice(1) : ms;
    const row: Record<string, number | string> = { preset, steps: timed.length };
    for (const s of STAGES) {
      const xs = timed.map((m) => m[`perf/${s}_s`]).filter((v): v is number =>
        typeof v === "number"
      );
      row[s] = xs.reduce((a, b) => a + b, 0) / xs.length;
    }
    const tps = timed.map((m) => m["perf/tokens_per_s"] as number);
    row.tokens_per_s = tps.reduce((a, b) => a + b, 0) / tps.length;
    rows.push(row);
  } finally {
    await Deno.remove(runsDir, { recursive: true });
  }
}
const cols = ["preset", "steps", ...STAGES, "tokens_per_s"];
console.log(`| ${cols.join(" | ")} |\n|${cols.map(() => "---").join("|")}|`);
for (const r of rows) {
  console.log(
    `| ${
      cols.map((
        c,
      ) => (typeof r[c] === "number" ? (r[c] as number).toFixed(c === "steps" ? 0 : 2) : r[c]))
        .join(" | ")
    } |`,
  );
}
console.log("(seconds per step per stage; one run each, same machine, one after the other)");
await Deno.mkdir(new URL("../data/bench/", import.meta.url), { recursive: true });
await Deno.writeTextFile(
  new URL("../data/bench/selfplay.json", import.meta.url),
  JSON.stringify({ machine: `${navigator.hardwareConcurrency} cores`, rows }, null, 2) + "\n",
);
