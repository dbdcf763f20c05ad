/**
 * A run's lifecycle on the `tiny` preset: SIGINT mid-run → checkpoint and report, then
 * `--resume` without repeating the preset continues exactly as an uninterrupted run; a corrupt
 * latest checkpoint → the one before it (said on stderr), `--from` picks one; a run without a
 * checkpoint restarts on `--resume`; `--overwrite` replaces a run; checkpoints on a wall-clock
 * interval.
 */
import assert from "node:assert/strict";
import { resolveConfig } from "../../lib/config.ts";
import { readMetrics } from "../../lib/trainer/metrics.ts";
import { RunStopped, train } from "../../lib/trainer/loop.ts";

const MAIN = new URL("../../lib/trainer/main.ts", import.meta.url).pathname;
const text = (b: Uint8Array) => new TextDecoder().decode(b);

function cfg(runsDir: string, name: string, extra: Record<string, unknown> = {}) {
  return resolveConfig({ preset: "tiny", overrides: { runsDir, name, evalLimit: 2, ...extra } });
}

/** Metrics without the wall-clock ones (perf/*), which differ between any two runs. */
async function trajectory(path: string) {
  return (await readMetrics(path)).map((m) =>
    Object.fromEntries(Object.entries(m).filter(([k]) => !k.startsWith("perf/")))
  );
}

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);
const checkpoints = async (dir: string) =>
  (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();

Deno.test("SIGINT mid-run: checkpoint and report, then --resume without the preset continues exactly", async () => {
  const runs = await Deno.makeTempDir();
  try {
    const steps = 4;
    // No checkpoint falls on a step multiple: the one found after SIGINT comes from the stop.
    const settings = { steps, checkpointEvery: 100, evalEvery: 2 };
    await train(cfg(runs, "straight", settings));
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        MAIN,
        "--preset=tiny",
        "--evalLimit=2",
        ...Object.entries(settings).map(([k, v]) => `--${k}=${v}`),
        `--runsDir=${runs}`,
        "--name=stopped",
        "--quiet",
      ],
      stdout: "null",
      stderr: "piped",
    }).spawn();
    // SIGINT once the first step's metrics line is written.
    const metrics = `${runs}/stopped/metrics.jsonl`;
    while (!(await Deno.readTextFile(metrics).catch(() => "")).includes('"step":0')) {
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill("SIGINT");
    const [status, stderr] = await Promise.all([child.status, new Response(child.stderr).text()]);
    assert.equal(status.code, 130, stderr);
    assert.match(stderr, /SIGINT: stopping after the current stage/);
    assert.match(stderr, /--resume continues it/);
    assert.doesNotMatch(stderr, /^\s+at /m, "no stack trace");
    const latest = (await Deno.readTextFile(`${runs}/stopped/checkpoints/latest`)).trim();
    const done = (await readMetrics(metrics)).filter((m) => m.step >= 0).length;
    assert.ok(done >= 1 && done < steps, `stopped after ${done} steps`);
    assert.equal(latest, `step-${String(done - 1).padStart(6, "0")}`, "last finished step saved");
    assert.ok(await exists(`${runs}/stopped/report.html`), "report written");
    assert.ok(!await exists(`${runs}/stopped/summary.json`), "a stopped run is not finished");

    // Resume with only the run's name: the saved config (tiny, evalLimit 2, …) is used as it is.
    const resumed = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MAIN, `--runsDir=${runs}`, "--name=stopped", "--resume", "--quiet"],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(resumed.code, 0, text(resumed.stderr));
    assert.equal(
      JSON.parse(await Deno.readTextFile(`${runs}/stopped/summary.json`)).step,
      steps,
    );
    assert.deepEqual(await trajectory(metrics), await trajectory(`${runs}/straight/metrics.jsonl`));
    const buffer = (name: string) => Deno.readTextFile(`${runs}/${name}/buffers/induction.jsonl`);
    assert.equal(await buffer("stopped"), await buffer("straight"));
  } finally {
    await Deno.remove(runs, { recursive: true });
  }
});

