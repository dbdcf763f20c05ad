/**
 * The self-play report from a real tiny run (evalEvery = 0): the final eval's table with the
 * k/n of eval.json and its chance levels, a held-out chart that is not empty, no figure twice,
 * numbers rounded; and `deno task report` (one run, several runs, bad input → exit 2).
 */
import assert from "node:assert/strict";
import { resolveConfig } from "../../lib/config.ts";
import { formatKN } from "../../lib/eval/baselines.ts";
import { initBackend } from "../../lib/model/backend.ts";
import { train } from "../../lib/trainer/loop.ts";
import { EvalFinalSchema, readRunJson } from "../../lib/trainer/run_files.ts";

await initBackend("wasm", { log: false });
const runsDir = await Deno.makeTempDir();
for (const name of ["a", "b"]) {
  await train(
    resolveConfig({ preset: "tiny", overrides: { runsDir, name, steps: 2, evalEvery: 0 } }),
  );
}

const report = (args: string[]) =>
  new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "lib/trainer/report_main.ts", ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();

Deno.test("report.html holds the final eval's k/n beside its chance levels, once per figure", async () => {
  const html = await Deno.readTextFile(`${runsDir}/a/report.html`);
  const final = (await readRunJson(`${runsDir}/a/eval.json`, EvalFinalSchema))!;
  assert.equal(final.step, 2, "eval.json counts steps done");
  assert.match(html, /Final held-out eval after 2 steps/);
  for (const [task, c] of Object.entries(final.counts!)) {
    assert.ok(html.includes(`model ${formatKN(c.k, c.n)}`), `${task}: model k/n`);
    for (const b of final.baselines![task] ?? []) {
      assert.ok(html.includes(`${b.name} ${formatKN(b.k, b.n)}`), `${task}: ${b.name}`);
    }
  }
  assert.match(html, /search@\d+ \d+\/\d+/);
  // evalEvery = 0: the held-out chart shows the final eval, not nothing.
  const heldOut = html.split("<h2>Held-out accuracy per task type</h2>")[1]!.split("<section>")[0]!;
  assert.match(heldOut, /<svg/);
  assert.doesNotMatch(html, /No held-out eval yet/);
  // No figure twice (solver reward and accuracy were the same chart).
  const titles = [...html.matchAll(/<h2>(.*?)<\/h2>/g)].map((m) => m[1]);
  assert.equal(new Set(titles).size, titles.length);
  assert.doesNotMatch(html, /Solver reward/);
  // Rounded numbers: every decimal in the last-step table has at most 3 significant digits
  // (0.00641 is rounded; 0.0064123 or 0.30000000000000004 is not).
  const lastStep = html.split("<h2>Last step")[1]!.split("<h2>")[0]!;
  const decimals = [...lastStep.matchAll(/\d+\.\d+/g)].map((m) => m[0]);
  assert.ok(decimals.length > 0, "the last-step table shows decimals");
  for (const d of decimals) {
    const significant = d.replace(".", "").replace(/^0+/, "");
    assert.ok(significant.length <= 3, `${d} in the last-step table is not rounded`);
  }
});

Deno.test("deno task report: one run rewrites its report, several are overlaid, bad input exits 2", async () => {
  await Deno.remove(`${runsDir}/a/report.html`);
  const one = await report([`${runsDir}/a`]);
  assert.equal(one.code, 0);
  assert.match(new TextDecoder().decode(one.stdout), /report: .*a\/report\.html/);
  assert.ok((await Deno.stat(`${runsDir}/a/report.html`)).isFile);

  const out = `${runsDir}/cmp.html`;
  const two = await report([`${runsDir}/a`, `${runsDir}/b`, "--out", out]);
  assert.equal(two.code, 0);
  const html = await Deno.readTextFile(out);
  assert.match(html, /<code>a<\/code>.*<code>b<\/code>/s);
  assert.match(html, /Proposer reward/);

  for (const args of [[], [`${runsDir}/missing`], ["--bogus", `${runsDir}/a`]]) {
    const bad = await report(args);
    assert.equal(bad.code, 2, args.join(" "));
    const err = new TextDecoder().decode(bad.stderr).trim();
    assert.equal(err.split("\n").length, 1, err);
  }
});
