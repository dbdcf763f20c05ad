/**
 * The generator's eval sets: tasks drawn from the canonical generator's bank with a fixed seed,
 * from its held-out behaviours (`generator`: never trained on) or its train split (`train`:
 * trained-on behaviours, fresh inputs; beside the held-out set it tells under- from
 * over-fitting). Pre-training evaluates both, and `deno task eval --set` draws the same tasks.
 * A task's id ends in its program's size (`gen-ded-7-s4`), read back by {@linkcode taskSize}.
 * @module
 */
import { TASK_TYPES } from "../config.ts";
import { type Bank, generateTask } from "../lang/generate.ts";
import { Rng } from "../rng.ts";
import type { EvalSuite, EvalTask } from "./suite.ts";

/** Seeds of the generator's eval sets: fixed, so every run and `deno task eval` draw the same tasks. */
export const GENERATOR_EVAL_SEEDS = { generator: 1_000_003, train: 2_000_003 } as const;

/** `perType` tasks of each type from `bank` (a split of the generator's bank), drawn with `seed`. */
export function generatorSuite(
  bank: Bank,
  perType: number,
  seed: number,
  name = "generator",
): EvalSuite {
  const rng = new Rng(seed);
  const tasks: EvalTask[] = [];
  for (const type of TASK_TYPES) {
    for (let k = 0, misses = 0; k < perType && misses < 50 * perType;) {
      const t = generateTask(rng, bank, type);
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
  return { name, path: "(generated)", tasks };
}

/** The program size a generator task's id carries; undefined for other tasks. */
export function taskSize(id: string): number | undefined {
  const m = /^gen-\w+-\d+-s(\d+)$/.exec(id);
  return m ? Number(m[1]) : undefined;
}
