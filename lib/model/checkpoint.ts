/**
 * Checkpoints: a folder with `model.safetensors` (weights, then AdamW moments) and `meta.json`
 * (caller metadata, model sizes, optimizer step, and the SHA-256 of the weights file). Each file
 * is written to a temp file and renamed; meta.json goes last and names the weights it belongs
 * to, so a crash mid-save leaves either the old pair or a detectable mismatch. Loading validates
 * everything before it assigns anything.
 *
 * @example
 * ```ts
 * import { resolveConfig } from "../config.ts";
 * import { TransformerPolicy } from "./policy.ts";
 * const config = resolveConfig({ preset: "tiny" });
 * const { model, optimizer } = TransformerPolicy.fromConfig(config, 120);
 * const [vocabHash, rngState] = ["(the vocabulary's hash)", [1, 2, 3, 4]];
 * await saveCheckpoint("runs/x/checkpoints/step_10", { model, optimizer, meta: { config, vocabHash, step: 10, rngState } });
 * const r = await loadCheckpoint("runs/x/checkpoints/step_10", { model, optimizer, vocabHash });
 * if (!r.ok) console.error(r.kind, r.message);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { z } from "zod";
import type { AdamW } from "./optimizer.ts";
import { decodeSafetensors, encodeSafetensors, type NamedTensorData } from "./safetensors.ts";
import type { Transformer, TransformerOptions } from "./transformer.ts";

/** What a caller stores with the weights; extra keys (caller JSON) are kept as they are. */
export interface CheckpointMeta {
  /** The run's config (plain JSON). */
  config: Record<string, unknown>;
  /** Hash of the token vocabulary the model was trained with. */
  vocabHash: string;
  /** Training step. */
  step: number;
  /** State of the caller's sampling generator (Rng.state()). */
  rngState: number[];
  /** Anything else the caller wants back (buffer sizes, its own RNG state, …). */
  [extra: string]: unknown;
}

/** Format tag written into meta.json (bumped when the layout changes). */
export const CHECKPOINT_FORMAT = "azr-kit/model@1";

const positiveInt = () => z.number().int().positive();

/**
 * What meta.json holds: the caller's {@linkcode CheckpointMeta} (extra keys kept as they are),
 * the format, the model's sizes, the AdamW updates applied (null: saved without optimizer) and
 * the SHA-256 (hex) of model.safetensors.
 */
export const CheckpointFileSchema = z.looseObject({
  format: z.literal(CHECKPOINT_FORMAT),
  config: z.record(z.string(), z.unknown()),
  vocabHash: z.string(),
  step: z.number().int(),
  rngState: z.array(z.number()),
  model: z.looseObject({
    vocabSize: positiveInt(),
    dModel: positiveInt(),
    nLayers: positiveInt(),
    nHeads: positiveInt(),
    mlpRatio: z.number().positive(),
    contextLen: positiveInt(),
    tieEmbeddings: z.boolean(),
    seed: z.number(),
  }) satisfies z.ZodType<TransformerOptions>,
  optimizerStep: z.number().int().nonnegative().nullable(),
  weightsSha256: z.string(),
});
/** What meta.json holds. */
export type CheckpointFile = z.infer<typeof CheckpointFileSchema>;

/** Why a checkpoint could not be loaded. */
export type CheckpointErrorKind = "missing" | "corrupt" | "mismatch" | "vocab";

/** The result of loading: the metadata, or a clear error (the model is then untouched). */
export type CheckpointLoadResult =
  | { ok: true; meta: CheckpointFile }
  | { ok: false; kind: CheckpointErrorKind; message: string };

const FORMAT = CHECKPOINT_FORMAT;
const WEIGHTS = "model.safetensors";
const META = "meta.json";

/** Saves model weights, optimizer state (when given) and metadata into folder `dir`. */
export async function saveCheckpoint(
  dir: string,
  parts: { model: Transformer; optimizer?: AdamW; meta: CheckpointMeta },
): Promise<void> {
  const { model, optimizer, meta } = parts;
  const tensors = new Map<string, NamedTensorData>();
  const add = async (name: string, v: tf.Tensor) =>
    tensors.set(name, { shape: v.shape.slice(), data: (await v.data()) as Float32Array });
  for (const [name, v] of model.params) await add(`model.${name}`, v);
  if (optimizer) {
    for (const [name, v] of optimizer.state.m) await add(`adam_m.${name}`, v);
    for (const [name, v] of optimizer.state.v) await add(`adam_v.${name}`, v);
  }
  const bytes = encodeSafetensors(tensors, { format: FORMAT });
  const file: CheckpointFile = {
    ...JSON.parse(JSON.stringify(meta)) as CheckpointMeta,
    format: FORMAT,
    model: { ...model.options },
    optimizerStep: optimizer ? optimizer.state.t : null,
    weightsSha256: await sha256(bytes),
  };
  await Deno.mkdir(dir, { recursive: true });
  await writeAtomic(`${dir}/${WEIGHTS}`, bytes);
  await writeAtomic(
    `${dir}/${META}`,
    new TextEncoder().encode(JSON.stringify(file, null, 2) + "\n"),
  );
}

