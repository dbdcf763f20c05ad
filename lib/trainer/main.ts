/**
 * `deno task train [--preset default] [--key=value …] [--name run] [--resume] [--quiet]`
 *
 * Runs Absolute Zero self-play headless with a progress bar, writing
 * `runs/<name>/` (config, metrics, proposals, buffers, checkpoints, report).
 * `--help` lists every setting.
 * @module
 */
import cliProgress from "cli-progress";
import { ConfigError, describeConfig, parseArgs } from "../config.ts";
import { train } from "./loop.ts";
import type { Metrics } from "./metrics.ts";

const fmt = (v: unknown, digits = 2) => typeof v === "number" ? v.toFixed(digits) : "–";

/** The one-line digest of a step shown next to the progress bar. */
function digest(m: Metrics): string {
  const tasks = ["deduction", "abduction", "induction"].filter((t) => `acc/solve/${t}` in m);
  const acc = tasks.map((t) => `${t.slice(0, 3)} ${fmt(m[`acc/solve/${t}`])}`).join(" ");
  const learn = tasks.map((t) => fmt(m[`reward/propose/${t}`])).join("/");
  return `${fmt(m["perf/step_s"], 1)}s/step | valid ${
    fmt(m["valid_rate/all"])
  } | solve acc ${acc} | ` +
    `propose r ${learn} | buffers ${tasks.map((t) => m[`buffer/size/${t}`] ?? "–").join("/")}`;
}

if (import.meta.main) {
  if (Deno.args.includes("--help") || Deno.args.includes("-h")) {
    console.log(
      "deno task train [--preset tiny|default|large] [--config file.json] [--key=value …] [--resume]\n",
    );
    for (const f of describeConfig()) {
      console.log(`  --${f.key}=${JSON.stringify(f.default)}\n      ${f.description}`);
    }
    Deno.exit(0);
  }
  let parsed;
  try {
    parsed = parseArgs(Deno.args, ["resume", "quiet"]);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      Deno.exit(2);
    }
    throw e;
  }
  const { config, flags } = parsed;
  const quiet = flags.quiet === true;
  const bar = new cliProgress.SingleBar({
    format: "step {value}/{total} {bar} ETA {eta_formatted} | {digest}",
    noTTYOutput: true,
    notTTYSchedule: quiet ? 60_000 : 5_000,
    etaBuffer: 20,
  }, cliProgress.Presets.shades_classic);
  try {
    const summary = await train(config, {
      resume: flags.resume === true,
      log: (line) => {
        if (!quiet) console.log(line);
      },
      onStart: (step) => bar.start(config.steps, step, { digest: "starting" }),
      onStep: (m) => {
        bar.update(m.step + 1, { digest: digest(m) });
        if (quiet) console.log(`step ${m.step + 1}/${config.steps} ${digest(m)}`);
      },
    });
    bar.stop();
    console.log(
      `done: ${summary.step} steps in ${summary.seconds.toFixed(0)} s; held-out accuracy ${
        Object.entries(summary.eval).map(([t, a]) => `${t} ${(100 * a).toFixed(1)}%`).join(", ")
      }`,
    );
    console.log(`report: ${config.runsDir}/${config.name}/report.html`);
  } catch (e) {
    bar.stop();
    if (e instanceof ConfigError) {
      console.error(e.message);
      Deno.exit(2);
    }
    throw e;
  }
}
