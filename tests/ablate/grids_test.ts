import assert from "node:assert/strict";
import { GRID_LR, GRIDS, loadGrid, planGrid, selectVariants } from "../../lib/ablate/mod.ts";
import { parseConfigArgs, resolveConfig } from "../../lib/config.ts";

/** Writes `text` to a temp .json file and returns its path. */
async function gridFile(text: string): Promise<string> {
  const path = await Deno.makeTempFile({ prefix: "azr-grid-", suffix: ".json" });
  await Deno.writeTextFile(path, text);
  return path;
}

Deno.test("loadGrid: every built-in grid parses and its variants are valid configs", async () => {
  for (
    const name of [
      "core",
      "rewards",
      "tasks",
      "estimator",
      "references",
      "keep",
      "improve",
      "improve_core",
      "improve_lr",
      "improve_1e4",
      "rl_batch",
      "rl_targets",
      "rl_types",
      "rl_propose",
      "main",
      "tiny",
    ]
  ) {
    const grid = await loadGrid(name);
    assert.equal(grid.name, name);
    assert.ok(grid.variants.length >= 2, `${name} has ${grid.variants.length} variants`);
  }
  assert.deepEqual(Object.keys(GRIDS).sort(), [
    "core",
    "estimator",
    "improve",
    "improve_1e4",
    "improve_core",
    "improve_lr",
    "keep",
    "main",
    "references",
    "rewards",
    "rl_batch",
    "rl_propose",
    "rl_targets",
    "rl_types",
    "tasks",
    "tiny",
  ]);
});

Deno.test("selectVariants: the named variants in the grid's order, with the one they pair with", async () => {
  const grid = await loadGrid("rl_types");
  const subset = selectVariants(grid, ["azr_r16_abduction", "random_tasks_b128"]);
  assert.deepEqual(subset.variants.map((v) => v.name), [
    "base",
    "random_tasks_b128",
    "azr_r16_abduction",
  ]);
  // The cells keep the whole grid's settings and names: the same runs.
  assert.equal(subset.name, grid.name);
  assert.match(subset.description, / \(A subset: 3 of its \d+ variants, --variants\.\)$/);
  assert.deepEqual(subset.base, grid.base);
  for (const v of subset.variants) {
    assert.deepEqual(v, grid.variants.find((w) => w.name === v.name), v.name);
  }
  assert.throws(
    () => selectVariants(grid, ["azr_r16_abduction", "azr_r61"]),
    /Grid 'rl_types' has no variant 'azr_r61'; it has base, /,
  );
});

Deno.test("improve_core is improve's settings with its four central cells", async () => {
  const [improve, core] = [await loadGrid("improve"), await loadGrid("improve_core")];
  assert.deepEqual(core.base, improve.base);
  assert.equal(core.pairedWith, "base");
  assert.deepEqual(core.variants.map((v) => v.name), [
    "base",
    "azr",
    "random_tasks",
    "pretrain_more",
  ]);
  for (const v of core.variants) {
    assert.deepEqual(v, improve.variants.find((w) => w.name === v.name), v.name);
  }
});

