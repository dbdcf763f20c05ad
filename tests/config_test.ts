import assert from "node:assert/strict";
import { ConfigError, parseConfigArgs, resolveConfig } from "../lib/config.ts";

Deno.test("config: good overrides parse to the right types", async (t) => {
  const cases: { argv: string[]; check: Record<string, unknown> }[] = [
    // numbers read as JSON, scientific notation included
    { argv: ["--lr=1e-3"], check: { lr: 0.001 } },
    // a space-separated value works like '='
    { argv: ["--steps", "7"], check: { steps: 7 } },
    // a string field keeps its raw text even when it looks like a number
    { argv: ["--name=123"], check: { name: "123" } },
    // a bare boolean flag means true; =false turns it off
    { argv: ["--trainProposer=false"], check: { trainProposer: false } },
    { argv: ["--rolloutGreedy"], check: { rolloutGreedy: true } },
    // comma-separated enum list
    { argv: ["--taskTypes=deduction,induction"], check: { taskTypes: ["deduction", "induction"] } },
    // presets apply first, overrides last
    {
      argv: ["--preset=tiny", "--dModel=48", "--nHeads=3"],
      check: { dModel: 48, nHeads: 3, nLayers: 1 },
    },
    { argv: ["--estimator=grpo"], check: { estimator: "grpo" } },
  ];
  for (const { argv, check } of cases) {
    await t.step(argv.join(" "), () => {
      const { config } = parseConfigArgs(argv);
      for (const [k, v] of Object.entries(check)) {
        assert.deepEqual(config[k as keyof typeof config], v, k);
      }
    });
  }
});

Deno.test("config: bad input gives a message naming the key and the fix", async (t) => {
  const cases: { argv: string[]; message: RegExp }[] = [
    // unknown key, with a suggestion of the nearest one
    { argv: ["--lrr=3"], message: /unknown key 'lrr' \(did you mean 'lr'\?\)/ },
    // wrong type
    { argv: ["--lr=fast"], message: /expected number[\s\S]*at lr/ },
    // out of range
    { argv: ["--lr=-1"], message: /Too small[\s\S]*at lr/ },
    { argv: ["--steps=1.5"], message: /expected int[\s\S]*at steps/ },
    // enum value
    { argv: ["--estimator=ppo"], message: /trr\+\+[\s\S]*at estimator/ },
    { argv: ["--taskTypes=deduction,foo"], message: /at taskTypes\[1\]/ },
    // cross-field rule
    { argv: ["--dModel=30", "--nHeads=4"], message: /'nHeads' \(4\) must divide 'dModel' \(30\)/ },
    {
      argv: ["--minProposalSize=4", "--maxProposalSize=3"],
      message: /'minProposalSize' \(4\) is above 'maxProposalSize' \(3\)/,
    },
    {
      argv: ["--solveOnRollouts=true", "--solverBatch=128"],
      message: /'solveOnRollouts' excludes 'solverBatch'/,
    },
    {
      argv: ["--solveOnRollouts=true", "--generatorTasks=8"],
      message: /'solveOnRollouts' excludes 'generatorTasks'/,
    },
    {
      argv: ["--solveOnRollouts=true", "--rolloutGreedy=true"],
      message: /'solveOnRollouts' excludes 'rolloutGreedy'/,
    },
    // unknown preset
    {
      argv: ["--preset=huge"],
      message:
        /unknown preset 'huge'; use one of tiny, small, default, base_deduction, base_anneal, base, base_induction, base_remix, base_propose, base_scratch, base_quick, medium, large/,
    },
    // missing value
    { argv: ["--lr"], message: /'--lr' needs a value/ },
    // file that does not exist
    { argv: ["--config=/nonexistent/x.json"], message: /Cannot read config file/ },
  ];
  for (const { argv, message } of cases) {
    await t.step(argv.join(" "), () => {
      assert.throws(() => parseConfigArgs(argv), (e: unknown) => {
        assert.ok(e instanceof ConfigError, `expected ConfigError, got ${e}`);
        assert.match(e.message, message);
        return true;
      });
    });
  }
});

Deno.test("config: --config file is applied between preset and overrides", () => {
  const path = Deno.makeTempFileSync({ suffix: ".json" });
  try {
    Deno.writeTextFileSync(path, JSON.stringify({ lr: 0.002, steps: 9 }));
    const { config } = parseConfigArgs(["--preset=tiny", `--config=${path}`, "--steps=11"]);
    assert.equal(config.lr, 0.002);
    assert.equal(config.steps, 11);
    assert.equal(config.dModel, 32); // from tiny
    Deno.writeTextFileSync(path, "{ not json");
    assert.throws(() => parseConfigArgs([`--config=${path}`]), /Cannot parse config file/);
    Deno.writeTextFileSync(path, JSON.stringify({ nosuch: 1 }));
    assert.throws(() => parseConfigArgs([`--config=${path}`]), /unknown key 'nosuch'/);
  } finally {
    Deno.removeSync(path);
  }
});

Deno.test("config: extra flags pass through, everything else is checked", () => {
  const { flags, positional, config } = parseConfigArgs(["--resume", "--checkpoint=x.ckpt", "go"], [
    "resume",
    "checkpoint",
  ]);
  assert.deepEqual(flags, { resume: true, checkpoint: "x.ckpt" });
  assert.deepEqual(positional, ["go"]);
  assert.equal(config.name, "azr");
  assert.throws(() => resolveConfig({ overrides: { steps: -1 } }), /at steps/);
});
