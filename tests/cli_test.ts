/**
 * Every entry point as a user calls it: `--help` exits 0 and says how to use it; bad input
 * exits 2 with one line on stderr (no stack trace) that names what to change.
 */
import assert from "node:assert/strict";
import { ConfigError, parseConfigArgs } from "../lib/config.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const text = (b: Uint8Array) => new TextDecoder().decode(b);

async function run(args: string[], cwd = ROOT) {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

/** Runs `f` over `items`, two at a time (the machine has 2 cores). */
async function inPairs<T>(items: T[], f: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += 2) await Promise.all(items.slice(i, i + 2).map(f));
}

Deno.test("--help on every task and benchmark exits 0 with its usage", async () => {
  const cases: [string[], RegExp][] = [
    [
      ["task", "train", "--help"],
      /--preset tiny\|small\|default\|base_deduction\|base_anneal\|base\|base_induction\|base_remix\|base_propose\|base_scratch\|base_quick\|medium\|large[\s\S]*--resume[\s\S]*--lr=/,
    ],
    [["task", "eval", "--help"], /--checkpoint[\s\S]*--set S[\s\S]*--bestOf K[\s\S]*--passAt K/],
    [["task", "report", "--help"], /Usage: deno task report/],
    [["task", "ablate", "--help"], /--grid[\s\S]*--out DIR/],
    [
      ["task", "pretrain", "--help"],
      /Usage: deno task pretrain[\s\S]*--resume[\s\S]*--pretrainSteps=/,
    ],
    [["task", "bench", "--help"], /--quick[\s\S]*--out DIR/],
    [["run", "-A", "lib/trainer/main.ts", "-h"], /Usage: deno task train/],
    ...["lang", "model", "sandbox", "selfplay"].map((b): [string[], RegExp] => [
      ["run", "-A", `bench/${b}.ts`, "--help"],
      new RegExp(`bench/${b}\\.ts[\\s\\S]*--out FILE`),
    ]),
  ];
  await inPairs(cases, async ([args, usage]) => {
    const r = await run(args);
    assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stdout, usage, args.join(" "));
  });
});

