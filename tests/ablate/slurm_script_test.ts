/**
 * The Slurm launcher without a cluster: array specs, sbatch's job id, --time's format, the
 * generated script (its #SBATCH lines and the cell command it runs), and the command's flags.
 * The real cluster is in ./slurm_test.ts.
 */
import assert from "node:assert/strict";
import { resolve } from "node:path";
import {
  arraySpec,
  collectArgs,
  loadGrid,
  parseSbatchJobId,
  planGrid,
  sbatchScript,
  SLURM_TIME,
} from "../../lib/ablate/mod.ts";
import { RunError } from "../../lib/trainer/run_dir.ts";
import { ablateCli as ablate } from "./helpers.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

Deno.test("arraySpec: indices as Slurm's --array, runs compressed", () => {
  const cases: [number[], string][] = [
    [[0], "0"],
    [[0, 1, 2, 3], "0-3"],
    [[3, 1, 0, 2], "0-3"],
    [[0, 2, 3, 5], "0,2-3,5"],
    [[1, 1, 4], "1,4"],
    [[7, 8, 9, 11, 12], "7-9,11-12"],
  ];
  for (const [xs, want] of cases) assert.equal(arraySpec(xs), want, `${xs}`);
});

Deno.test("collectArgs: the submit command's plan flags, then --collect", () => {
  assert.deepEqual(
    collectArgs([
      "--grid",
      "core",
      "--launcher",
      "slurm",
      "--seeds=5",
      "--partition",
      "gpu",
      "--sbatch-arg=--gres=gpu:1",
      "--steps",
      "160",
      "--time=01:00:00",
      "--cpus-per-task",
      "2",
      "--runsDir",
      "/scratch/runs",
    ]),
    ["--grid", "core", "--seeds=5", "--steps", "160", "--runsDir", "/scratch/runs", "--collect"],
  );
});

Deno.test("parseSbatchJobId: 'JOBID' or 'JOBID;CLUSTER', anything else is a RunError", () => {
  assert.equal(parseSbatchJobId("1234\n"), "1234");
  assert.equal(parseSbatchJobId("77;gpu-cluster\n"), "77");
  for (const bad of ["", "Submitted batch job 12", "12abc", "sbatch: error: invalid partition"]) {
    assert.throws(() => parseSbatchJobId(bad), (e: Error) => e instanceof RunError, bad);
  }
});

Deno.test("SLURM_TIME: Slurm's --time formats", () => {
  for (const ok of ["30", "30:00", "00:30:00", "1-00", "1-12:00", "2-00:30:00"]) {
    assert.ok(SLURM_TIME.test(ok), ok);
  }
  for (const bad of ["", "30m", "1h", "00:30:00:00", "-1", "1-"]) {
    assert.ok(!SLURM_TIME.test(bad), bad);
  }
});

Deno.test("sbatchScript: one array task per cell given, each running --cell K of the same plan", async () => {
  const grid = await loadGrid("tiny");
  const runsDir = "some/runs";
  const cells = planGrid({ grid, seeds: 3, runsDir, steps: 4 });
  const script = sbatchScript({
    grid,
    seeds: 3,
    steps: 4,
    runsDir,
    gridArg: "tiny",
    cells: cells.filter((c) => c.index !== 1),
    slurm: {
      partition: "gpu",
      time: "00:30:00",
      cpusPerTask: 4,
      sbatchArgs: ["--gres=gpu:1", "--qos=long"],
    },
  });
  const lines = script.split("\n");
  assert.equal(lines[0], "#!/bin/bash");
  const sbatch = lines.filter((l) => l.startsWith("#SBATCH ")).map((l) => l.slice(8));
  const abs = resolve(runsDir);
  assert.deepEqual(sbatch, [
    "--job-name=azr-tiny",
    "--array=0,2-5",
    `--output=${abs}/slurm/tiny/%A_%a.log`,
    `--chdir=${ROOT.replace(/\/$/, "")}`,
    "--partition=gpu",
    "--time=00:30:00",
    "--cpus-per-task=4",
    "--gres=gpu:1",
    "--qos=long",
  ]);
  const exec = lines.filter((l) => l.startsWith("exec "));
  assert.equal(exec.length, 1);
  assert.equal(
    exec[0],
    `exec '${Deno.execPath()}' 'run' '-A' '${ROOT}lib/ablate/main.ts' '--grid' 'tiny' ` +
      `'--seeds' '3' '--steps' '4' '--runsDir' '${abs}' --cell "$SLURM_ARRAY_TASK_ID"`,
  );
  // Without options: no partition, time or CPU lines (the cluster's defaults).
  const bare = sbatchScript({ grid, seeds: 1, runsDir, gridArg: "tiny", cells, slurm: {} });
  assert.doesNotMatch(bare, /--partition|--time|--cpus-per-task|--steps|--minutes/);
});

Deno.test("ablate --launcher slurm --dry-run: prints the script of the unfinished cells; flag errors", async () => {
  const runsDir = await Deno.makeTempDir();
  try {
    const dry = await ablate([
      "--grid",
      "tiny",
      "--seeds",
      "2",
      "--runsDir",
      runsDir,
      "--launcher",
      "slurm",
      "--time",
      "10",
      "--sbatch-arg=--gres=gpu:1",
      "--dry-run",
    ]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^#SBATCH --array=0-3$/m);
    assert.match(dry.stdout, /^#SBATCH --time=10$/m);
    assert.match(dry.stdout, /^#SBATCH --gres=gpu:1$/m);
    // A dry run submits and records nothing.
    assert.deepEqual([...Deno.readDirSync(runsDir)], []);
    // A subset of the variants: its own cells, and every array task plans the same subset.
    const subset = await ablate([
      "--grid",
      "tiny",
      "--seeds",
      "2",
      "--variants",
      "random_tasks",
      "--label",
      "r",
      "--runsDir",
      runsDir,
      "--launcher",
      "slurm",
      "--dry-run",
    ]);
    assert.equal(subset.code, 0, subset.stderr);
    assert.match(subset.stdout, /^#SBATCH --array=0-1$/m);
    assert.match(subset.stdout, /'--seeds' '2' '--variants' 'random_tasks' /);

    const errors: [string[], RegExp][] = [
      [["--partition", "gpu"], /^--partition needs --launcher slurm$/],
      [["--dry-run"], /^--dry-run needs --launcher slurm$/],
      [["--launcher", "pbs"], /^--launcher must be local or slurm, got 'pbs'$/],
      [["--launcher", "slurm", "--time", "1h"], /^--time must be in Slurm's format/],
      [["--collect", "--cell", "0"], /^Pass only one of --collect, --cell$/],
      [["--cpus-per-task", "x", "--launcher", "slurm"], /^--cpus-per-task must be a non-negative/],
      [
        ["--variants", "azr,nope", "--label", "x"],
        /^Grid 'tiny' has no variant 'nope'; it has azr, random_tasks$/,
      ],
      [["--variants", "azr"], /name its folder with --label L/],
      [["--variants", ",", "--label", "x"], /^--variants needs one or more/],
      [["--label", "a/b"], /^--label must be letters, digits/],
    ];
    for (const [args, says] of errors) {
      const r = await ablate(["--grid", "tiny", "--runsDir", runsDir, ...args]);
      assert.equal(r.code, 2, `${args.join(" ")}: exit ${r.code}`);
      assert.match(r.stderr.trim(), says, args.join(" "));
    }
  } finally {
    await Deno.remove(runsDir, { recursive: true });
  }
});
