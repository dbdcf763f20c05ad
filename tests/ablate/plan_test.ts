import assert from "node:assert/strict";
import { resolve } from "node:path";
import { type GridCell, loadGrid, planGrid, runGrid } from "../../lib/ablate/mod.ts";
import { parseConfigArgs } from "../../lib/config.ts";

/** The `--key=value` arguments of a planned run as a map (each key must appear once). */
function argMap(run: GridCell): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of run.args) {
    const m = /^--([^=]+)=(.*)$/.exec(a);
    assert.ok(m, `argument '${a}' is not --key=value`);
    assert.ok(!out.has(m[1]!), `${run.name}: --${m[1]} given twice`);
    out.set(m[1]!, m[2]!);
  }
  return out;
}

Deno.test("planGrid: run names, seeds and args of the tiny grid", async () => {
  const grid = await loadGrid("tiny");
  const runs = planGrid({ grid, seeds: 2, runsDir: "some/runs" });
  assert.deepEqual(runs.map((r) => [r.name, r.variant, r.seed]), [
    ["tiny-azr-s0", "azr", 0],
    ["tiny-azr-s1", "azr", 1],
    ["tiny-random_tasks-s0", "random_tasks", 0],
    ["tiny-random_tasks-s1", "random_tasks", 1],
  ]);
  const a = argMap(runs[3]!);
  assert.deepEqual(Object.fromEntries(a), {
    preset: "tiny",
    name: "tiny-random_tasks-s1",
    seed: "1",
    // Absolute: the trainer runs with the repo root as cwd, the caller may not.
    runsDir: resolve("some/runs"),
    steps: "2",
    evalEvery: "1",
    evalLimit: "3",
    sandboxTimeoutMs: "2000",
    curriculum: "random",
  });
});

Deno.test("planGrid: budgets from the command line; untrained keeps steps = 0", async () => {
  const core = await loadGrid("core");
  // Table: options → expected [steps, maxMinutes] per variant (undefined = not passed, preset default).
  // The grid's base turns the default preset's 20-minute cap off (maxMinutes 0: a step budget).
  const cases: {
    why: string;
    budget: { steps?: number; minutes?: number };
    expect: Record<string, [string | undefined, string | undefined]>;
  }[] = [
    {
      why: "no budget: the preset decides, untrained and base pinned",
      budget: {},
      expect: {
        untrained: ["0", "0"],
        base: ["0", "0"],
        azr: [undefined, "0"],
        solver_only: [undefined, "0"],
        random_tasks: [undefined, "0"],
        azr_scratch: [undefined, "0"],
      },
    },
    {
      why: "--steps 50 applies to all but the pinned ones",
      budget: { steps: 50 },
      expect: {
        untrained: ["0", "0"],
        base: ["0", "0"],
        azr: ["50", "0"],
        solver_only: ["50", "0"],
        random_tasks: ["50", "0"],
        azr_scratch: ["50", "0"],
      },
    },
    {
      why: "--minutes 8 applies to every run",
      budget: { minutes: 8 },
      expect: {
        untrained: ["0", "8"],
        base: ["0", "8"],
        azr: [undefined, "8"],
        solver_only: [undefined, "8"],
        random_tasks: [undefined, "8"],
        azr_scratch: [undefined, "8"],
      },
    },
  ];
  for (const c of cases) {
    const runs = planGrid({ grid: core, seeds: 1, runsDir: "runs", ...c.budget });
    assert.deepEqual(runs.map((r) => r.name), [
      "core-untrained-s0",
      "core-base-s0",
      "core-azr-s0",
      "core-solver_only-s0",
      "core-random_tasks-s0",
      "core-azr_scratch-s0",
    ]);
    for (const r of runs) {
      const a = argMap(r);
      assert.deepEqual(
        [a.get("steps"), a.get("maxMinutes")],
        c.expect[r.variant],
        `${c.why}: ${r.name}`,
      );
    }
  }
  // A grid's own step budget (tiny: base steps = 2) gives way to --steps.
  const tiny = await loadGrid("tiny");
  for (const r of planGrid({ grid: tiny, seeds: 1, runsDir: "runs", steps: 7 })) {
    assert.equal(argMap(r).get("steps"), "7");
  }
  // A pre-training cell (keep's pretrain_more) takes --steps as its pretrainSteps, --minutes as is.
  const keep = await loadGrid("keep");
  const more = planGrid({ grid: keep, seeds: 1, runsDir: "runs", steps: 9, minutes: 3 })
    .find((r) => r.variant === "pretrain_more")!;
  assert.equal(more.command, "pretrain");
  const a = argMap(more);
  assert.deepEqual([a.get("pretrainSteps"), a.get("maxMinutes"), a.get("pretrainInit")], [
    "9",
    "3",
    "data/base",
  ]);
  assert.ok(
    planGrid({ grid: keep, seeds: 1, runsDir: "runs" }).filter((r) => r.command === "train")
      .length === keep.variants.length - 1,
  );
});