Deno.test("bad input on the command line: exit 2, one line on stderr, no stack trace", async () => {
  const runs = await Deno.makeTempDir();
  try {
    // A run folder that exists (what the trainer checks before anything else).
    await Deno.mkdir(`${runs}/taken/checkpoints`, { recursive: true });
    await Deno.writeTextFile(`${runs}/taken/metrics.jsonl`, "");
    const typo = `${runs}/typo.json`;
    await Deno.writeTextFile(typo, JSON.stringify({ lrr: 0.001 }));
    const train = ["run", "-A", "lib/trainer/main.ts"];
    const evalMain = ["run", "-A", "lib/eval/main.ts"];
    const ablate = ["run", "-A", "lib/ablate/main.ts"];
    const paired = ["run", "-A", "lib/eval/paired_main.ts"];
    const pretrain = ["run", "-A", "lib/trainer/pretrain_main.ts"];
    const cases: [string[], RegExp][] = [
      [[...pretrain, "--pretrainViews=dedcution"], /pretrainViews/],
      // One run lifecycle: the same check and message as train's.
      [[...pretrain, "--resume", "--overwrite"], /either --resume .* or --overwrite, not both/],
      [[...pretrain, "--quiet=yes"], /--quiet takes no value/],
      [[...pretrain, `--runsDir=${runs}`, "--name=taken"], /already exists.*--resume.*--overwrite/],
      [[...pretrain, "base"], /Unexpected argument 'base'/],
      [[...train, "--lr=fast"], /expected number.*at lr/],
      [[...train, "--lrr=3"], /unknown key 'lrr' \(did you mean 'lr'\?\)/],
      [
        [...train, "--preset=huge"],
        /unknown preset 'huge'; use one of tiny, small, default, base_deduction, base_anneal, base, base_induction, base_remix, base_propose, base_scratch, base_quick, medium, large/,
      ],
      [[...train, `--config=${typo}`], /typo\.json.*unknown key 'lrr' \(did you mean 'lr'\?\)/],
      [[...train, "tiny"], /Unexpected argument 'tiny'/],
      [[...train, "--resume", "--overwrite"], /either --resume .* or --overwrite, not both/],
      [[...train, "--quiet=yes"], /--quiet takes no value/],
      [[...train, "--from=/nowhere/x"], /not inside a run's checkpoints\/ folder/],
      [[...train, `--runsDir=${runs}`, "--name=taken"], /already exists.*--resume.*--overwrite/],
      [[...train, `--runsDir=${runs}`, "--name=none", "--resume"], /no run in .*drop --resume/],
      [[...train, `--runsDir=${runs}`, "--name=s", "--evalSuites=/nowhere"], /\/nowhere/],
      [evalMain, /Missing --checkpoint/],
      [[...evalMain, "--bogus"], /Unknown option '--bogus' \(see --help\)/],
      [[...evalMain, "--checkpoint=/nowhere"], /Cannot load checkpoint '\/nowhere'/],
      [[...evalMain, "--checkpoint=x", "--limit=many"], /--limit must be a non-negative integer/],
      [[...evalMain, "--checkpoint=x", "--backend=gpu"], /--backend must be one of/],
      [
        [...evalMain, "--checkpoint=x", "--set=all"],
        /--set must be suites, heldout, train or beyond/,
      ],
      [[...evalMain, "--checkpoint=x", "--programs=maps"], /--programs must be all or lambda/],
      [
        [...evalMain, "--checkpoint=x", "--programs=lambda"],
        /--programs lambda needs --set heldout or train, got --set suites/,
      ],
      [[...evalMain, "--checkpoint=x", "--bestOf=-1"], /--bestOf must be a non-negative integer/],
      [[...evalMain, "--checkpoint=x", "--passAt=1.5"], /--passAt must be a non-negative integer/],
      [[...evalMain, "--checkpoint=x", "--search=lots"], /--search must be a non-negative integer/],
      [
        [...evalMain, "--checkpoint=x", "--seedBuffers=bank"],
        /--seedBuffers must be identity or generator, got 'bank'/,
      ],
      [
        [...paired, "--base", "a", "--variant", "b", "--by=program"],
        /--by must be type, size or signature, got 'program'/,
      ],
      [ablate, /Missing --grid/],
      [[...ablate, "--grid=nope"], /Unknown grid 'nope'/],
      [[...ablate, "--grid=tiny", "--seeds=-1"], /--seeds must be a non-negative integer/],
      [[...ablate, "--grid=tiny", "extra"], /Unexpected argument 'extra'/],
      [["run", "-A", "bench/main.ts", "nope"], /No benchmark 'nope'; available: lang/],
      [["run", "-A", "bench/main.ts", "--fast"], /Unknown option '--fast'/],
      [["run", "-A", "bench/sandbox.ts", "--jobs=0"], /--jobs must be at least 1/],
      [["run", "-A", "bench/selfplay.ts", "--steps=two"], /--steps must be a non-negative integer/],
    ];
    await inPairs(cases, async ([args, message]) => {
      const r = await run(args);
      const what = args.slice(2).join(" ");
      assert.equal(r.code, 2, `${what}: exit ${r.code}, stderr: ${r.stderr}`);
      const lines = r.stderr.split("\n").filter((l) => l.trim());
      assert.equal(lines.length, 1, `${what}: one line expected, got:\n${r.stderr}`);
      assert.match(lines[0]!, message, what);
    });
  } finally {
    await Deno.remove(runs, { recursive: true });
  }
});

Deno.test("config file: a misspelled key names the file and the nearest key; 'preset' is applied", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const path = `${dir}/exp.json`;
    Deno.writeTextFileSync(path, JSON.stringify({ preset: "tiny", stpes: 5 }));
    assert.throws(() => parseConfigArgs([`--config=${path}`]), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /exp\.json.*unknown key 'stpes' \(did you mean 'steps'\?\)/);
      return true;
    });
    Deno.writeTextFileSync(path, JSON.stringify({ preset: "tiny", steps: 5, lr: "fast" }));
    assert.throws(() => parseConfigArgs([`--config=${path}`]), /exp\.json.*'lr'.*expected number/);
    Deno.writeTextFileSync(path, JSON.stringify({ preset: "tiny", steps: 5 }));
    const { config, explicitKeys } = parseConfigArgs([`--config=${path}`, "--seed=3"]);
    assert.equal(config.dModel, 32, "tiny's dModel");
    assert.equal(config.steps, 5, "the file over the preset");
    // What was given: the preset's keys, the file's and the command line's (a resume takes these).
    assert.ok(
      ["dModel", "steps", "seed"].every((k) => explicitKeys.includes(k)),
      `${explicitKeys}`,
    );
    assert.ok(!explicitKeys.includes("lr"), "defaults are not given");
    // The command line's --preset wins over the file's.
    assert.equal(parseConfigArgs(["--preset=small", `--config=${path}`]).config.dModel, 64);
    Deno.writeTextFileSync(path, JSON.stringify({ preset: "huge" }));
    assert.throws(() => parseConfigArgs([`--config=${path}`]), /exp\.json.*unknown preset "huge"/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
