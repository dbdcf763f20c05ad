/**
 * What the buffers start from: the paper's identity seeds, or (config `seedBuffers: generator`)
 * tasks of the generator's train split, whose outputs the sandbox reproduces and whose programs
 * never come from the held-out behaviours.
 */
import assert from "node:assert/strict";
import { resolveConfig } from "../../lib/config.ts";
import { configSplit } from "../../lib/eval/bank_split.ts";
import { buildBank, programKey } from "../../lib/lang/generate.ts";
import { Rng } from "../../lib/rng.ts";
import { createSandbox } from "../../lib/sandbox/mod.ts";
import type { TaskRecord } from "../../lib/tasks/records.ts";
import { bufferSeeds, generatorSeeds, identitySeeds } from "../../lib/tasks/seed.ts";

const cfg = resolveConfig({ preset: "tiny" });
const bank = buildBank({
  world: cfg,
  maxSize: 3,
  signatures: ["(int[]) -> int[]", "(int) -> int", "(int[]) -> int"],
});
const split = configSplit(bank, { ...cfg, pretrainHeldOut: 0.3 });
const keys = (b: typeof bank) =>
  new Set(b.signatures.flatMap((s) => s.programs.map((p) => programKey(p.tokens))));

Deno.test("generatorSeeds: n tasks per type from the given split, outputs the sandbox reproduces", async () => {
  const seeds = generatorSeeds(new Rng(3), split.train, 10, { inductionN: 6 });
  const train = keys(split.train);
  const held = keys(split.heldout);
  assert.ok(held.size > 0, "the split holds some behaviours out");
  const jobs: { program: string; args: unknown[]; want: unknown }[] = [];
  for (const task of ["deduction", "abduction", "induction"] as const) {
    assert.equal(seeds[task].length, 10);
    for (const r of seeds[task]) {
      assert.equal(r.task, task);
      assert.equal(r.step, -1, "seeds carry step -1");
      assert.ok(train.has(programKey(r.tokens)), `${r.program} is a train-split program`);
      assert.ok(!held.has(programKey(r.tokens)), `${r.program} is not held out`);
      if (r.task === "induction") {
        assert.equal(r.examples.length, 6);
        assert.equal(r.shown, 3);
        for (const e of r.examples) {
          jobs.push({ program: r.program, args: e.input, want: e.output });
        }
      } else jobs.push({ program: r.program, args: r.input, want: r.output });
    }
  }
  await using sb = await createSandbox({ poolSize: 1 });
  const results = await sb.run(
    jobs.map((j) => ({ program: j.program, args: j.args as never[] })),
  );
  results.forEach((res, i) => {
    assert.ok(res.ok, `${jobs[i]!.program} runs`);
    assert.deepEqual(
      res.value,
      jobs[i]!.want,
      `${jobs[i]!.program} on ${JSON.stringify(jobs[i]!.args)}`,
    );
  });
});

Deno.test("bufferSeeds: identity by default; generator seeds fixed by the run's seed", async () => {
  let reads = 0;
  const train = () => {
    reads++;
    return Promise.resolve(split.train);
  };
  assert.deepEqual(await bufferSeeds(cfg, train), identitySeeds());
  assert.equal(reads, 0, "the paper's seeds need no bank");

  const gen = (seed: number) =>
    bufferSeeds({ ...cfg, seedBuffers: "generator", seedTasks: 8, seed }, train);
  const a = await gen(0);
  assert.deepEqual(await gen(0), a, "same seed, same tasks");
  const programs = (s: Record<string, TaskRecord[]>) =>
    Object.values(s).flat().map((r) => r.program + JSON.stringify(r));
  assert.notDeepEqual(programs(await gen(1)), programs(a), "another seed, other tasks");
  assert.equal(reads, 3);
  for (const records of Object.values(a)) assert.equal(records.length, 8);
});
