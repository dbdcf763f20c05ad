/**
 * Induction as a synthesizer: the model used the way a program synthesizer is, beside the
 * enumerative search at the same number of executor calls.
 *
 * - **best-of-k**: sample k programs (temperature 1) for the shown pairs, keep the first that
 *   reproduces every shown pair, and score it on the hidden pairs (none fits: the first sample
 *   is the answer). It checks at most k programs against the shown pairs.
 * - **search@k programs**: the first k programs of the generator's bank for the signature,
 *   smallest first (the bottom-up enumeration with observational equivalence, done once per
 *   world), the first that fits every shown pair scored on the hidden pairs. The same k checks.
 *
 * Shown pairs are checked with the reference interpreter (it agrees with the sandbox, see
 * `tests/lang/generate_test.ts`); the chosen program is scored by the sandbox, as every eval is.
 * @module
 */
import { fitsPairs, type Pairs, smallestFittingProgram } from "../lang/canonical.ts";
import type { Bank } from "../lang/generate.ts";
import { programTree } from "../lang/tree.ts";
import { type Signature, signatureByName, type World } from "../lang/types.ts";
import type { Policy } from "../model/policy.ts";
import { Rng } from "../rng.ts";
import type { Executor } from "../sandbox/mod.ts";
import type { PromptOptions } from "../tasks/prompts.ts";
import type { InductionRecord } from "../tasks/records.ts";
import { checkAnswers, sampleEach } from "../tasks/solve.ts";
import type { Tally } from "./baselines.ts";

/** The shown pairs of an induction record, with its signature. */
function shownPairs(record: InductionRecord): { signature: Signature; pairs: Pairs } {
  const signature = signatureByName(record.signature);
  if (!signature) throw new Error(`Unknown signature '${record.signature}'`);
  return { signature, pairs: record.examples.slice(0, record.shown) as Pairs };
}

/** Options of {@linkcode inductionBestOf}. */
export interface BestOfOptions extends PromptOptions {
  /** Programs sampled per task. */
  k: number;
  seed: number;
  /** Sampling temperature (default 1). */
  temperature?: number;
  /** Prompts per sampling call (default 512): bounds memory. */
  chunk?: number;
}

/** Best-of-k accuracy of the policy on induction records (see the module doc). */
export async function inductionBestOf(
  policy: Policy,
  executor: Executor,
  records: readonly InductionRecord[],
  opts: BestOfOptions,
): Promise<Tally> {
  const rng = new Rng(opts.seed);
  const world: World = opts as World;
  const chosen: { record: InductionRecord; answer: number[]; unfinished: boolean }[] = [];
  await sampleEach(
    policy,
    records,
    rng,
    { ...opts, temperature: opts.temperature ?? 1, greedy: false },
    (group, attempts) =>
      group.forEach((record, j) => {
        const own = attempts[j]!;
        const { signature, pairs } = shownPairs(record);
        const fits = fitsPairs(signature, pairs, world);
        // A sample that is not a whole program (it ran out of tokens) fits nothing.
        const fit = own.find((a) =>
          !a.unfinished && programTree(a.rollout.completion).ok && fits(a.rollout.completion)
        );
        const pick = fit ?? own[0]!;
        chosen.push({ record, answer: pick.rollout.completion, unfinished: pick.unfinished });
      }),
  );
  const outcomes = await checkAnswers(executor, chosen);
  return { k: outcomes.filter((o) => o === "correct").length, n: outcomes.length };
}

/** The enumerative search at k program checks per task, over `bank` (see the module doc). */
export async function bankSearchAt(
  executor: Executor,
  bank: Bank,
  records: readonly InductionRecord[],
  k: number,
): Promise<Tally> {
  const items: { record: InductionRecord; answer: number[] }[] = [];
  let none = 0;
  for (const record of records) {
    const { signature, pairs } = shownPairs(record);
    const sb = bank.signatures.find((s) => s.signature === signature);
    const first = sb && { ...sb, programs: sb.programs.slice(0, k) };
    const hit = first && smallestFittingProgram(first, pairs, bank.world);
    if (hit) items.push({ record, answer: [...hit.tokens] });
    else none++;
  }
  const outcomes = await checkAnswers(executor, items);
  return { k: outcomes.filter((o) => o === "correct").length, n: outcomes.length + none };
}
