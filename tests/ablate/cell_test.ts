/**
 * Cells on the command line: a malformed cell folder is one line on stderr naming the cell
 * (exit 2, no stack trace) whichever command meets it; missing cells are reported by --collect
 * one line each; `--cell K` checks K. The cells are faked (no trainer runs).
 */
import assert from "node:assert/strict";
import { cellState, loadGrid, planGrid } from "../../lib/ablate/mod.ts";
import { parseConfigArgs } from "../../lib/config.ts";
import { RunError } from "../../lib/trainer/run_dir.ts";
import { ablateCli } from "./helpers.ts";

/** The ablate CLI on the `tiny` grid, two seeds. */
const ablate = (args: string[]) => ablateCli(["--grid", "tiny", "--seeds", "2", ...args]);

/** Writes a cell that looks finished (config, summary, a metrics line, no proposals) under `runsDir`. */
async function fakeFinished(runsDir: string, index: number): Promise<string> {
  const cell = planGrid({ grid: await loadGrid("tiny"), seeds: 2, runsDir })[index]!;
  await Deno.mkdir(cell.dir, { recursive: true });
  await Deno.writeTextFile(
    `${cell.dir}/config.json`,
    JSON.stringify(parseConfigArgs(cell.args).config),
  );
  await Deno.writeTextFile(
    `${cell.dir}/summary.json`,
    JSON.stringify({ name: cell.name, step: 2, seconds: 1, stepsPerS: 2, eval: { deduction: 0 } }),
  );
  await Deno.writeTextFile(`${cell.dir}/metrics.jsonl`, `{"step":0,"eval/acc/deduction":0}\n`);
  await Deno.writeTextFile(`${cell.dir}/proposals.jsonl`, "");
  return cell.dir;
}

/** Every command that meets a cell: the summary, the collector, the submitter, the cell itself. */
const ALL = [
  ["--summary-only"],
  ["--collect"],
  ["--launcher", "slurm", "--dry-run"],
  ["--cell", "1"],
];

/** Ways to break cell 1's folder, what the message must say, and the commands that read it. */
const BREAKAGES: {
  why: string;
  breakIt: (dir: string) => Promise<void>;
  says: RegExp;
  commands?: string[][];
}[] = [
  {
    why: "summary.json is not JSON",
    breakIt: (dir) => Deno.writeTextFile(`${dir}/summary.json`, "{ not json"),
    says: /summary\.json: not JSON/,
  },
  {
    why: "summary.json lacks a field",
    breakIt: (dir) => Deno.writeTextFile(`${dir}/summary.json`, `{"name":"x"}`),
    says: /summary\.json: .*step/,
  },
  {
    why: "the cell's folder is a file",
    breakIt: async (dir) => {
      await Deno.remove(dir, { recursive: true });
      await Deno.writeTextFile(dir, "not a folder");
    },
    says: /is not a folder/,
  },
  {
    why: "a finished cell without metrics.jsonl",
    breakIt: (dir) => Deno.remove(`${dir}/metrics.jsonl`),
    says: /metrics\.jsonl/,
    commands: [["--summary-only"], ["--collect"]], // only the summary reads metrics
  },
  {
    why: "a finished cell without config.json",
    breakIt: (dir) => Deno.remove(`${dir}/config.json`),
    says: /config\.json is missing/,
    // The summary does not check settings; the commands that reuse or skip a cell do.
    commands: [["--collect"], ["--launcher", "slurm", "--dry-run"], ["--cell", "1"]],
  },
  {
    why: "config.json is not an object",
    breakIt: (dir) => Deno.writeTextFile(`${dir}/config.json`, "[1, 2]"),
    says: /config\.json/,
    commands: [["--collect"], ["--cell", "1"]],
  },
];

