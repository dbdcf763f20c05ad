/**
 * The proposer check: proposals sampled as self-play's seeding samples them, from a tiny
 * random-init policy, validated in the real sandbox: the counts and shares are consistent (the
 * constant-output check itself is tested in tests/ablate/diagnose_test.ts).
 */
import assert from "node:assert/strict";
import { resolveConfig } from "../../lib/config.ts";
import { proposerQuality } from "../../lib/eval/proposals.ts";
import { worldVocab } from "../../lib/lang/vocab.ts";
import { initBackend } from "../../lib/model/backend.ts";
import { TransformerPolicy } from "../../lib/model/policy.ts";
import { Rng } from "../../lib/rng.ts";
import { createSandbox } from "../../lib/sandbox/mod.ts";

Deno.test("proposerQuality: shares of the proposals a tiny random policy writes", async () => {
  await initBackend("auto", { log: false });
  const cfg = resolveConfig({ preset: "tiny" });
  const policy = TransformerPolicy.fromConfig(cfg, worldVocab(cfg).size);
  await using executor = await createSandbox({ poolSize: 1 });
  try {
    const rows = await proposerQuality(policy, executor, new Rng(0), {
      ...cfg,
      temperature: 1,
      perType: 12,
      round: 5,
    });
    assert.deepEqual(rows.map((r) => r.task), ["deduction", "abduction", "induction"]);
    for (const r of rows) {
      assert.equal(r.n, 12, "rounds of 5, 5, 2");
      assert.ok(r.valid >= 0 && r.valid <= 1);
      // Shares of twelve proposals are multiples of 1/12.
      assert.ok(Math.abs(r.valid * 12 - Math.round(r.valid * 12)) < 1e-9);
      if (r.task === "induction") {
        assert.ok(Number.isNaN(r.constant) && Number.isNaN(r.distinct));
      } else if (r.valid > 0) {
        const sizes = Object.values(r.sizes).reduce((a, b) => a + b, 0);
        assert.ok(Math.abs(sizes - 1) < 1e-9, "size shares add up to 1");
        assert.ok(r.distinct > 0 && r.distinct <= 1);
        assert.ok(r.constant >= 0 && r.constant <= 1);
      }
    }
  } finally {
    policy.dispose();
  }
});
