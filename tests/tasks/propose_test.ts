/** Proposing from the policy: every completion is a readable, typed proposal; GRPO groups share a prompt. */
import assert from "node:assert/strict";
import { resolveConfig } from "../../lib/config.ts";
import { VOCAB_SIZE } from "../../lib/lang/vocab.ts";
import { initBackend } from "../../lib/model/backend.ts";
import { TransformerPolicy } from "../../lib/model/policy.ts";
import { Rng } from "../../lib/rng.ts";
import { TaskBuffer } from "../../lib/tasks/buffer.ts";
import { proposeTasks } from "../../lib/tasks/propose.ts";
import { seedInduction, seedTriplets } from "../../lib/tasks/seed.ts";

await initBackend("wasm", { log: false });
const cfg = resolveConfig({ preset: "tiny", overrides: { batchSize: 6 } });
const buffers = {
  deduction: new TaskBuffer("deduction", seedTriplets("deduction")),
  abduction: new TaskBuffer("abduction", seedTriplets("abduction")),
  induction: new TaskBuffer("induction", seedInduction()),
};

Deno.test("proposals from an untrained policy are complete and typed; GRPO groups share one prompt", async () => {
  const policy = TransformerPolicy.fromConfig(cfg, VOCAB_SIZE);
  try {
    for (const task of ["deduction", "induction"] as const) {
      const ps = await proposeTasks(policy, task, buffers, new Rng(1), {
        ...cfg,
        temperature: 1,
        groupSize: 3,
      }, 0);
      assert.equal(ps.length, 6);
      for (const p of ps) {
        assert.equal(p.formatError, undefined);
        assert.equal(p.inputs.length, task === "induction" ? cfg.inductionN : 1);
        assert.equal(p.inputs[0]!.length, p.signature!.params.length);
      }
      const groups = ps.map((p) => p.rollout!.group);
      assert.equal(new Set(groups).size, 2, `${task}: 6 samples in 2 groups of 3`);
      for (let i = 0; i < 6; i++) {
        assert.deepEqual(ps[i]!.rollout!.prompt, ps[i - (i % 3)]!.rollout!.prompt);
        assert.equal(groups[i], groups[i - (i % 3)]);
      }
      // without groups every proposal is its own prompt
      const solo = await proposeTasks(
        policy,
        task,
        buffers,
        new Rng(1),
        { ...cfg, temperature: 1 },
        0,
      );
      assert.equal(new Set(solo.map((p) => p.rollout!.group)).size, 6);
    }
  } finally {
    policy.dispose();
  }
});
