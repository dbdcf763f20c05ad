/**
 * Trainer checkpoints: the model's checkpoint (weights, AdamW moments,
 * metadata) in `checkpoints/step-NNNNNN/`, plus the trainer's RNG state and
 * step; `checkpoints/latest` names the newest complete one and is replaced
 * atomically only after the folder is fully written, so a run killed at any
 * moment resumes from a whole checkpoint. The two newest are kept. A checkpoint
 * that does not load is skipped for the one before it ({@linkcode restoreNewest}).
 * @module
 */
import { basename, dirname, resolve } from "node:path";
import type { Config } from "../config.ts";
import { latestCheckpoint, loadCheckpoint, saveCheckpoint } from "../model/checkpoint.ts";
import type { AdamW } from "../model/optimizer.ts";
import type { Transformer } from "../model/transformer.ts";
import type { Rng } from "../rng.ts";
import { RunError, writeAtomic } from "./run_dir.ts";

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
  for (const o of (await stepFolders(dir)).slice(0, -KEEP)) {
    await Deno.remove(`${dir}/${o}`, { recursive: true });
  }
  return `${dir}/${name}`;
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

/** The `step-NNNNNN` folder names in `dir`, oldest first (none when `dir` is missing). */
async function stepFolders(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (e.isDirectory && /^step-\d+$/.test(e.name)) names.push(e.name);
    }
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
  return names.sort();
}

/** What {@linkcode restoreNewest} restored. */
export interface Restored {
  /** The checkpoint folder. */
  path: string;
  step: number;
  rngState: number[];
  elapsedS: number;
}

/**
 * Restores the newest checkpoint in `dir` that loads (the one `latest` names, then the others
 * from the newest step down), or exactly `from` when given. Each newer one that failed is
 * reported through `warn` and renamed `<name>.corrupt` (kept for inspection, never picked
 * again); newer ones that were not tried (with `from`, or a save cut short before `latest`
 * named it) are removed, since the logs are cut back to the restored one. `latest`
 * then names the restored one. Returns undefined when `dir` holds no checkpoint; throws a
 * {@linkcode RunError} when none of them loads (nothing is renamed then).
 */
export async function restoreNewest(
  dir: string,
  target: { model: Transformer; optimizer: AdamW; vocabHash: string },
  opts: { from?: string; warn: (line: string) => void },
): Promise<Restored | undefined> {
  const all = await stepFolders(dir);
  let candidates: string[];
  if (opts.from !== undefined) {
    if (resolve(dirname(opts.from)) !== resolve(dir) || !all.includes(basename(opts.from))) {
      throw new RunError(
        `--from ${opts.from} is not a checkpoint of this run; pick a folder in ${dir} (${
          all.join(", ") || "none yet"
        })`,
      );
    }
    candidates = [basename(opts.from)];
  } else {
    const latest = await latestCheckpoint(dir);
    const named = latest ? basename(latest) : undefined;
    candidates = [...all].reverse();
    if (named !== undefined) {
      // Folders newer than `latest` were never switched to: a save cut short.
      if (all.includes(named)) candidates = candidates.filter((n) => n <= named);
      else opts.warn(`checkpoint ${latest} named by ${dir}/latest is missing`);
    }
  }
  if (candidates.length === 0) return undefined;
  const failed: { name: string; message: string }[] = [];
  for (const name of candidates) {
    let r;
    try {
      r = await restoreTrainer(`${dir}/${name}`, target);
    } catch (e) {
      failed.push({ name, message: (e as Error).message });
      if (opts.from === undefined && candidates.length > failed.length) {
        opts.warn(`${(e as Error).message}; falling back to the checkpoint before it`);
      }
      continue;
    }
    for (const f of failed) {
      await Deno.rename(`${dir}/${f.name}`, `${dir}/${f.name}.corrupt`);
      opts.warn(`moved the unloadable ${dir}/${f.name} to ${f.name}.corrupt`);
    }
    for (const newer of all.filter((n) => n > name && !failed.some((f) => f.name === n))) {
      await Deno.remove(`${dir}/${newer}`, { recursive: true });
      opts.warn(`removed ${dir}/${newer}: it is newer than the restored ${name}`);
    }
    await writeAtomic(`${dir}/latest`, name + "\n");
    return { path: `${dir}/${name}`, ...r };
  }
  throw new RunError(
    `Cannot resume from ${dir}: no checkpoint loads (${
      failed.map((f) => f.message).join("; ")
    }); pass --overwrite to start the run over`,
  );
}