Deno.test("loadGrid: a valid grid file gets the defaults", async () => {
  const path = await gridFile(JSON.stringify({
    name: "lr",
    variants: [{ name: "lr_low", overrides: { lr: 1e-4 } }, {
      name: "lr_high",
      overrides: { lr: 1e-3 },
    }],
  }));
  try {
    const grid = await loadGrid(path);
    assert.equal(grid.preset, "default");
    assert.deepEqual(grid.base, {});
    assert.equal(grid.description, "");
    assert.deepEqual(grid.variants.map((v) => [v.name, v.overrides]), [
      ["lr_low", { lr: 1e-4 }],
      ["lr_high", { lr: 1e-3 }],
    ]);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("loadGrid: bad grids fail with a message that says what to fix", async () => {
  const variant = { name: "a" };
  const cases: { why: string; text: string; error: RegExp }[] = [
    {
      why: "not JSON at all",
      text: "{ name: 'x', variants: [",
      error: /Cannot read grid file '.*\.json'/,
    },
    {
      why: "trailing comma",
      text: '{"name": "x", "variants": [{"name": "a"},]}',
      error: /Cannot read grid file/,
    },
    {
      why: "no variants",
      text: '{"name": "x", "variants": []}',
      error: /Cannot parse grid[\s\S]*variants/,
    },
    {
      why: "missing name",
      text: JSON.stringify({ variants: [variant] }),
      error: /Cannot parse grid[\s\S]*name/,
    },
    {
      why: "unknown top-level key (typo)",
      text: JSON.stringify({ name: "x", varaints: [], variants: [variant] }),
      error: /Cannot parse grid[\s\S]*varaints/,
    },
    {
      why: "name with a slash (it becomes a folder name)",
      text: JSON.stringify({ name: "a/b", variants: [variant] }),
      error: /Cannot parse grid[\s\S]*letters, digits/,
    },
    {
      why: "variant name with '+' (not a valid run name)",
      text: JSON.stringify({ name: "x", variants: [{ name: "trr++" }] }),
      error: /Cannot parse grid[\s\S]*letters, digits/,
    },
    {
      why: "unknown config key in a variant",
      text: JSON.stringify({
        name: "x",
        variants: [{ name: "a", overrides: { learningRate: 1 } }],
      }),
      error: /Cannot use grid '.*', variant 'a':.*unknown key 'learningRate'/,
    },
    {
      why: "wrongly typed config value in base",
      text: JSON.stringify({ name: "x", base: { steps: "many" }, variants: [variant] }),
      error: /Cannot use grid '.*', variant 'a':[\s\S]*steps/,
    },
    {
      why: "unknown preset",
      text: JSON.stringify({ name: "x", preset: "huge", variants: [variant] }),
      error: /unknown preset 'huge'/,
    },
  ];
  for (const c of cases) {
    const path = await gridFile(c.text);
    try {
      await assert.rejects(loadGrid(path), c.error, c.why);
    } finally {
      await Deno.remove(path);
    }
  }
  await assert.rejects(
    loadGrid("nonexistent-grid.json"),
    /Cannot read grid file 'nonexistent-grid\.json'/,
  );
  await assert.rejects(loadGrid("cor"), /Unknown grid 'cor': use one of core, rewards, tasks/);
});

Deno.test("the self-play grids run at the rate their results were measured at, not the default preset's", async () => {
  assert.notEqual(
    resolveConfig({ preset: "default" }).lr,
    GRID_LR,
    "the premise: the rates differ",
  );
  // `main` measures the default preset itself (its own test below).
  const selfPlay = Object.keys(GRIDS).filter((n) => GRIDS[n]!.preset !== "tiny" && n !== "main");
  for (const name of selfPlay) {
    const grid = await loadGrid(name);
    for (const cell of planGrid({ grid, seeds: 1, runsDir: "runs" })) {
      const variant = grid.variants.find((v) => v.name === cell.variant)!;
      const cfg = parseConfigArgs(cell.args).config;
      assert.equal(cfg.lr, (variant.overrides.lr as number | undefined) ?? GRID_LR, cell.name);
    }
  }
});

Deno.test("the main grid's default cell trains as deno task train does; only its evals differ", async () => {
  const grid = await loadGrid("main");
  const cells = planGrid({ grid, seeds: 1, runsDir: "runs/main", minutes: 20 });
  const cell = cells.find((c) => c.variant === "default")!;
  const cfg = parseConfigArgs(cell.args).config as Record<string, unknown>;
  const shipped = resolveConfig({ preset: "default" }) as Record<string, unknown>;
  const evalOnly = ["evalEvery", "evalGenerator", "evalBeyond", "searchMaxEvals"];
  const differ = Object.keys(shipped).filter((k) =>
    JSON.stringify(cfg[k]) !== JSON.stringify(shipped[k])
  );
  assert.deepEqual(differ.sort(), ["name", "runsDir", ...evalOnly].sort());
  // replay_even (the default before): the default but for its replay's view weights.
  const even = parseConfigArgs(cells.find((c) => c.variant === "replay_even")!.args)
    .config as Record<string, unknown>;
  assert.deepEqual(
    Object.keys(cfg).filter((k) => JSON.stringify(cfg[k]) !== JSON.stringify(even[k])).sort(),
    ["name", "pretrainViewWeights"],
  );
  assert.deepEqual(even.pretrainViewWeights, {});
  // The base cell: the same weights, no step.
  const base = parseConfigArgs(cells.find((c) => c.variant === "base")!.args).config;
  assert.equal(base.steps, 0);
  assert.equal(base.init, shipped.init);
});
