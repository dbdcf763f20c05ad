import assert from "node:assert/strict";
import {
  compareGains,
  comparePaired,
  formatPaired,
  runOutcomes,
} from "../../lib/eval/paired_main.ts";

const o = (id: string, task: string, score: number) => ({
  suite: "s",
  id,
  task,
  score,
  answer: "",
});

/** A run folder with an eval.json of the given shape. */
async function run(dir: string, name: string, evalJson: unknown): Promise<string> {
  await Deno.mkdir(`${dir}/${name}`, { recursive: true });
  await Deno.writeTextFile(`${dir}/${name}/eval.json`, JSON.stringify(evalJson));
  return `${dir}/${name}`;
}

Deno.test("paired CLI: a pre-training base against self-play seeds, per set and task type", async () => {
  const dir = await Deno.makeTempDir({ prefix: "azr-paired-cli-" });
  try {
    // Pre-training's shape: one object per set.
    const base = await run(dir, "base", {
      step: 10,
      generator: { outcomes: [o("g0", "deduction", 0), o("g1", "deduction", 1)] },
      train: { outcomes: [o("t0", "deduction", 1)] },
      suite: { outcomes: [o("d0", "deduction", 0), o("a0", "abduction", 1)] },
    });
    // Self-play's shape: the suites at the top, the generator set beside them; no train set.
    const sp = (name: string, g0: number, d0: number) =>
      run(dir, name, {
        step: 5,
        outcomes: [o("d0", "deduction", d0), o("a0", "abduction", 1)],
        generator: { outcomes: [o("g0", "deduction", g0), o("g1", "deduction", 1)] },
        beyond: { outcomes: [o("b0", "induction", g0)] },
      });
    const v0 = await sp("v0", 1, 0);
    const v1 = await sp("v1", 1, 1);
    assert.deepEqual(Object.keys(await runOutcomes(base)).sort(), ["generator", "suite", "train"]);
    const rows = await comparePaired([base], [v0, v1]);
    // The train set is not in the self-play runs, beyond not in the pre-training one: not compared.
    assert.deepEqual(rows.map((r) => `${r.set}/${r.task}`), [
      "generator/deduction",
      "suite/deduction",
      "suite/abduction",
    ]);
    // generator: both seeds gain g0 → +1/2; suite deduction: seed 1 gains d0 → +1/2 over 2 seeds.
    assert.equal(rows[0]!.diff.mean, 0.5);
    assert.equal(rows[1]!.diff.mean, 0.5);
    assert.equal(rows[2]!.diff.mean, 0);
    assert.match(formatPaired(rows), /generator\s+deduction\s+100\.0\s+50\.0\s+\+50\.0/);
    // Two self-play runs share the set beyond the bank: seed 1 (v1 against v0) is compared there.
    const beyond = (await comparePaired([v0], [v1])).filter((r) => r.set === "beyond");
    assert.deepEqual(beyond.map((r) => [r.task, r.diff.mean]), [["induction", 0]]);
    const v2 = await sp("v2", 0, 0);
    const lost = (await comparePaired([v0], [v2])).filter((r) => r.set === "beyond");
    assert.deepEqual(lost.map((r) => [r.task, r.diff.mean]), [["induction", -1]]);

    await assert.rejects(() => comparePaired([base, base, base], [v0, v1]), /one per --variant/);
    await assert.rejects(
      () => comparePaired([`${dir}/none`], [v0]),
      /Cannot read .*none\/eval.json/,
    );
    const bad = await run(dir, "bad", { outcomes: [{ id: 1 }] });
    await assert.rejects(() => comparePaired([bad], [v0]), /Cannot read .*bad\/eval.json/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("paired CLI: --minus-base/--minus-variant give the difference of two gains", async () => {
  const dir = await Deno.makeTempDir({ prefix: "azr-paired-gains-" });
  try {
    const sp = (name: string, ...g: number[]) =>
      run(dir, name, {
        step: 5,
        outcomes: [o("d0", "deduction", 1)],
        generator: { outcomes: g.map((x, i) => o(`g${i}`, "abduction", x)) },
      });
    // From base a (1 of 4 right) the recipe reaches 3 of 4: +2/4. From base b (2 of 4) it
    // reaches 3 of 4: +1/4. The gains differ by +1/4 on the generator set, by 0 on the suite.
    const [a, va] = [await sp("a", 1, 0, 0, 0), await sp("va", 1, 1, 1, 0)];
    const [b, vb] = [await sp("b", 1, 1, 0, 0), await sp("vb", 1, 1, 1, 0)];
    const rows = await compareGains([a], [va], [b], [vb]);
    assert.deepEqual(rows.map((r) => [r.set, r.task, r.diff.variant, r.diff.base, r.diff.mean]), [
      ["generator", "abduction", 0.5, 0.25, 0.25],
      ["suite", "deduction", 0, 0, 0],
    ]);
    assert.match(formatPaired(rows, true), /generator\s+abduction\s+\+50\.0\s+\+25\.0\s+\+25\.0/);
    await assert.rejects(() => compareGains([a], [va, va], [b], [vb]), /as many --minus-variant/);
    await assert.rejects(
      () => compareGains([a, a, a], [va, va], [b], [vb, vb]),
      /one per --variant/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("paired CLI: --by signature reads the signatures eval.json keeps and splits the rows", async () => {
  const dir = await Deno.makeTempDir({ prefix: "azr-paired-by-" });
  try {
    const g = (id: string, score: number, signature: string, size: number) => ({
      ...o(id, "deduction", score),
      signature,
      size,
    });
    const side = (name: string, a: number, b: number, c: number) =>
      run(dir, name, {
        step: 1,
        outcomes: [],
        generator: {
          outcomes: [
            g("a", a, "(int) -> int", 2),
            g("b", b, "(int) -> int", 4),
            g("c", c, "(int[]) -> bool", 4),
          ],
        },
      });
    const base = await side("base", 0, 1, 1);
    const variant = await side("v", 1, 1, 0);
    const bySig = (await comparePaired([base], [variant], "signature"))
      .map((r) => [r.task, r.diff.mean]);
    assert.deepEqual(bySig, [["deduction (int) -> int", 0.5], ["deduction (int[]) -> bool", -1]]);
    const bySize = (await comparePaired([base], [variant], "size")).map((
      r,
    ) => [r.task, r.diff.mean]);
    assert.deepEqual(bySize, [["deduction size 2", 1], ["deduction size 4", -0.5]]);
    const text = formatPaired(await comparePaired([base], [variant], "signature"));
    assert.match(text, /^set\s+task\s+variant %/);
    assert.match(text, /generator\s+deduction \(int\[\]\) -> bool\s+0\.0\s+100\.0\s+-100\.0/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("paired CLI: reports written with --passAt pair their sampled accuracy as 'SET sampled'", async () => {
  const dir = await Deno.makeTempDir({ prefix: "azr-paired-sampled-" });
  try {
    const report = async (name: string, greedy: number[], sampled?: number[]) => {
      const path = `${dir}/${name}.json`;
      await Deno.writeTextFile(
        path,
        JSON.stringify({
          set: "heldout",
          outcomes: greedy.map((x, k) => o(`t${k}`, "abduction", x)),
          ...(sampled
            ? { sampledOutcomes: sampled.map((x, k) => o(`t${k}`, "abduction", x)) }
            : {}),
        }),
      );
      return path;
    };
    // Greedy falls by a quarter while the share of right samples rises by (0.5 + 0.25) / 4.
    const base = await report("base", [1, 1, 0, 1], [0.5, 0.75, 0, 0.25]);
    const rl = await report("rl", [1, 0, 0, 1], [1, 0.75, 0, 0.5]);
    assert.deepEqual(Object.keys(await runOutcomes(rl)), ["generator", "generator sampled"]);
    const rows = await comparePaired([base], [rl]);
    assert.deepEqual(rows.map((r) => [r.set, r.task, r.diff.mean]), [
      ["generator", "abduction", -0.25],
      ["generator sampled", "abduction", 0.1875],
    ]);
    assert.match(formatPaired(rows), /^generator sampled abduction /m);
    // A report without samples pairs on the greedy set alone.
    const plain = await report("plain", [0, 0, 0, 1]);
    assert.deepEqual((await comparePaired([base], [plain])).map((r) => r.set), ["generator"]);
    // A sampled share outside [0, 1] is refused like any malformed report.
    const bad = await report("bad", [1, 1, 1, 1], [1.5, 0, 0, 0]);
    await assert.rejects(
      () => runOutcomes(bad),
      /bad\.json: not a report of deno task eval --json/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("paired CLI: two reports of deno task eval --json, paired on their one set", async () => {
  const dir = await Deno.makeTempDir({ prefix: "azr-paired-json-" });
  try {
    const report = async (name: string, scores: number[], set = "train") => {
      const path = `${dir}/${name}.json`;
      await Deno.writeTextFile(
        path,
        JSON.stringify({
          checkpoint: name,
          step: 1,
          set,
          programs: "lambda",
          accuracy: {},
          outcomes: scores.map((x, k) => o(`t${k}`, "deduction", x)),
        }),
      );
      return path;
    };
    const a = await report("a", [0, 0, 1, 1]);
    const b = await report("b", [1, 0, 1, 1]);
    assert.deepEqual(Object.keys(await runOutcomes(a)), ["train"]);
    const rows = await comparePaired([a], [b]);
    assert.deepEqual(rows.map((r) => [r.set, r.task, r.diff.mean]), [["train", "deduction", 0.25]]);
    const held = await report("held", [1, 1, 1, 1], "heldout");
    assert.deepEqual(Object.keys(await runOutcomes(held)), ["generator"]);
    // Reports of different sets have nothing to pair; a JSON file that is no eval report is refused.
    await assert.rejects(() => comparePaired([a], [held]), /share no eval set/);
    await Deno.writeTextFile(`${dir}/other.json`, JSON.stringify({ rows: [] }));
    await assert.rejects(
      () => runOutcomes(`${dir}/other.json`),
      /other\.json: not a report of deno task eval --json/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