Deno.test("a corrupt latest checkpoint: resume falls back to the one before it; --from picks one", async () => {
  const runs = await Deno.makeTempDir();
  try {
    await train(cfg(runs, "r", { steps: 3, checkpointEvery: 1 }));
    const dir = `${runs}/r/checkpoints`;
    assert.deepEqual(await checkpoints(dir), ["latest", "step-000001", "step-000002"]);
    const weights = `${dir}/step-000002/model.safetensors`;
    const bytes = await Deno.readFile(weights);
    await Deno.writeFile(weights, bytes.slice(0, bytes.length - 100));

    const warnings: string[] = [];
    const summary = await train(cfg(runs, "r", { steps: 3, checkpointEvery: 1 }), {
      resume: true,
      warn: (l) => warnings.push(l),
    });
    assert.equal(summary.step, 3);
    assert.match(warnings.join("\n"), /step-000002.*checksum.*falling back/);
    // The corrupt one is kept aside for inspection; step 2 was redone and saved again.
    assert.deepEqual(await checkpoints(dir), [
      "latest",
      "step-000001",
      "step-000002",
      "step-000002.corrupt",
    ]);
    const steps = (await readMetrics(`${runs}/r/metrics.jsonl`)).map((m) => m.step);
    assert.deepEqual(steps.filter((s) => s >= 0), [0, 1, 2], "step 2 logged once");

    // --from an earlier checkpoint: the run continues from there, newer checkpoints go.
    const cli = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MAIN, "--from", `${dir}/step-000001`, "--steps=3", "--quiet"],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(cli.code, 0, text(cli.stderr));
    assert.match(text(cli.stderr), /removed .*step-000002: it is newer than the restored/);

    // --from something that is not one of the run's checkpoints: one line, exit 2.
    const bad = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MAIN, `--from=${dir}/step-000002.corrupt`],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(bad.code, 2);
    assert.match(text(bad.stderr).trim(), /^--from .*step-000002\.corrupt is not a checkpoint/);
    assert.equal(text(bad.stderr).trim().split("\n").length, 1, text(bad.stderr));
    // --from a checkpoint that does not load: one line, exit 2.
    const again = await Deno.readFile(weights); // step 2 as the --from run saved it
    await Deno.writeFile(weights, again.slice(0, again.length - 100));
    const corrupt = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MAIN, `--from=${dir}/step-000002`],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(corrupt.code, 2);
    assert.match(
      text(corrupt.stderr).trim(),
      /^Cannot resume from .*no checkpoint loads.*checksum/,
    );
    assert.equal(text(corrupt.stderr).trim().split("\n").length, 1, text(corrupt.stderr));
  } finally {
    await Deno.remove(runs, { recursive: true });
  }
});

Deno.test("no checkpoint: a stop before the first step saves none, and --resume starts over", async () => {
  const runs = await Deno.makeTempDir();
  try {
    const c = cfg(runs, "early", { steps: 2 });
    // Aborted from the start: seeding stops at once, nothing is trained.
    const err = await train(c, { signal: AbortSignal.abort("test") }).catch((e) => e);
    assert.ok(err instanceof RunStopped, String(err));
    assert.equal(err.step, 0);
    assert.equal(err.checkpoint, undefined);
    assert.match(err.message, /no step finished/);
    // Rerunning under the name without a flag says which flag to use.
    await assert.rejects(train(c), /already exists.*--resume.*--overwrite/);
    const lines: string[] = [];
    const summary = await train(c, { resume: true, log: (l) => lines.push(l) });
    assert.match(lines.join("\n"), /no checkpoint .*starting 'early' over from step 0/);
    assert.equal(summary.step, 2);
    const steps = (await readMetrics(`${runs}/early/metrics.jsonl`)).map((m) => m.step);
    assert.deepEqual(steps, [0, 1]);

    // --overwrite replaces the run's files, and leaves what else is in its folder alone.
    await Deno.writeTextFile(`${runs}/early/notes.txt`, "mine");
    const again = await train(cfg(runs, "early", { steps: 1 }), { overwrite: true });
    assert.equal(again.step, 1);
    assert.deepEqual((await readMetrics(`${runs}/early/metrics.jsonl`)).map((m) => m.step), [0]);
    assert.equal(await Deno.readTextFile(`${runs}/early/notes.txt`), "mine");
    await assert.rejects(train(c, { resume: true, overwrite: true }), /not both/);
  } finally {
    await Deno.remove(runs, { recursive: true });
  }
});

Deno.test("checkpointMinutes: a checkpoint once the interval has passed, between step multiples", async () => {
  const runs = await Deno.makeTempDir();
  try {
    // 1e-5 minutes (0.6 ms) is always over by the end of a step; 100 steps never is a multiple.
    await train(cfg(runs, "timed", { steps: 3, checkpointEvery: 100, checkpointMinutes: 1e-5 }));
    assert.deepEqual(await checkpoints(`${runs}/timed/checkpoints`), [
      "latest",
      "step-000001",
      "step-000002",
    ]);
    await train(cfg(runs, "off", { steps: 3, checkpointEvery: 100, checkpointMinutes: 0 }));
    assert.deepEqual(await checkpoints(`${runs}/off/checkpoints`), ["latest", "step-000002"]);
  } finally {
    await Deno.remove(runs, { recursive: true });
  }
});
