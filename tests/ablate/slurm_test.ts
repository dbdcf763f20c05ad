/**
 * The `tiny` grid through a real one-node Slurm (./slurm_cluster.ts) against the same grid run by
 * the local runner: same seeds, same numbers (summary, every step's metrics, final evals). One
 * array task is cancelled (`scancel`) after its first checkpoint; the grid is collected (the
 * cell is reported unfinished with its job and log), re-submitted (only that cell goes into the
 * new array), and finishes with the cell resumed from its checkpoint and no other cell touched.
 * Skipped with a message when Slurm and munge are not installed, except under CI=true.
 */
import assert from "node:assert/strict";
import { missingSlurmBinaries, type SlurmCluster, startCluster } from "./slurm_cluster.ts";
import { snapshot } from "./helpers.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const SEEDS = 2;
/** Enough steps that a cell is still running a while after its first checkpoint (step 2). */
const STEPS = 16;
const CELLS = ["azr", "random_tasks"].flatMap((v) =>
  Array.from({ length: SEEDS }, (_, s) => `tiny-${v}-s${s}`)
);
/** The cell cancelled mid-run: the last, which starts once a CPU is free. */
const KILLED = 3;

const missing = missingSlurmBinaries();
const ci = Deno.env.get("CI") === "true";
if (missing.length > 0 && !ci) {
  console.warn(
    `slurm_test: skipped: ${missing.join(", ")} not found ` +
      "(apt-get install slurm-wlm munge; under CI=true this test runs and fails instead)",
  );
}

const dec = new TextDecoder();

/** Runs `deno task ablate` (its main module) with `args`; returns exit code and output. */
async function ablate(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; out: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `${ROOT}lib/ablate/main.ts`,
      "--grid",
      "tiny",
      "--seeds",
      `${SEEDS}`,
      "--steps",
      `${STEPS}`,
      ...args,
    ],
    cwd: ROOT,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: r.code, out: dec.decode(r.stdout) + dec.decode(r.stderr) };
}

async function sleep(ms: number) {
  await new Promise((r) => setTimeout(r, ms));
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false; // not (yet) there
    throw e;
  }
}

/** Waits until none of the job's array tasks is in Slurm's queue. */
async function waitForJob(cluster: SlurmCluster, jobId: string, timeoutMs = 300_000) {
  const until = Date.now() + timeoutMs;
  while ((await cluster.run("squeue", ["-h", "-r", "-j", jobId, "-o", "%i"])).trim() !== "") {
    if (Date.now() > until) {
      throw new Error(
        `job ${jobId} still queued after ${timeoutMs / 1000} s\n${await cluster.logs()}`,
      );
    }
    await sleep(500);
  }
}

/** A run's metrics.jsonl without the wall-clock keys (perf/*): what a seed determines. */
async function seededMetrics(runDir: string): Promise<Record<string, unknown>[]> {
  const lines = (await Deno.readTextFile(`${runDir}/metrics.jsonl`)).trim().split("\n");
  return lines.map((l) =>
    Object.fromEntries(
      Object.entries(JSON.parse(l) as Record<string, unknown>).filter(([k]) =>
        !k.startsWith("perf/")
      ),
    )
  );
}

/** summary.json without what the clock decides: its date and the steps per second. */
async function seededSummary(path: string): Promise<unknown> {
  const s = JSON.parse(await Deno.readTextFile(path)) as {
    createdAt?: string;
    variants: { stepsPerS?: unknown }[];
  };
  delete s.createdAt;
  for (const v of s.variants) delete v.stepsPerS;
  return s;
}