Deno.test("planGrid: every built-in grid's args are accepted by the trainer's parser with the intended values", async () => {
  // Expected config values per run, written out by hand from the grids' purpose.
  const expected: Record<string, Record<string, unknown>> = {
    "core-azr-s2": {
      trainProposer: true,
      curriculum: "policy",
      init: "data/base",
      steps: 10,
      maxMinutes: 3,
      dModel: 64,
    },
    "core-untrained-s0": { init: "scratch", steps: 0, maxMinutes: 3 },
    "core-base-s1": { init: "data/base", steps: 0 },
    "core-solver_only-s0": { trainProposer: false, curriculum: "policy", steps: 10 },
    "core-random_tasks-s1": { curriculum: "random", trainProposer: true, steps: 10 },
    "core-azr_scratch-s2": { init: "scratch", curriculum: "policy", steps: 10 },
    "rewards-paper-s0": { learnability: "paper", solverCe: 0, init: "data/base" },
    "rewards-chance-s0": { learnability: "chance" },
    "rewards-rzero-s0": { learnability: "rzero" },
    "rewards-variance-s0": { learnability: "variance" },
    "rewards-nonconstant-s0": { rejectConstant: true, learnability: "paper" },
    "rewards-solver_ce-s0": { solverCe: 1, learnability: "paper" },
    "tasks-no_deduction-s0": { taskTypes: ["abduction", "induction"] },
    "tasks-no_abduction-s0": { taskTypes: ["deduction", "induction"] },
    "tasks-no_induction-s0": { taskTypes: ["deduction", "abduction"] },
    "tasks-deduction_only-s0": { taskTypes: ["deduction"] },
    "estimator-trr_pp-s0": { estimator: "trr++" },
    "estimator-reinforce_pp-s0": { estimator: "reinforce++" },
    "estimator-grpo-s0": { estimator: "grpo" },
    "references-K0-s0": { refK: 0 },
    "tiny-azr-s1": { seed: 1, steps: 10, evalEvery: 1, evalLimit: 3, dModel: 32 },
  };
  const seen = new Set<string>();
  for (const name of ["core", "rewards", "tasks", "estimator", "references", "tiny"]) {
    const grid = await loadGrid(name);
    for (const run of planGrid({ grid, seeds: 3, runsDir: "runs", steps: 10, minutes: 3 })) {
      const { config } = parseConfigArgs(run.args);
      assert.equal(config.name, run.name);
      assert.equal(config.seed, run.seed);
      const want = expected[run.name];
      if (!want) continue;
      seen.add(run.name);
      for (const [k, v] of Object.entries(want)) {
        assert.deepEqual(config[k as keyof typeof config], v, `${run.name}: ${k}`);
      }
    }
  }
  assert.deepEqual([...seen].sort(), Object.keys(expected).sort(), "a planned run is missing");
  // The K0 row differs from the default only in refK.
  const refs = planGrid({ grid: await loadGrid("references"), seeds: 1, runsDir: "runs" });
  const [k0, kd] = refs.map((r) => parseConfigArgs(r.args).config);
  assert.ok(k0 && kd && k0.refK === 0 && kd.refK > 0, `refK: ${k0?.refK} vs ${kd?.refK}`);
});

