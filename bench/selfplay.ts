/**
 * Seconds per self-play step for the `tiny` and `default` presets, split by
 * stage (propose, validate, rollouts, solve, check, update), measured by the
 * trainer's own `perf/*` metrics in one run of each (the first step, which
 * includes kernel warm-up, is excluded when there is more than one).
 *
 * Usage: deno run -A bench/selfplay.ts [--steps N] [--quick] [--out FILE]
 * Writes runs/bench/selfplay.json (the committed numbers: `--out data/bench/selfplay.json`).
 * @module
 */
import { resolveConfig } from "../lib/config.ts";
import { train } from "../lib/trainer/loop.ts";
import { readMetrics } from "../lib/trainer/metrics.ts";
import { formatDuration } from "../lib/trainer/progress.ts";
import { benchFlags, progress, writeBenchJson } from "./_cli.ts";

const STAGES = ["propose", "validate", "rollouts", "solve", "check", "update", "step"] as const;

const flags = benchFlags(
  "selfplay",
  "Seconds per self-play step by stage, tiny and default presets (--quick: tiny, 2 steps).",
  { steps: "self-play steps per preset (default 3)" },
);
const steps = flags.values.steps ?? (flags.quick ? 2 : 3);
const rows: Record<string, number | string>[] = [];
for (const preset of flags.quick ? ["tiny"] : ["tiny", "default"]) {
  const runsDir = await Deno.makeTempDir();
  try {
    const resolved = resolveConfig({
      preset,
      overrides: { runsDir, name: preset, steps, evalEvery: 0, evalLimit: 1 },
    });
    // The suites' default path is relative to the repo root; the bench may run from elsewhere.
    const cfg = {
      ...resolved,
      evalSuites: new URL(`../${resolved.evalSuites}`, import.meta.url).pathname,
    };
    const t0 = performance.now();
    progress("selfplay", `${preset}: setting up and seeding the buffers`);
    await train(cfg, {
      onStep: (m) =>
        progress(
          "selfplay",
          `${preset}: step ${m.step + 1}/${steps} in ${formatDuration(Number(m["perf/step_s"]))} (${
            formatDuration((performance.now() - t0) / 1000)
          } so far)`,
        ),
    });
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
await writeBenchJson(flags.out, {
  machine: `${navigator.hardwareConcurrency} cores`,
  ...(flags.quick ? { quick: true } : {}),
  rows,
});
