/**
 * The proposer check: proposals sampled as self-play's seeding samples them, from a tiny
 * random-init policy, validated in the real sandbox: the counts and shares are consistent (the
 * constant-output check itself is tested in tests/ablate/diagnose_test.ts); and the generator's
 * own levels on a bank whose shares are known by hand.
 */
import assert from "node:assert/strict";
import { resolveConfig } from "../../lib/config.ts";
import { drawnQuality, proposerQuality } from "../../lib/eval/proposals.ts";
import { programBank, WORLD } from "../trainer/bank_helpers.ts";
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

Deno.test("drawnQuality: the draws' constant and distinct shares, known by hand", () => {
  // One signature, two programs of one size, drawn 50/50: `x - x` is 0 on every input.
  const bank = programBank("function f(x) { return x - x; }", "function f(x) { return x + 1; }");
  assert.equal(new Set(bank.signatures[0]!.programs.map((p) => p.size)).size, 1, "one size");
  // Pairs of draws: two distinct programs with probability 1/2, so the distinct share of a
  // pair is 1 or 1/2, 3/4 on average; half the draws are the constant program. 1,000 pairs:
  // standard errors about 0.008 and 0.011, so 0.05 is more than four of them.
  const q = drawnQuality(bank, new Rng(3), 2, WORLD, 1000);
  assert.equal(q.n, 2);
  assert.ok(Math.abs(q.constant - 0.5) < 0.05, `constant ${q.constant}`);
  assert.ok(Math.abs(q.distinct - 0.75) < 0.05, `distinct ${q.distinct}`);
  // One draw per set is always distinct.
  assert.equal(drawnQuality(bank, new Rng(3), 1, WORLD, 50).distinct, 1);
});
