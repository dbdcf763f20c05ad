/**
 * The ablation runner end to end: the `tiny` grid (2 variants × 2 seeds × 2 steps) run as real
 * trainer subprocesses in a temp folder, its summary checked against the runs' own files, a rerun
 * that must skip everything, and a continued grid after interrupted runs.
 */
import assert from "node:assert/strict";
import { DOMParser } from "linkedom";
import {
  gridSelfPlay,
  gridSolved,
  loadGrid,
  runGrid,
  summarizeGrid,
  summaryTable,
  writeSelfPlay,
  writeSolved,
  writeSummary,
} from "../../lib/ablate/mod.ts";
import { ablateCli, snapshot } from "./helpers.ts";

const SEEDS = 2;
const STEPS = 2;
const VARIANTS = ["azr", "random_tasks"];
const TASKS = ["abduction", "deduction", "induction"];
const RUNS = VARIANTS.flatMap((v) => [0, 1].map((s) => `tiny-${v}-s${s}`));

/** A run's `summary.json`, read directly (not through the code under test). */
interface RawSummary {
  step: number;
  stepsPerS: number;
  eval: Record<string, number>;
  evalSearch?: Record<string, number>;
}

async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await Deno.readTextFile(path)) as T;
}

/** The last lines of every failed run's log, so a failure says why. */
async function failureLogs(failed: { name: string; log: string }[]): Promise<string> {
  const tails = await Promise.all(failed.map(async (f) => {
    const text = await Deno.readTextFile(f.log).catch((e) => `(no log: ${e})`);
    return `--- ${f.name} ---\n${text.split("\n").slice(-15).join("\n")}`;
  }));
  return tails.join("\n");
}

/** Tags open and close in order (self-closing allowed), <style> bodies skipped: "well-formed enough". */
function assertBalancedTags(markup: string, what: string): void {
  const body = markup.replace(/<style>[\s\S]*?<\/style>/g, "");
  const stack: string[] = [];
  for (const m of body.matchAll(/<(\/?)([a-zA-Z][\w:-]*)\b[^>]*?(\/?)>/g)) {
    const [, close, tag, selfClose] = m;
    if (selfClose) continue;
    if (!close) stack.push(tag!);
    else assert.equal(stack.pop(), tag, `${what}: </${tag}> closes <${stack.at(-1) ?? "nothing"}>`);
  }
  assert.deepEqual(stack, [], `${what}: unclosed tags`);
}

/** The part of linkedom's parsed document the checks use. */
interface ParsedSvg {
  querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }>;
}

const near = (a: number, b: number, what: string) =>
  assert.ok(Math.abs(a - b) < 1e-9, `${what}: got ${a}, expected ${b}`);

