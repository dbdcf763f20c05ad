/**
 * The generator's eval sets: tasks drawn from the canonical generator's bank with a fixed seed,
 * from its held-out behaviours (`generator`: never trained on) or its train split (`train`:
 * trained-on behaviours, fresh inputs; beside the held-out set it tells under- from
 * over-fitting). Pre-training evaluates both, and `deno task eval --set` draws the same tasks.
 * A task's id ends in its program's size (`gen-ded-7-s4`), read back by {@linkcode taskSize}.
 * @module
 */
import { TASK_TYPES } from "../config.ts";
import { type Bank, generateTask, splitBank } from "../lang/generate.ts";
import { Rng } from "../rng.ts";
import type { EvalSuite, EvalTask } from "./suite.ts";

/** Seeds of the generator's eval sets: fixed, so every run and `deno task eval` draw the same tasks. */
export const GENERATOR_EVAL_SEEDS = { generator: 1_000_003, train: 2_000_003 } as const;

/** A generator eval set: the held-out behaviours, or the train split. */
export type GeneratorSet = keyof typeof GENERATOR_EVAL_SEEDS;

/**
 * The eval set `set` of a whole bank: its held-out or train split (`heldOutFraction` of the
 * behaviours held out, as pre-training splits it), then {@linkcode generatorSuite}.
 */
export function generatorSet(
  bank: Bank,
  set: GeneratorSet,
  perType: number,
  heldOutFraction: number,
): EvalSuite {
  const part = splitBank(bank, set === "generator" ? "heldout" : "train", heldOutFraction);
  return generatorSuite(part, perType, set);
}

/**
 * `perType` tasks of each type from `part` (the generator bank's split that `set` names), drawn
 * with the set's fixed seed; the suite is named after the set.
 */
export function generatorSuite(part: Bank, perType: number, set: GeneratorSet): EvalSuite {
  const rng = new Rng(GENERATOR_EVAL_SEEDS[set]);
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
      });
      k++;
    }
  }
  return { name: set, path: "(generated)", tasks };
}

/** The program size a generator task's id carries; undefined for other tasks. */
export function taskSize(id: string): number | undefined {
  const m = /^gen-\w+-\d+-s(\d+)$/.exec(id);
  return m ? Number(m[1]) : undefined;
}
