/**
 * The layout of a run folder and the rules for starting or resuming one:
 * a fresh run never overwrites an existing one; a resumed run keeps its saved
 * config (only budget keys may change) and cuts every log back to the step of
 * its last checkpoint, so that it continues exactly as if never interrupted.
 * @module
 */
import { type Config, ConfigError, ConfigSchema, type TaskType } from "../config.ts";

/** Paths of one run's files. */
export interface RunPaths {
  dir: string;
  config: string;
  metrics: string;
  proposals: string;
  buffers: string;
  buffer: (task: TaskType) => string;
  checkpoints: string;
  report: string;
  summary: string;
  /** The final held-out eval, task by task (answers and scores). */
  evalFinal: string;
}

/** The paths of run `name` under `runsDir`. */
export function runPaths(runsDir: string, name: string): RunPaths {
  const dir = `${runsDir}/${name}`;
  return {
    dir,
    config: `${dir}/config.json`,
    metrics: `${dir}/metrics.jsonl`,
    proposals: `${dir}/proposals.jsonl`,
    buffers: `${dir}/buffers`,
    buffer: (task) => `${dir}/buffers/${task}.jsonl`,
    checkpoints: `${dir}/checkpoints`,
    report: `${dir}/report.html`,
    summary: `${dir}/summary.json`,
    evalFinal: `${dir}/eval.json`,
  };
}

/** Keys a resumed run may change: budgets and logging cadence, nothing that changes the trajectory. */
export const RESUMABLE_KEYS = [
  "steps",
  "maxMinutes",
  "checkpointEvery",
  "evalEvery",
  "evalLimit",
] as const;

/** Whether a file or folder exists (any stat error counts as absent). */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Creates a fresh run folder (error if one with data exists) or, with
 * `resume`, reads the saved config and checks that `cfg` only differs in
 * {@linkcode RESUMABLE_KEYS}. Returns the config to run with.
 */
export async function openRunDir(
  cfg: Config,
  resume: boolean,
): Promise<{ cfg: Config; paths: RunPaths }> {
  const paths = runPaths(cfg.runsDir, cfg.name);
  if (!resume) {
    if (await exists(paths.metrics) || await exists(paths.checkpoints)) {
      throw new ConfigError(
        `Run '${cfg.name}' already exists in ${paths.dir}: pass --resume to continue it, or choose another --name`,
      );
    }
    await Deno.mkdir(paths.buffers, { recursive: true });
    await Deno.mkdir(paths.checkpoints, { recursive: true });
    await writeAtomic(paths.config, JSON.stringify(cfg, null, 2) + "\n");
    return { cfg, paths };
  }
  let saved: Config;
  try {
    saved = ConfigSchema.parse(JSON.parse(await Deno.readTextFile(paths.config)));
  } catch (e) {
    throw new ConfigError(
      `Cannot resume '${cfg.name}': ${paths.config} is missing or invalid (${
        (e as Error).message
      })`,
    );
  }
  for (const key of Object.keys(saved) as (keyof Config)[]) {
    if (
      (RESUMABLE_KEYS as readonly string[]).includes(key) || key === "name" || key === "runsDir"
    ) continue;
    if (JSON.stringify(saved[key]) !== JSON.stringify(cfg[key])) {
      throw new ConfigError(
        `Cannot resume '${cfg.name}': '${key}' was ${
          JSON.stringify(saved[key])
        } in the saved run, now ${JSON.stringify(cfg[key])}; drop the override (only ${
          RESUMABLE_KEYS.join(", ")
        } may change)`,
      );
    }
  }
  const merged = { ...saved };
  for (const k of RESUMABLE_KEYS) (merged as Record<string, unknown>)[k] = cfg[k];
  await writeAtomic(paths.config, JSON.stringify(merged, null, 2) + "\n");
  return { cfg: merged, paths };
}

/** Writes a file atomically: a temp file in the same folder, then rename. */
export async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  if (typeof data === "string") await Deno.writeTextFile(tmp, data);
  else await Deno.writeFile(tmp, data);
  await Deno.rename(tmp, path);
}

/**
 * Keeps only the JSONL lines whose `step` ≤ maxStep (rewritten atomically).
 * Used on resume for metrics, proposals and buffers. A missing file is fine.
 */
export async function truncateJsonl(path: string, maxStep: number): Promise<void> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch {
    return;
  }
  const kept: string[] = [];
  const lines = text.split("\n").filter((l) => l.trim());
  for (const [i, line] of lines.entries()) {
    let step: unknown;
    try {
      step = JSON.parse(line).step;
    } catch (e) {
      if (i === lines.length - 1) continue; // a torn last line from the killed run
      throw new Error(`Cannot resume: ${path}:${i + 1} is corrupt (${(e as Error).message})`);
    }
    if (typeof step === "number" && step <= maxStep) kept.push(line);
  }
  await writeAtomic(path, kept.length ? kept.join("\n") + "\n" : "");
}
