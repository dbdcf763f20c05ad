/**
 * Where self-play starts (config `init`): random weights (`scratch`), or a base model — a
 * checkpoint folder (`data/base`, `runs/base/checkpoints/step-000999`) or a run folder (its
 * newest checkpoint). A base is usable only in its own world and at its own model sizes; either
 * mismatch is a {@linkcode RunError} that names both sides.
 * @module
 */
import type { Config } from "../config.ts";
import { type World, worldMismatch, worldOf } from "../lang/types.ts";
import {
  latestCheckpoint,
  loadCheckpoint,
  readCheckpointMeta,
  saveCheckpoint,
} from "../model/checkpoint.ts";
import type { Transformer } from "../model/transformer.ts";
import { exists, RunError } from "./run_dir.ts";

/** The model sizes a base must share with the run that starts from it. */
const SIZE_KEYS = [
  "dModel",
  "nLayers",
  "nHeads",
  "mlpRatio",
  "contextLen",
  "tieEmbeddings",
] as const;

/** The checkpoint folder `path` names: itself, or a run folder's newest checkpoint. */
export async function resolveCheckpoint(path: string): Promise<string> {
  if (await exists(`${path}/meta.json`)) return path;
  const latest = await latestCheckpoint(`${path}/checkpoints`);
  if (latest) return latest;
  throw new RunError(
    `Cannot start from '${path}': it is neither a checkpoint folder (no meta.json) nor a run with a checkpoint; use --init=scratch or a folder such as data/base`,
  );
}

/**
 * Loads a base's weights into `model` (not its optimizer state: self-play starts its own).
 * Returns the checkpoint folder used and the base's step.
 */
export async function loadBase(
  path: string,
  target: { model: Transformer; cfg: Config; vocabHash: string },
): Promise<{ path: string; step: number; pretrainMaxSize?: number }> {
  const dir = await resolveCheckpoint(path);
  const head = await readCheckpointMeta(dir);
  if (!head.ok) throw new RunError(`Cannot start from '${path}': ${head.message}`);
  const saved = head.meta.config as Partial<World & Config>;
  const hasWorld = ["intMin", "intMax", "maxListLen", "literalMin", "literalMax"].every((k) =>
    typeof (saved as Record<string, unknown>)[k] === "number"
  );
  if (!hasWorld) {
    throw new RunError(
      `Cannot start from '${dir}': its config records no world (a checkpoint from before worlds existed); pre-train a new base`,
    );
  }
  const mismatch = worldMismatch(saved as World, worldOf(target.cfg));
  if (mismatch) throw new RunError(`Cannot start from '${dir}': ${mismatch}`);
  const sizes: Record<string, unknown> = head.meta.model;
  const differ = SIZE_KEYS.filter((k) => sizes[k] !== target.cfg[k]);
  if (differ.length > 0) {
    throw new RunError(
      `Cannot start from '${dir}': its model has ${
        differ.map((k) => `${k} ${JSON.stringify(sizes[k])}`).join(", ")
      }, this run ${
        differ.map((k) => `${k} ${JSON.stringify(target.cfg[k])}`).join(", ")
      }; use the base's preset or matching --key=value settings`,
    );
  }
  const r = await loadCheckpoint(dir, { model: target.model, vocabHash: target.vocabHash });
  if (!r.ok) throw new RunError(r.message);
  const taught = (saved as Partial<Config>).pretrainMaxSize;
  return {
    path: dir,
    step: r.meta.step,
    ...(typeof taught === "number" ? { pretrainMaxSize: taught } : {}),
  };
}

/**
 * Writes a weights-only checkpoint of `model` (no optimizer moments: a third of the size) — the
 * form a shipped base takes (`data/base/`).
 */
export async function saveBase(
  dir: string,
  s: { model: Transformer; config: Config; vocabHash: string; step: number },
): Promise<void> {
  await saveCheckpoint(dir, {
    model: s.model,
    meta: { config: s.config, vocabHash: s.vocabHash, step: s.step, rngState: [] },
  });
}