Deno.test({
  name: "ablate --launcher slurm: tiny grid on a real one-node Slurm equals the local run; " +
    "a cancelled cell resumes, nothing else reruns",
  ignore: missing.length > 0 && !ci,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    assert.deepEqual(missing, [], "CI=true: install slurm-wlm and munge (.ci/run does)");
    const tmp = await Deno.makeTempDir({ prefix: "azr-slurm-grid-" });
    const localDir = `${tmp}/local`;
    const slurmDir = `${tmp}/slurm`;
    let cluster: SlurmCluster | undefined;
    let local: Promise<{ code: number; out: string }> | undefined;
    try {
      cluster = await startCluster({ cpus: 2 });
      const env = cluster.env;

      // ── submit the grid, and run it locally meanwhile ─────────────────────
      const submit = ["--runsDir", slurmDir, "--launcher", "slurm", "--time", "00:15:00"];
      const first = await ablate([...submit, "--cpus-per-task", "1"], env);
      assert.equal(first.code, 0, first.out);
      const jobId = /submitted job (\d+): 4 cells \(0,1,2,3\), 0 already finished/.exec(first.out)
        ?.[1];
      assert.ok(jobId, first.out);
      assert.match(
        first.out,
        new RegExp(
          `when it is done: deno task ablate --grid tiny --seeds ${SEEDS} --steps ${STEPS} ` +
            `--runsDir ${slurmDir} --collect`,
        ),
      );
      local = ablate(["--runsDir", localDir, "--parallel", "2"]);

      // ── cancel one array task after its first checkpoint, mid-run ─────────
      const killedDir = `${slurmDir}/${CELLS[KILLED]}`;
      const until = Date.now() + 240_000;
      while (!(await exists(`${killedDir}/checkpoints/latest`))) {
        assert.ok(Date.now() < until, `no checkpoint of cell ${KILLED}\n${await cluster.logs()}`);
        await sleep(100);
      }
      await cluster.run("scancel", [`${jobId}_${KILLED}`]);
      await waitForJob(cluster, jobId);
      const localRun = await local;
      assert.equal(localRun.code, 0, localRun.out);
      assert.ok(
        !(await exists(`${killedDir}/summary.json`)),
        `cell ${KILLED} finished before scancel reached it: raise STEPS`,
      );

      // ── collect: three cells finished, the cancelled one reported with its job and log ──
      const partial = await ablate(["--runsDir", slurmDir, "--collect"], env);
      assert.equal(partial.code, 1, partial.out);
      assert.match(partial.out, /3 of 4 cells finished/);
      assert.match(
        partial.out,
        new RegExp(
          `cell ${KILLED} ${CELLS[KILLED]}: not finished: stopped at checkpoint step-\\d+ .*; ` +
            `Slurm job ${jobId}_${KILLED} \\(no longer queued\\)`,
        ),
      );
      assert.match(partial.out, new RegExp(`log .*/slurm/tiny/${jobId}_${KILLED}\\.log`));
      assert.match(partial.out, /NOT finished \(trainer exit 143\)/, "the log's tail is shown");
      const finishedBefore = new Map<string, Map<string, number>>();
      for (const name of CELLS.filter((_, i) => i !== KILLED)) {
        finishedBefore.set(name, await snapshot(`${slurmDir}/${name}`));
      }
      const logBefore = await Deno.readTextFile(`${killedDir}/train.log`);
      const checkpoint = (await Deno.readTextFile(`${killedDir}/checkpoints/latest`)).trim();
      const resumeStep = Number(/^step-(\d+)$/.exec(checkpoint)?.[1]);
      assert.ok(resumeStep >= 1 && resumeStep < STEPS - 1, `checkpoint ${checkpoint}`);
      assert.match(logBefore, /Stopped( during step \d+)? after \d+ of \d+ steps; checkpoint /);

      // ── re-submit: only the cancelled cell is in the array; it resumes ────
      const second = await ablate(submit, env);
      assert.equal(second.code, 0, second.out);
      const jobId2 = new RegExp(`submitted job (\\d+): 1 cells \\(${KILLED}\\), 3 already finished`)
        .exec(second.out)?.[1];
      assert.ok(jobId2, second.out);
      await waitForJob(cluster, jobId2);
      const all = await ablate(["--runsDir", slurmDir, "--collect"], env);
      assert.equal(all.code, 0, all.out);
      assert.match(all.out, /4 of 4 cells finished/);

      // A third submission finds nothing to run and submits nothing.
      const third = await ablate(submit, env);
      assert.equal(third.code, 0, third.out);
      assert.match(third.out, /all 4 cells of 'tiny' are finished/);
      const jobs = (await Deno.readTextFile(`${slurmDir}/slurm/tiny/jobs.jsonl`)).trim().split(
        "\n",
      );
      assert.deepEqual(
        jobs.map((l) => JSON.parse(l)).map((j) => [j.jobId, j.cells]),
        [[jobId, [0, 1, 2, 3]], [jobId2, [KILLED]]],
      );

      // Nothing else re-ran: the finished cells' files are untouched.
      for (const [name, before] of finishedBefore) {
        assert.deepEqual(await snapshot(`${slurmDir}/${name}`), before, `${name} was touched`);
      }
      // The cancelled cell resumed from its checkpoint (older checkpoints are pruned as it
      // goes): its train.log continues the one from before the cancel, which says it stopped.
      const logAfter = await Deno.readTextFile(`${killedDir}/train.log`);
      assert.ok(
        logAfter.startsWith(logBefore) && logAfter.length > logBefore.length,
        "the resumed cell's train.log does not continue the one from before the cancel",
      );
      const taskLog = await Deno.readTextFile(`${slurmDir}/slurm/tiny/${jobId2}_${KILLED}.log`);
      assert.ok(
        taskLog.includes(
          `cell ${KILLED} (${CELLS[KILLED]}): resuming from checkpoint ${checkpoint}`,
        ),
        taskLog,
      );
      // The trainer's progress starts past the checkpoint's step, not at 0.
      assert.match(taskLog, new RegExp(`^step ${resumeStep + 1}/${STEPS} `, "m"), taskLog);
      assert.match(taskLog, /: finished; log /);

      // ── same seeds, same numbers: Slurm (one cell resumed) against the local runner ──
      assert.deepEqual(
        await seededSummary(`${slurmDir}/results/tiny/summary.json`),
        await seededSummary(`${localDir}/results/tiny/summary.json`),
        "summary.json differs between Slurm and the local runner",
      );
      for (const name of CELLS) {
        const [a, b] = [
          await seededMetrics(`${slurmDir}/${name}`),
          await seededMetrics(`${localDir}/${name}`),
        ];
        assert.equal(a.length, STEPS + 1, `${name}: seeding eval + one line per step`);
        assert.deepEqual(a, b, `${name}: metrics differ between Slurm and local`);
        assert.deepEqual(
          JSON.parse(await Deno.readTextFile(`${slurmDir}/${name}/eval.json`)),
          JSON.parse(await Deno.readTextFile(`${localDir}/${name}/eval.json`)),
          `${name}: final eval differs`,
        );
      }
    } finally {
      await local; // never rejects: its outcome is in its exit code
      await cluster?.stop();
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