Deno.test("a malformed cell folder: one line naming the cell, exit 2, from every command", async () => {
  for (const b of BREAKAGES) {
    const runsDir = await Deno.makeTempDir();
    try {
      await fakeFinished(runsDir, 0);
      await b.breakIt(await fakeFinished(runsDir, 1));
      for (const cmd of b.commands ?? ALL) {
        const r = await ablate([...cmd, "--runsDir", runsDir]);
        const what = `${b.why}, ${cmd.join(" ")}`;
        assert.equal(r.code, 2, `${what}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
        const lines = r.stderr.trim().split("\n");
        assert.equal(lines.length, 1, `${what}: not one line:\n${r.stderr}`);
        assert.match(lines[0]!, /^cell 1 \(tiny-azr-s1\): /, what);
        assert.match(lines[0]!, b.says, what);
        assert.doesNotMatch(r.stderr, /^\s+at /m, `${what}: a stack trace`);
      }
    } finally {
      await Deno.remove(runsDir, { recursive: true });
    }
  }
});

Deno.test("--collect names every missing cell on its line; exit 1 while any is unfinished", async () => {
  const runsDir = await Deno.makeTempDir();
  try {
    await fakeFinished(runsDir, 2);
    // Cell 3 started but never checkpointed; cell 1 was stopped after a checkpoint.
    await Deno.mkdir(`${runsDir}/tiny-random_tasks-s1`);
    await Deno.mkdir(`${runsDir}/tiny-azr-s1/checkpoints`, { recursive: true });
    await Deno.writeTextFile(`${runsDir}/tiny-azr-s1/checkpoints/latest`, "step-000001\n");
    await Deno.writeTextFile(`${runsDir}/tiny-azr-s1/train.log`, "a\nb\nlast words\n");
    const r = await ablate(["--collect", "--runsDir", runsDir]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(r.stderr, "");
    assert.match(r.stdout, /^1 of 4 cells finished$/m);
    assert.match(r.stdout, /^cell 0 tiny-azr-s0: missing: never started$/m);
    assert.match(
      r.stdout,
      /^cell 1 tiny-azr-s1: not finished: stopped at checkpoint step-000001 \(the next run resumes it\)$/m,
    );
    assert.match(
      r.stdout,
      /^ {2}log .*\/tiny-azr-s1\/train\.log, last lines:\n {4}a\n {4}b\n {4}last words$/m,
    );
    assert.match(r.stdout, /^cell 3 tiny-random_tasks-s1: not finished: no checkpoint/m);
    assert.doesNotMatch(r.stdout, /^cell 2 /m, "a finished cell is not reported");
    // The summary covers the finished cell.
    const summary = JSON.parse(await Deno.readTextFile(`${runsDir}/results/tiny/summary.json`));
    assert.deepEqual(summary.variants.map((v: { seeds: number }) => v.seeds), [0, 1]);
  } finally {
    await Deno.remove(runsDir, { recursive: true });
  }
});

Deno.test("--cell: an index outside the grid, and a finished cell that is skipped", async () => {
  const runsDir = await Deno.makeTempDir();
  try {
    const out = await ablate(["--cell", "4", "--runsDir", runsDir]);
    assert.equal(out.code, 2);
    assert.equal(out.stderr.trim(), "--cell 4: grid 'tiny' with --seeds 2 has cells 0-3");
    await fakeFinished(runsDir, 2);
    const done = await ablate(["--cell", "2", "--runsDir", runsDir]);
    assert.equal(done.code, 0, done.stderr);
    assert.match(
      done.stdout,
      /^cell 2 \(tiny-random_tasks-s0\): already finished, nothing to run$/m,
    );
  } finally {
    await Deno.remove(runsDir, { recursive: true });
  }
});

Deno.test("cellState: missing, started, interrupted, finished; other settings are a RunError", async () => {
  const runsDir = await Deno.makeTempDir();
  try {
    const cells = planGrid({ grid: await loadGrid("tiny"), seeds: 2, runsDir });
    await fakeFinished(runsDir, 0);
    await Deno.mkdir(cells[1]!.dir);
    await Deno.mkdir(`${cells[2]!.dir}/checkpoints`, { recursive: true });
    await Deno.writeTextFile(`${cells[2]!.dir}/checkpoints/latest`, "step-000003\n");
    const states = await Promise.all(cells.map(cellState));
    assert.deepEqual(states.map((s) => s.kind), ["finished", "started", "interrupted", "missing"]);
    assert.deepEqual(states[2], { kind: "interrupted", checkpoint: "step-000003" });
    // The same folder planned with another budget must not count as finished.
    const other = planGrid({ grid: await loadGrid("tiny"), seeds: 2, runsDir, steps: 5 })[0]!;
    await assert.rejects(cellState(other), (e: Error) => {
      assert.ok(e instanceof RunError);
      assert.match(e.message, /finished with steps=2 but the grid now asks for 5/);
      return true;
    });
  } finally {
    await Deno.remove(runsDir, { recursive: true });
  }
});
