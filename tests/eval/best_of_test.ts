/**
 * Induction as a synthesizer: best-of-k keeps the first sampled program that fits the shown
 * pairs and scores it on the hidden pairs in the sandbox; the search at k program checks takes
 * the first of the bank's first k programs that fits. The sampler here is a scripted policy
 * (it returns programs written in the test), so the selection rule is what is tested; the
 * programs and their scores are checked by the real sandbox.
 */
import assert from "node:assert/strict";
import { bankSearchAt, inductionBestOf } from "../../lib/eval/best_of.ts";
import type { Bank } from "../../lib/lang/generate.ts";
import { WORLDS } from "../../lib/lang/types.ts";
import { createSandbox } from "../../lib/sandbox/mod.ts";
import * as fixtures from "./scripted_policy.ts";

const { LIST_SIG: SIG, OPTS, scripted, SORT_RECORD: RECORD, tokens } = fixtures;
const IDENTITY = tokens(fixtures.IDENTITY);
const REVERSE = tokens(fixtures.REVERSE);
const SORT = tokens(fixtures.SORT);

Deno.test("best-of-k: the first sample that fits the shown pairs is the one scored", async () => {
  await using executor = await createSandbox({ poolSize: 1 });
  const run = (script: number[][], k: number) =>
    inductionBestOf(scripted(script), executor, [RECORD], { ...OPTS, k, seed: 0 });
  // reverse does not fit the shown pairs; sort does, and passes the hidden ones.
  assert.deepEqual(await run([REVERSE, SORT], 2), { k: 1, n: 1 });
  // identity fits the shown pairs first, and fails the hidden ones.
  assert.deepEqual(await run([IDENTITY, SORT], 2), { k: 0, n: 1 });
  // k = 1: only reverse is sampled, it does not fit, and is the (wrong) answer.
  assert.deepEqual(await run([REVERSE, SORT], 1), { k: 0, n: 1 });
});

Deno.test("search at k program checks: the first fitting program among the bank's first k", async () => {
  await using executor = await createSandbox({ poolSize: 1 });
  const bank = (programs: number[][]): Bank => ({
    world: WORLDS.small,
    maxSize: 8,
    signatures: [{
      signature: SIG,
      programs: programs.map((t) => ({ tokens: t, size: t.length - 1, valid: 1 })),
      evals: 0,
      ms: 0,
    }],
  });
  const record = { ...RECORD, examples: [RECORD.examples[2]!, ...RECORD.examples], shown: 1 };
  // The shown pair [2,1] → [1,2] rules out identity; reverse fits it, and fails the rest.
  assert.deepEqual(await bankSearchAt(executor, bank([IDENTITY, REVERSE, SORT]), [record], 1), {
    k: 0,
    n: 1,
  });
  assert.deepEqual(await bankSearchAt(executor, bank([IDENTITY, REVERSE, SORT]), [record], 3), {
    k: 0,
    n: 1,
  });
  assert.deepEqual(await bankSearchAt(executor, bank([IDENTITY, SORT, REVERSE]), [record], 2), {
    k: 1,
    n: 1,
  });
});
