/**
 * Trainer checkpoints: the model's checkpoint (weights, AdamW moments,
 * metadata) in `checkpoints/step-NNNNNN/`, plus the trainer's RNG state and
 * step; `checkpoints/latest` names the newest complete one and is replaced
 * atomically only after the folder is fully written, so a run killed at any
 * moment resumes from a whole checkpoint. The two newest are kept.
 * @module
 */
import type { Config } from "../config.ts";
import { loadCheckpoint, saveCheckpoint } from "../model/checkpoint.ts";
import type { AdamW } from "../model/optimizer.ts";
import type { Transformer } from "../model/transformer.ts";
import type { Rng } from "../rng.ts";
import { writeAtomic } from "./run_dir.ts";

const KEEP = 2;

/** Saves the trainer state after `step` and points `latest` at it. */
export async function saveTrainer(
  dir: string,
  s: {
    model: Transformer;
    optimizer: AdamW;
    config: Config;
    vocabHash: string;
    step: number;
    rng: Rng;
    /** Wall-clock seconds the run has used so far (a resumed run keeps its maxMinutes budget). */
    elapsedS: number;
  },
): Promise<string> {
  const name = `step-${String(s.step).padStart(6, "0")}`;
  await saveCheckpoint(`${dir}/${name}`, {
    model: s.model,
    optimizer: s.optimizer,
    meta: {
      config: s.config,
      vocabHash: s.vocabHash,
      step: s.step,
      rngState: s.rng.state(),
      elapsedS: s.elapsedS,
    },
  });
  await writeAtomic(`${dir}/latest`, name + "\n");
  const old = [...Deno.readDirSync(dir)].filter((e) => e.isDirectory && /^step-\d+$/.test(e.name))
    .map((e) => e.name).sort().slice(0, -KEEP);
  for (const o of old) await Deno.remove(`${dir}/${o}`, { recursive: true });
  return `${dir}/${name}`;
}

/** The folder `latest` points at, or undefined when the run has no checkpoint yet. */
export async function latestCheckpoint(dir: string): Promise<string | undefined> {
  try {
    const name = (await Deno.readTextFile(`${dir}/latest`)).trim();
    return name ? `${dir}/${name}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Loads a trainer checkpoint into the model and optimizer; throws with the
 * checkpoint's own message (corrupt, truncated, other vocabulary) and leaves
 * both untouched on any error.
 */
export async function restoreTrainer(
  path: string,
  target: { model: Transformer; optimizer: AdamW; vocabHash: string },
): Promise<{ step: number; rngState: number[]; elapsedS: number }> {
  const r = await loadCheckpoint(path, target);
  if (!r.ok) throw new Error(r.message);
  const elapsedS = typeof r.meta.elapsedS === "number" ? r.meta.elapsedS : 0;
  return { step: r.meta.step, rngState: r.meta.rngState, elapsedS };
}
