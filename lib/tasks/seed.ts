/**
 * The seed of every buffer: the identity program. The paper seeds with
 * `def f(a): return a` on "Hello world"; here the identity exists for each
 * signature whose result type matches a parameter, and each runs on a few
 * fixed inputs. Seeds carry step -1.
 *
 * Not in the paper (config `seedBuffers: generator`): tasks from the generator's bank instead,
 * the references pre-training's proposer views were shown. The paper's LLM has seen programs of
 * every kind and writes new ones beside an identity; a base pre-trained on this environment has
 * only seen generator references, and beside identities it writes identities
 * ({@linkcode generatorSeeds}).
 * @module
 */
import type { Config, TaskType } from "../config.ts";
import { type Bank, generateTask } from "../lang/generate.ts";
import { renderProgram } from "../lang/render.ts";
import { identityProgram } from "../lang/seed.ts";
import { type LangType, type Signature, SIGNATURES } from "../lang/types.ts";
import { Rng } from "../rng.ts";
import type { InductionRecord, Json, TaskRecord, Triplet } from "./records.ts";

const SAMPLE_VALUES: Record<LangType, Json[]> = {
  int: [1, 5, -3],
  bool: [true, false, true],
  "int[]": [[1, 2, 3], [4, -1], [7]],
};

/** Identity programs (tokens) with their signature: `function f(x, …) { return x; }`. */
export function identityPrograms(): { signature: Signature; tokens: number[] }[] {
  const out: { signature: Signature; tokens: number[] }[] = [];
  for (const signature of SIGNATURES) {
    const tokens = identityProgram(signature);
    if (tokens) out.push({ signature, tokens });
  }
  return out;
}

function inputs(sig: Signature, i: number): Json[] {
  return sig.params.map((t, p) => SAMPLE_VALUES[t][(i + p) % 3]!);
}

/** Seed triplets for a deduction or abduction buffer: each identity on its first sample input. */
export function seedTriplets(task: "deduction" | "abduction"): Triplet[] {
  return identityPrograms().map(({ signature, tokens }) => {
    const input = inputs(signature, 0);
    return {
      task,
      program: renderProgram(tokens),
      tokens,
      signature: signature.name,
      input,
      output: input[signature.params.indexOf(signature.returns)]!,
      step: -1,
    };
  });
}

/** Seed induction records: each identity with three pairs, one shown. */
export function seedInduction(): InductionRecord[] {
  return identityPrograms().map(({ signature, tokens }) => {
    const j = signature.params.indexOf(signature.returns);
    const examples = [0, 1, 2].map((i) => {
      const input = inputs(signature, i);
      return { input, output: input[j]! };
    });
    return {
      task: "induction",
      program: renderProgram(tokens),
      tokens,
      signature: signature.name,
      examples,
      shown: 1,
      step: -1,
    };
  });
}

/** What each buffer holds before seeding's proposals (step -1 records). */
export type SeedRecords = Record<TaskType, TaskRecord[]>;

/** The paper's seeds: the identity programs ({@linkcode seedTriplets}, {@linkcode seedInduction}). */
export function identitySeeds(): SeedRecords {
  return {
    deduction: seedTriplets("deduction"),
    abduction: seedTriplets("abduction"),
    induction: seedInduction(),
  };
}

/**
 * `n` generator tasks per type from `bank` (self-play passes the train split, so no held-out
 * behaviour enters a buffer), drawn as pre-training draws its proposer views' references;
 * induction tasks with `inductionN` pairs, half shown.
 */
export function generatorSeeds(
  rng: Rng,
  bank: Bank,
  n: number,
  opts: { inductionN: number },
): SeedRecords {
  const draw = (task: TaskType): TaskRecord[] => {
    const out: TaskRecord[] = [];
    for (let misses = 0; out.length < n;) {
      const t = generateTask(rng, bank, task, { inductionN: opts.inductionN });
      if (t) out.push(t);
      else if (++misses > 50 * n) {
        throw new Error(`Seeding: the generator keeps failing for ${task} tasks`);
      }
    }
    return out;
  };
  return {
    deduction: draw("deduction"),
    abduction: draw("abduction"),
    induction: draw("induction"),
  };
}

/**
 * What the buffers start from (config `seedBuffers`): the identity programs (the paper), or
 * `seedTasks` generator tasks per type from `train` (the bank's train split), drawn with their own
 * RNG from the run's seed, so the run's own stream is the same either way.
 */
export async function bufferSeeds(
  cfg: Pick<Config, "seedBuffers" | "seedTasks" | "seed" | "inductionN">,
  train: () => Promise<Bank>,
): Promise<SeedRecords> {
  if (cfg.seedBuffers === "identity") return identitySeeds();
  return generatorSeeds(new Rng(cfg.seed * 7919 + 17), await train(), cfg.seedTasks, cfg);
}