Deno.test({
  name:
    "runGrid + summarizeGrid: tiny grid runs, summary agrees with the runs, rerun skips, grid continues",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const tmp = await Deno.makeTempDir({ prefix: "azr-ablate-" });
    const runsDir = `${tmp}/runs`;
    const outDir = `${tmp}/results/tiny`;
    try {
      const grid = await loadGrid("tiny");
      const opts = { grid, seeds: SEEDS, steps: STEPS, parallel: 2, runsDir, progress: false };

      // ── every run finishes ─────────────────────────────────────────────────
      const first = await runGrid(opts);
      assert.deepEqual(first.failed, [], await failureLogs(first.failed));
      assert.deepEqual([...first.ran].sort(), RUNS);
      assert.deepEqual(first.skipped, []);
      const raw = new Map<string, RawSummary>();
      for (const name of RUNS) {
        const s = await readJson<RawSummary>(`${runsDir}/${name}/summary.json`);
        assert.equal(s.step, STEPS, `${name} ran ${s.step} steps`);
        assert.deepEqual(Object.keys(s.eval).sort(), TASKS, `${name} eval keys`);
        raw.set(name, s);
      }

      // ── the summary: means and CIs computed here from the runs' own files ──
      const summary = await summarizeGrid(grid, SEEDS, runsDir);
      const files = await writeSummary(summary, outDir);
      assert.deepEqual(files.map((f) => f.slice(outDir.length + 1)), [
        "summary.json",
        "summary.md",
        "curves.svg",
        "bars.svg",
      ]);
      const written = await readJson<typeof summary>(`${outDir}/summary.json`);
      assert.equal(written.grid, "tiny");
      assert.deepEqual(written.variants.map((v) => v.variant), VARIANTS);
      for (const v of written.variants) {
        const [a, b] = [0, 1].map((s) => raw.get(`tiny-${v.variant}-s${s}`)!) as [
          RawSummary,
          RawSummary,
        ];
        // Two samples: mean (a+b)/2, sample sd |a−b|/√2, so the CI half-width is t(1) · |a−b| / 2.
        const check = (
          m: { mean: number; ci95: number; n: number },
          x: number,
          y: number,
          what: string,
        ) => {
          assert.equal(m.n, 2, `${what}: n`);
          near(m.mean, (x + y) / 2, `${what} mean`);
          near(m.ci95, 12.706 * Math.abs(x - y) / 2, `${what} ci95`);
        };
        assert.equal(v.seeds, 2);
        for (const t of TASKS) check(v.eval[t]!, a.eval[t]!, b.eval[t]!, `${v.variant} eval/${t}`);
        check(v.stepsPerS, a.stepsPerS, b.stepsPerS, `${v.variant} stepsPerS`);
        check(v.finalStep, a.step, b.step, `${v.variant} finalStep`);
        for (const t of Object.keys(a.evalSearch ?? {})) {
          check(
            v.evalSearch[t]!,
            a.evalSearch![t]!,
            b.evalSearch![t]!,
            `${v.variant} evalSearch/${t}`,
          );
        }
      }

      // Learning curves: mean over seeds of every eval/suite/<task> at every logged step.
      const expected = new Map<string, number[]>();
      for (const name of RUNS) {
        const variant = name.replace(/^tiny-/, "").replace(/-s\d+$/, "");
        const lines = (await Deno.readTextFile(`${runsDir}/${name}/metrics.jsonl`)).trim().split(
          "\n",
        );
        for (const line of lines) {
          const rec = JSON.parse(line) as Record<string, number>;
          for (const t of TASKS) {
            const val = rec[`eval/suite/${t}`];
            if (val === undefined) continue;
            const key = `${variant}|${t}|${rec.step}`;
            expected.set(key, [...(expected.get(key) ?? []), val]);
          }
        }
      }
      // evalEvery=1: the seeding eval (step −1) and one per step, per task and variant.
      assert.equal(expected.size, VARIANTS.length * TASKS.length * (STEPS + 1));
      assert.equal(written.curves.length, expected.size);
      for (const c of written.curves) {
        const xs = expected.get(`${c.variant}|${c.task}|${c.step}`);
        assert.ok(xs, `unexpected curve point ${c.variant} ${c.task} @${c.step}`);
        near(
          c.mean,
          xs.reduce((p, q) => p + q, 0) / xs.length,
          `curve ${c.variant} ${c.task} @${c.step}`,
        );
        assert.ok(c.lo <= c.mean && c.mean <= c.hi);
      }

      // ── self-play diagnostics: every proposal of every seed, pooled per variant ──
      const selfPlay = await gridSelfPlay(grid, SEEDS, runsDir, { windows: 2 });
      await writeSelfPlay(selfPlay, outDir);
      assert.deepEqual(selfPlay.variants.map((v) => [v.variant, v.seeds]), [
        ["azr", 2],
        ["random_tasks", 2],
      ]);
      for (const v of selfPlay.variants) {
        for (const t of TASKS) {
          const rows = v.stats.filter((x) => x.task === t);
          assert.deepEqual(rows.map((x) => [x.fromStep, x.toStep]), [[0, 0], [1, 1]]);
          // tiny: batchSize 2 proposals per task type and step, per seed
          assert.equal(
            rows.reduce((n, x) => n + x.proposals, 0),
            STEPS * 2 * SEEDS,
            `${v.variant} ${t}`,
          );
        }
      }
      // Only the policy curriculum measures learnability: the random one has no solve rates.
      const [azr, rnd] = selfPlay.variants as [
        typeof selfPlay.variants[0],
        typeof selfPlay.variants[0],
      ];
      assert.ok(azr.stats.some((x) => Number.isFinite(x.solvedNever)));
      assert.ok(rnd.stats.every((x) => Number.isNaN(x.solvedNever)));
      assert.match(await Deno.readTextFile(`${outDir}/selfplay.md`), /^# Self-play in grid `tiny`/);

      // ── held-out tasks, task by task, from every run's eval.json ───────────────
      const solved = await gridSolved(grid, SEEDS, runsDir);
      await writeSolved(solved, outDir);
      assert.deepEqual(solved.variants, VARIANTS.map((variant) => ({ variant, seeds: SEEDS })));
      for (const a of solved.answers) {
        let count = 0;
        for (const s of [0, 1]) {
          const e = await readJson<{ outcomes: { task: string }[] }>(
            `${runsDir}/tiny-${a.variant}-s${s}/eval.json`,
          );
          count += e.outcomes.filter((o) => o.task === a.task).length;
        }
        assert.equal(a.tasks, count, `${a.variant} ${a.task}: answers counted`);
        assert.ok(a.distinct >= 1 && a.distinct <= a.tasks);
      }
      assert.match(
        await Deno.readTextFile(`${outDir}/solved.md`),
        /^# Held-out tasks in grid `tiny`/,
      );

      // ── summary.md: the table, one row per variant ────────────────────────
      const md = await Deno.readTextFile(`${outDir}/summary.md`);
      assert.match(md, /^# Grid `tiny`/);
      assert.match(
        md,
        // Task types in the kit's order (the suites' columns; the tiny grid scores no other set).
        /\| variant \| seeds \| deduction % \| abduction % \| induction % \| final step \| steps\/s \|/,
      );
      for (const v of VARIANTS) assert.match(md, new RegExp(`^\\| ${v} \\| 2 \\| `, "m"));
      assert.ok(md.includes(summaryTable(summary)));

      // ── the SVGs: standalone, balanced, with a bar per variant × task and a line per series ──
      const parser = new DOMParser();
      const svgs: Record<string, ParsedSvg> = {};
      for (const name of ["curves.svg", "bars.svg"]) {
        const text = await Deno.readTextFile(`${outDir}/${name}`);
        assert.match(
          text,
          /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/,
          `${name} is a standalone SVG`,
        );
        assert.match(text, /<\/svg>$/);
        assertBalancedTags(text, name);
        svgs[name] = parser.parseFromString(text, "image/svg+xml") as unknown as ParsedSvg;
      }
      const bars = svgs["bars.svg"]!.querySelectorAll('g[aria-label="bar"] rect');
      assert.equal(bars.length, VARIANTS.length * TASKS.length, "one bar per variant × task");
      const lines = svgs["curves.svg"]!.querySelectorAll('g[aria-label="line"] path');
      assert.equal(lines.length, VARIANTS.length * TASKS.length, "one line per variant × task");
      const labels = Array.from(
        svgs["curves.svg"]!.querySelectorAll('g[aria-label="text"] text'),
        (e) => e.textContent,
      );
      for (const v of VARIANTS) assert.ok(labels.includes(v), `curves label ${v} in ${labels}`);

      // ── rerun: every run is finished, nothing is touched ─────────────────
      const before = await snapshot(runsDir);
      const again = await runGrid(opts);
      assert.deepEqual(again, { ran: [], skipped: RUNS, failed: [] });
      assert.deepEqual(await snapshot(runsDir), before, "a rerun changed files of finished runs");

      // ── continue: one run cut short after a checkpoint resumes, one with none restarts ──
      const resumed = "tiny-azr-s1";
      const restarted = "tiny-random_tasks-s0";
      const ckpt = `${resumed}/checkpoints/step-000001/meta.json`;
      assert.ok(before.has(ckpt), `expected a checkpoint file ${ckpt}`);
      const oldLog = await Deno.readTextFile(`${runsDir}/${resumed}/train.log`);
      await Deno.remove(`${runsDir}/${resumed}/summary.json`);
      await Deno.remove(`${runsDir}/${restarted}/summary.json`);
      await Deno.remove(`${runsDir}/${restarted}/checkpoints`, { recursive: true });
      const cont = await runGrid(opts);
      assert.deepEqual(cont.failed, [], await failureLogs(cont.failed));
      assert.deepEqual([...cont.ran].sort(), [restarted, resumed].sort());
      assert.deepEqual(cont.skipped, RUNS.filter((r) => r !== resumed && r !== restarted));
      const after = await snapshot(runsDir);
      assert.equal(after.get(ckpt), before.get(ckpt), "the resumed run was started over");
      const newLog = await Deno.readTextFile(`${runsDir}/${resumed}/train.log`);
      assert.ok(
        newLog.startsWith(oldLog) && newLog.length > oldLog.length,
        "a resumed run appends to its log",
      );
      assert.ok(
        after.has(`${restarted}/checkpoints/latest`),
        "the restarted run has no checkpoint",
      );
      for (const name of [resumed, restarted]) {
        assert.equal((await readJson<RawSummary>(`${runsDir}/${name}/summary.json`)).step, STEPS);
      }
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});

Deno.test("ablate --variants --label: runs the subset's cells under the whole grid's names, its summary in <grid>-<label>", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "azr-ablate-subset-" });
  try {
    const r = await ablateCli([
      "--grid",
      "tiny",
      "--seeds",
      "1",
      "--steps",
      "1",
      "--parallel",
      "1",
      "--variants",
      "random_tasks",
      "--label",
      "sub",
      "--runsDir",
      `${tmp}/runs`,
      "--out",
      `${tmp}/results`,
    ]);
    assert.equal(r.code, 0, r.stderr);
    // Only the named variant ran, named as in the whole grid (a later whole-grid run reuses it).
    assert.deepEqual(
      [...Deno.readDirSync(`${tmp}/runs`)].map((e) => e.name).filter((n) => n.startsWith("tiny-")),
      ["tiny-random_tasks-s0"],
    );
    // The summary covers it alone, in its own folder; the whole grid's folder is not written.
    assert.deepEqual([...Deno.readDirSync(`${tmp}/results`)].map((e) => e.name), ["tiny-sub"]);
    const summary = await readJson<{ grid: string; variants: { variant: string }[] }>(
      `${tmp}/results/tiny-sub/summary.json`,
    );
    assert.equal(summary.grid, "tiny");
    assert.deepEqual(summary.variants.map((v) => v.variant), ["random_tasks"]);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
