/**
 * The generator's eval sets (see ./eval_sets.ts): tasks drawn from the canonical generator's
 * bank with a fixed seed (config `generatorEvalSeed`, `trainEvalSeed`), from its held-out
 * behaviours (`generator`: never trained on) or its train split (`train`: trained-on behaviours,
 * fresh inputs). Pre-training evaluates both, self-play the held-out one (`evalGenerator`), and
 * `deno task eval --set` draws the same tasks. Each task carries its program's size.
 * @module
 */
import type { Config } from "../config.ts";
import { TASK_TYPES } from "../task_types.ts";
import {
  type Bank,
  type BankProgram,
  filterBank,
  generateTask,
  usesLambdaVariable,
} from "../lang/generate.ts";
import type { BankSplit } from "./bank_split.ts";
import { Rng } from "../rng.ts";
import type { EvalSuite, EvalTask } from "./suite.ts";

/**
 * A generator eval set: the held-out behaviours, the train split, or the programs beyond the
 * bank's sizes (./beyond.ts).
 */
export type GeneratorSet = "generator" | "train" | "beyond";

/** The seeds of the generator's eval sets, from the config. */
export type GeneratorEvalSeeds = Pick<Config, "generatorEvalSeed" | "trainEvalSeed">;

/** The seed the config gives `set`. */
export function generatorSetSeed(
  set: "generator" | "train",
  seeds: GeneratorEvalSeeds,
): number {
  return set === "generator" ? seeds.generatorEvalSeed : seeds.trainEvalSeed;
}

/**
 * The eval set `set` of a split bank (`configSplit`, as pre-training splits it): its held-out or
 * train part, then {@linkcode generatorSuite} with the config's seed.
 */
export function generatorSet(
  split: Pick<BankSplit, "train" | "heldout">,
  set: "generator" | "train",
  perType: number,
  seeds: GeneratorEvalSeeds,
): EvalSuite {
  const part = set === "generator" ? split.heldout : split.train;
  return generatorSuite(part, perType, set, generatorSetSeed(set, seeds));
}

/**
 * Which programs a generator set draws: all of its part's, or only those that use a lambda
 * variable (`deno task eval --programs lambda`: the per-element work of map, filter, reduce, 7% of
 * the bank, so few of the uniform draws).
 */
export type GeneratorPrograms = "all" | "lambda";

/** The split's two parts with only the programs `programs` names. */
export function onlyPrograms(
  split: Pick<BankSplit, "train" | "heldout">,
  programs: GeneratorPrograms,
): Pick<BankSplit, "train" | "heldout"> {
  if (programs === "all") return split;
  const keep = (p: BankProgram) => usesLambdaVariable(p.tokens);
  return { train: filterBank(split.train, keep), heldout: filterBank(split.heldout, keep) };
}

/**
 * `perType` tasks of each type from `part` (the generator bank's split that `set` names), drawn
 * with `seed`; the suite is named after the set.
 */
export function generatorSuite(
  part: Bank,
  perType: number,
  set: GeneratorSet,
  seed: number,
): EvalSuite {
  const rng = new Rng(seed);
  const tasks: EvalTask[] = [];
  for (const type of TASK_TYPES) {
    for (let k = 0, misses = 0; k < perType && misses < 50 * perType;) {
      const t = generateTask(rng, part, type);
      if (!t) {
        misses++;
        continue;
      }
      const size = t.tokens.length - 1;
      tasks.push({
        id: `gen-${type.slice(0, 3)}-${k}-s${size}`,
        task: type,
        program: t.program,
        signature: t.signature,
        examples: t.task === "induction" ? t.examples : [{ input: t.input, output: t.output }],
        shown: t.task === "induction" ? t.shown : 1,
        size,
      });
      k++;
    }
  }
  return { name: set, path: "(generated)", tasks };
}
