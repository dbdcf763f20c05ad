/**
 * The pre-training data worker draws the main thread's batches: the same examples and the same
 * generator state after each step (what checkpoints save), the size curriculum included, one
 * step ahead; a step out of order is an error.
 */
import assert from "node:assert/strict";
import { resolveConfig } from "../../lib/config.ts";
import { configSplit } from "../../lib/eval/bank_split.ts";
import { Rng } from "../../lib/rng.ts";
import { configBank } from "../../lib/trainer/bank_cache.ts";
import { inlineBatches, workerBatches } from "../../lib/trainer/pretrain_batches.ts";

Deno.test("workerBatches: the inline batches and generator states, step by step", async () => {
  const runsDir = await Deno.makeTempDir();
  try {
    const cfg = resolveConfig({
      preset: "tiny",
      overrides: {
        runsDir,
        pretrainMaxSize: 3,
        pretrainBatch: 12,
        pretrainSteps: 4,
        pretrainSizeCurriculum: true,
      },
    });
    const { bank } = await configBank(cfg);
    const { train } = configSplit(bank, cfg);
    const rng = new Rng(9);
    const inline = inlineBatches(train, cfg, Rng.fromState(rng.state()));
    await using worker = await workerBatches(cfg, rng);
    for (let step = 0; step < cfg.pretrainSteps; step++) {
      const want = await inline.take(step);
      const got = await worker.take(step);
      assert.deepEqual(got.batch, want.batch, `step ${step}: batch`);
      assert.deepEqual(got.rng.state(), want.rng.state(), `step ${step}: generator state`);
    }
    await assert.rejects(() => worker.take(4), /step 4 is past pretrainSteps/);
    await using again = await workerBatches(cfg, new Rng(9));
    await again.take(0);
    await assert.rejects(() => again.take(3), /asked for step 3, expected 2/);
  } finally {
    await Deno.remove(runsDir, { recursive: true });
  }
});