/** Reads and checks meta.json only (e.g. to build a model of the right size before loading). */
export async function readCheckpointMeta(dir: string): Promise<CheckpointLoadResult> {
  let text: string;
  try {
    text = await Deno.readTextFile(`${dir}/${META}`);
  } catch (e) {
    return {
      ok: false,
      kind: "missing",
      message: `Cannot load checkpoint '${dir}': ${META} unreadable (${(e as Error).message})`,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return {
      ok: false,
      kind: "corrupt",
      message: `Cannot load checkpoint '${dir}': ${META} is not JSON (${(e as Error).message})`,
    };
  }
  const parsed = CheckpointFileSchema.safeParse(json);
  if (!parsed.success) {
    const why = z.prettifyError(parsed.error).split("\n").map((l) => l.trim()).join(" ");
    return {
      ok: false,
      kind: "corrupt",
      message: `Cannot load checkpoint '${dir}': ${META} is not a checkpoint's (${why})`,
    };
  }
  return { ok: true, meta: parsed.data };
}

/**
 * The checkpoint folder that `dir/latest` names (a run's `checkpoints/` folder keeps several,
 * `latest` the newest complete one), or undefined when there is none yet.
 */
export async function latestCheckpoint(dir: string): Promise<string | undefined> {
  try {
    const name = (await Deno.readTextFile(`${dir}/latest`)).trim();
    return name ? `${dir}/${name}` : undefined;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined; // no checkpoint yet
    throw e;
  }
}

/**
 * Loads a checkpoint into `model` (and `optimizer` when given). Checks the vocabulary hash (when
 * `vocabHash` is given), the weights checksum, every tensor's name, dtype and shape; on any
 * error returns it and leaves the model and optimizer exactly as they were.
 */
export async function loadCheckpoint(
  dir: string,
  target: { model: Transformer; optimizer?: AdamW; vocabHash?: string },
): Promise<CheckpointLoadResult> {
  const head = await readCheckpointMeta(dir);
  if (!head.ok) return head;
  const meta = head.meta;
  const fail = (kind: CheckpointErrorKind, what: string): CheckpointLoadResult => ({
    ok: false,
    kind,
    message: `Cannot load checkpoint '${dir}': ${what}`,
  });
  if (target.vocabHash !== undefined && meta.vocabHash !== target.vocabHash) {
    return fail(
      "vocab",
      `vocabulary hash ${meta.vocabHash} differs from the current ${target.vocabHash}; the language settings changed`,
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(`${dir}/${WEIGHTS}`);
  } catch (e) {
    return fail("missing", `${WEIGHTS} unreadable (${(e as Error).message})`);
  }
  if ((await sha256(bytes)) !== meta.weightsSha256) {
    return fail(
      "corrupt",
      `${WEIGHTS} does not match the checksum in ${META} (truncated, corrupt, or from another save)`,
    );
  }
  const decoded = decodeSafetensors(bytes);
  if (!decoded.ok) return fail("corrupt", `${WEIGHTS}: ${decoded.message}`);
  const assignments: [tf.Variable, NamedTensorData][] = [];
  const expect = (name: string, v: tf.Variable): string | undefined => {
    const t = decoded.tensors.get(name);
    if (!t) return `tensor '${name}' is missing`;
    if (t.shape.length !== v.shape.length || t.shape.some((d, i) => d !== v.shape[i])) {
      return `tensor '${name}' has shape [${t.shape}] but the model expects [${v.shape}]`;
    }
    assignments.push([v, t]);
    return undefined;
  };
  const expected = new Set<string>();
  for (const [name, v] of target.model.params) {
    expected.add(`model.${name}`);
    const err = expect(`model.${name}`, v);
    if (err) return fail("mismatch", err);
  }
  if (target.optimizer) {
    if (meta.optimizerStep === null) {
      return fail("mismatch", "it was saved without optimizer state");
    }
    for (
      const [prefix, moments] of [["adam_m", target.optimizer.state.m], [
        "adam_v",
        target.optimizer.state.v,
      ]] as const
    ) {
      for (const [name, v] of moments) {
        expected.add(`${prefix}.${name}`);
        const err = expect(`${prefix}.${name}`, v);
        if (err) return fail("mismatch", err);
      }
    }
  }
  for (const name of decoded.tensors.keys()) {
    if (name.startsWith("model.") && !expected.has(name)) {
      return fail(
        "mismatch",
        `tensor '${name}' is not in this model (different tieEmbeddings or nLayers?)`,
      );
    }
  }
  // Everything checked: now apply all of it.
  for (const [v, t] of assignments) tf.tidy(() => v.assign(tf.tensor(t.data, t.shape)));
  if (target.optimizer) target.optimizer.state.t = meta.optimizerStep ?? 0;
  return { ok: true, meta };
}

async function writeAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${path}.${Deno.pid}.tmp`;
  const f = await Deno.open(tmp, { write: true, create: true, truncate: true });
  try {
    let at = 0;
    while (at < bytes.length) at += await f.write(bytes.subarray(at));
    await f.syncData();
  } finally {
    f.close();
  }
  await Deno.rename(tmp, path);
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>),
  );
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}