Deno.test("runGrid reuses a finished run only when it ran with the settings asked for now", async () => {
  const runsDir = await Deno.makeTempDir();
  try {
    const grid = await loadGrid("tiny");
    const planned = planGrid({ grid, seeds: 1, runsDir, steps: 2 });
    // Two runs that "finished" with exactly the planned settings.
    for (const run of planned) {
      await Deno.mkdir(`${runsDir}/${run.name}`, { recursive: true });
      await Deno.writeTextFile(
        `${runsDir}/${run.name}/config.json`,
        JSON.stringify(parseConfigArgs(run.args).config),
      );
      await Deno.writeTextFile(
        `${runsDir}/${run.name}/summary.json`,
        JSON.stringify({
          name: run.name,
          step: 2,
          seconds: 1,
          stepsPerS: 2,
          eval: { deduction: 0 },
        }),
      );
    }
    const same = await runGrid({ grid, seeds: 1, runsDir, steps: 2, parallel: 1, progress: false });
    assert.deepEqual(same.skipped, planned.map((r) => r.name));
    assert.deepEqual(same.ran, []);
    // Asking for another budget must not silently reuse them.
    await assert.rejects(
      runGrid({ grid, seeds: 1, runsDir, steps: 5, parallel: 1, progress: false }),
      /finished with steps=2 but the grid now asks for 5: delete .* to rerun it/,
    );
    // A run from before a setting existed (its config.json lacks it) ran that setting's default:
    // reused while the grid asks for the default, not when it asks for something else.
    for (const run of planned) {
      const path = `${runsDir}/${run.name}/config.json`;
      const { shuffleRewards: _, ...older } = JSON.parse(await Deno.readTextFile(path));
      await Deno.writeTextFile(path, JSON.stringify(older));
    }
    const older = await runGrid({
      grid,
      seeds: 1,
      runsDir,
      steps: 2,
      parallel: 1,
      progress: false,
    });
    assert.deepEqual(older.skipped, planned.map((r) => r.name));
    const shuffled = { ...grid, base: { ...grid.base, shuffleRewards: true } };
    await assert.rejects(
      runGrid({ grid: shuffled, seeds: 1, runsDir, steps: 2, parallel: 1, progress: false }),
      /finished with shuffleRewards=false \(its config.json predates the setting\) but the grid now asks for true/,
    );
    // A setting whose old behaviour is not its default (SETTING_BEFORE_ADDED): one model thread.
    for (const run of planned) {
      const path = `${runsDir}/${run.name}/config.json`;
      const { pretrainGradWorker: _, ...older } = JSON.parse(await Deno.readTextFile(path));
      await Deno.writeTextFile(path, JSON.stringify(older));
    }
    const oneThread = { ...grid, base: { ...grid.base, pretrainGradWorker: false } };
    const reused = await runGrid({
      grid: oneThread,
      seeds: 1,
      runsDir,
      steps: 2,
      parallel: 1,
      progress: false,
    });
    assert.deepEqual(reused.skipped, planned.map((r) => r.name));
    // … and at its default, as any setting added later (the cell ran one thread; the default
    // changes only speed).
    const asDefault = await runGrid({
      grid: { ...grid, base: { ...grid.base, pretrainGradWorker: true } },
      seeds: 1,
      runsDir,
      steps: 2,
      parallel: 1,
      progress: false,
    });
    assert.deepEqual(asDefault.skipped, planned.map((r) => r.name));
  } finally {
    await Deno.remove(runsDir, { recursive: true });
  }
});
