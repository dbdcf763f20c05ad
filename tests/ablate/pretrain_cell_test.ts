/**
 * A grid cell that pre-trains instead of self-playing (the `pretrain_more` control): it runs
 * `deno task pretrain` as a real subprocess, starts from the grid's base, is scored on the same
 * generator tasks as the self-play cells, and enters the summary and its paired table.
 */
import assert from "node:assert/strict";
import {
  GridSchema,
  gridSelfPlay,
  gridSolved,
  runGrid,
  summarizeGrid,
} from "../../lib/ablate/mod.ts";
import { resolveConfig } from "../../lib/config.ts";
import { initBackend } from "../../lib/model/backend.ts";
import { pretrain } from "../../lib/trainer/pretrain.ts";

await initBackend("wasm", { log: false });

interface RawOutcome {
  id: string;
  answer: string;
  score: number;
}

async function generatorOutcomes(dir: string): Promise<RawOutcome[]> {
  const e = JSON.parse(await Deno.readTextFile(`${dir}/eval.json`));
  return e.generator.outcomes;
}

Deno.test({
  name:
    "a pre-training cell: from the base, same generator tasks, summary and pairing; the beyond set",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const tmp = await Deno.makeTempDir({ prefix: "azr-pretrain-cell-" });
    const runsDir = `${tmp}/runs`;
    const shared = {
      pretrainMaxSize: 3,
      evalGenerator: 5,
      pretrainEvalTasks: 5,
      evalLimit: 20,
      sandboxTimeoutMs: 2000,
    };
    try {
      // The grid's base: a few pre-training steps in this world.
      await pretrain(resolveConfig({
        preset: "tiny",
        overrides: { ...shared, runsDir, name: "b0", pretrainSteps: 6, pretrainEvalEvery: 0 },
      }));
      const init = `${runsDir}/b0`;
      const grid = GridSchema.parse({
        name: "pc",
        preset: "tiny",
        base: { ...shared, init, evalEvery: 5, evalBeyond: 3, evalTrain: 5 },
        pairedWith: "base",
        variants: [
          { name: "base", overrides: { steps: 0 } },
          { name: "azr" },
          {
            name: "more0",
            command: "pretrain",
            overrides: { pretrainInit: init, pretrainSteps: 0, pretrainEvalEvery: 0 },
          },
          {
            name: "more",
            command: "pretrain",
            overrides: { pretrainInit: init, pretrainEvalEvery: 0, pretrainLrSchedule: "constant" },
          },
        ],
      });
      const r = await runGrid({ grid, seeds: 1, steps: 3, parallel: 2, runsDir, progress: false });
      assert.deepEqual(r.failed, [], JSON.stringify(r.failed));

      // The pre-training cell ran pretrain: its summary is pre-training's, with 3 steps (--steps).
      const more = JSON.parse(await Deno.readTextFile(`${runsDir}/pc-more-s0/summary.json`));
      assert.equal(more.steps, 3);
      assert.ok("accuracy" in more && "bank" in more);

      // With no step, it answers every generator task as the base does: the same tasks, the same
      // weights (a seeded init or other tasks would not give the same answers on all of them).
      const base = await generatorOutcomes(`${runsDir}/pc-base-s0`);
      const more0 = await generatorOutcomes(`${runsDir}/pc-more0-s0`);
      assert.equal(base.length, 15);
      assert.deepEqual(
        more0.map((o) => [o.id, o.answer, o.score]),
        base.map((o) => [o.id, o.answer, o.score]),
      );

      // The summary reads both kinds of cell; the final generator eval is the run's own.
      const s = await summarizeGrid(grid, 1, runsDir);
      const row = s.variants.find((v) => v.variant === "more")!;
      assert.equal(row.seeds, 1);
      assert.equal(row.finalStep.mean, 3);
      for (const [task, acc] of Object.entries(more.accuracy.generator as Record<string, number>)) {
        assert.equal(row.eval[`generator/${task}`]!.mean, acc, task);
      }
      for (const [task, acc] of Object.entries(more.accuracy.suite as Record<string, number>)) {
        assert.equal(row.eval[task]!.mean, acc, task);
      }
      // Paired with the base on the generator set: more0 is 0 on every task type.
      const paired = s.paired!.filter((p) => p.variant === "more0" && p.set === "generator");
      assert.equal(paired.length, 3);
      for (const p of paired) assert.equal(p.diff.mean, 0, p.task);
      assert.ok(s.paired!.some((p) => p.variant === "more" && p.set === "generator"));

      // The self-play diagnostics skip cells that propose nothing; the solved table reads both.
      const sp = await gridSelfPlay(grid, 1, runsDir, { windows: 2 });
      assert.ok(sp.variants.every((v) => !v.variant.startsWith("more")));
      const solved = await gridSolved(grid, 1, runsDir);
      assert.deepEqual(solved.variants.map((v) => v.variant), ["base", "azr", "more0", "more"]);

      // Self-play's set beyond the bank (evalBeyond): in eval.json, the summary and the pairing.
      const beyond = JSON.parse(await Deno.readTextFile(`${runsDir}/pc-azr-s0/eval.json`)).beyond;
      assert.equal(beyond.outcomes.length, 9);
      const azrSummary = JSON.parse(await Deno.readTextFile(`${runsDir}/pc-azr-s0/summary.json`));
      const azr = s.variants.find((v) => v.variant === "azr")!;
      for (const [task, acc] of Object.entries(azrSummary.evalBeyond as Record<string, number>)) {
        assert.equal(azr.eval[`beyond/${task}`]!.mean, acc, task);
      }
      assert.equal(s.paired!.filter((p) => p.variant === "azr" && p.set === "beyond").length, 3);
      // Pre-training cells score it too, at the end: the same tasks, so more0 answers as base does.
      const beyondOf = async (dir: string) =>
        JSON.parse(await Deno.readTextFile(`${dir}/eval.json`)).beyond.outcomes as RawOutcome[];
      const baseBeyond = await beyondOf(`${runsDir}/pc-base-s0`);
      assert.equal(baseBeyond.length, 9);
      assert.deepEqual(
        (await beyondOf(`${runsDir}/pc-more0-s0`)).map((o) => [o.id, o.answer, o.score]),
        baseBeyond.map((o) => [o.id, o.answer, o.score]),
      );
      for (const [task, acc] of Object.entries(more.accuracy.beyond as Record<string, number>)) {
        assert.equal(row.eval[`beyond/${task}`]!.mean, acc, task);
      }
      assert.equal(s.paired!.filter((p) => p.variant === "more" && p.set === "beyond").length, 3);

      // Self-play's train split at the end (evalTrain): the tasks pre-training's train set draws
      // (more0, no step, answers them as the base does), paired in the summary.
      const trainOf = async (dir: string) =>
        JSON.parse(await Deno.readTextFile(`${dir}/eval.json`)).train.outcomes as RawOutcome[];
      const baseTrain = await trainOf(`${runsDir}/pc-base-s0`);
      assert.equal(baseTrain.length, 15);
      assert.deepEqual(
        (await trainOf(`${runsDir}/pc-more0-s0`)).map((o) => [o.id, o.answer, o.score]),
        baseTrain.map((o) => [o.id, o.answer, o.score]),
      );
      const trainPaired = s.paired!.filter((p) => p.set === "train");
      assert.deepEqual([...new Set(trainPaired.map((p) => p.variant))], ["azr", "more0", "more"]);
      for (const p of trainPaired.filter((p) => p.variant === "more0")) {
        assert.equal(p.diff.mean, 0, p.task);
      }
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
