/**
 * The layout of a run folder and the rules for starting or resuming one:
 * a fresh run never overwrites an existing one unless asked to (`--overwrite`);
 * a resumed run keeps its saved config (only the keys given again may override
 * it, and only budget keys may change) and cuts every log back to the step of
 * its checkpoint, so that it continues exactly as if never interrupted.
 * @module
 */
import { z } from "zod";
import { type Config, ConfigSchema } from "../config.ts";
import { InputError } from "../errors.ts";
import { JsonlError, readJsonlLines } from "../jsonl.ts";
import { type RunPaths, runPaths } from "./run_files.ts";

/**
 * Keys a resumed run may change: budgets, checkpoint and eval cadence, the eval suites; nothing
 * that changes the training trajectory.
 */
export const RESUMABLE_KEYS = [
  "steps",
  "maxMinutes",
  "checkpointEvery",
  "checkpointMinutes",
  "evalEvery",
  "evalLimit",
  "evalSuites",
  "pretrainSteps",
  "pretrainEvalEvery",
] as const;

/**
 * A run folder that cannot be used as asked (it exists, it has no saved config, its files or
 * checkpoints are corrupt); the message says what to do. The CLI prints it on one line, exit 2.
 */
export class RunError extends InputError {
  override name = "RunError";
}

/**
 * Whether a file or folder exists. Only "not found" means absent: any other stat error (a parent
 * that is a file, no permission) propagates, since taking it for "absent" would start a run over.
 */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/** How {@linkcode openRunDir} treats an existing run folder. */
export type OpenMode =
  /** Start a run; an existing run under the same name is an error. */
  | "new"
  /** Continue the saved run with its saved config. */
  | "resume"
  /** Start a run, deleting the files of an existing run under the same name first. */
  | "overwrite";

/** Options of {@linkcode openRunDir}. */
export interface OpenRunOptions {
  mode: OpenMode;
  /**
   * On resume, the keys given explicitly (on the command line): only these override the saved
   * config, and only {@linkcode RESUMABLE_KEYS} may differ from it. Default: every key of `cfg`.
   */
  explicitKeys?: readonly string[];
}

/**
 * Creates a fresh run folder (`new`: error if one with data exists; `overwrite`: its run files
 * are deleted first) or, with `resume`, reads the saved config and applies the explicit keys
 * of `cfg` over it (only {@linkcode RESUMABLE_KEYS} may change). Returns the config to run with.
 */
export async function openRunDir(
  cfg: Config,
  opts: OpenRunOptions,
): Promise<{ cfg: Config; paths: RunPaths }> {
  const paths = runPaths(cfg.runsDir, cfg.name);
  if (opts.mode !== "resume") {
    if (opts.mode === "overwrite") await clearRun(paths, { keepConfig: false });
    else if (await exists(paths.metrics) || await exists(paths.checkpoints)) {
      throw new RunError(
        `Run '${cfg.name}' already exists in ${paths.dir}: pass --resume to continue it, --overwrite to replace it, or choose another --name`,
      );
    }
    await Deno.mkdir(paths.buffers, { recursive: true });
    await Deno.mkdir(paths.checkpoints, { recursive: true });
    await writeAtomic(paths.config, JSON.stringify(cfg, null, 2) + "\n");
    return { cfg, paths };
  }
  if (!await exists(paths.config)) {
    throw new RunError(
      `Cannot resume '${cfg.name}': there is no run in ${paths.dir}; drop --resume to start it (or check --name and --runsDir)`,
    );
  }
  let saved: Config;
  try {
    saved = ConfigSchema.parse(JSON.parse(await Deno.readTextFile(paths.config)));
  } catch (e) {
    throw new RunError(
      `Cannot resume '${cfg.name}': ${paths.config} is invalid (${
        oneLineMessage(e)
      }); pass --overwrite to start the run over`,
    );
  }
  const given = opts.explicitKeys ?? Object.keys(cfg);
  const merged: Record<string, unknown> = { ...saved };
  for (const key of given) {
    if (!(key in saved) || key === "name" || key === "runsDir") continue;
    const k = key as keyof Config;
    if ((RESUMABLE_KEYS as readonly string[]).includes(key)) merged[key] = cfg[k];
    else if (JSON.stringify(saved[k]) !== JSON.stringify(cfg[k])) {
      throw new RunError(
        `Cannot resume '${cfg.name}': '${key}' was ${
          JSON.stringify(saved[k])
        } in the saved run, now ${JSON.stringify(cfg[k])}; drop the override (only ${
          RESUMABLE_KEYS.join(", ")
        } may change)`,
      );
    }
  }
  // Where the run lives is where it was found (a moved run folder keeps working).
  merged.runsDir = cfg.runsDir;
  const resumed = merged as Config;
  await writeAtomic(paths.config, JSON.stringify(resumed, null, 2) + "\n");
  return { cfg: resumed, paths };
}

/**
 * Deletes what a run wrote (metrics, proposals, buffers, checkpoints, eval, summary, report,
 * and `config.json` unless `keepConfig`), and nothing else in its folder.
 */
export async function clearRun(paths: RunPaths, opts: { keepConfig: boolean }): Promise<void> {
  const files = [paths.metrics, paths.proposals, paths.report, paths.summary, paths.evalFinal];
  if (!opts.keepConfig) files.push(paths.config);
  for (const path of [...files, paths.buffers, paths.checkpoints]) {
    await Deno.remove(path, { recursive: true }).catch((e) => {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    });
  }
}

function oneLineMessage(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n").map((l) => l.trim())
    .filter(Boolean).join(" ");
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
 * Used on resume for metrics, proposals and buffers. A missing file is fine; a torn last line
 * is dropped; any other bad line is a {@linkcode RunError} naming `path:line`.
 */
export async function truncateJsonl(path: string, maxStep: number): Promise<void> {
  if (!await exists(path)) return;
  let lines;
  try {
    lines = await readJsonlLines(path, StepSchema);
  } catch (e) {
    if (!(e instanceof JsonlError)) throw e;
    throw new RunError(
      `Cannot resume: ${e.message}; repair or delete that line, or pass --overwrite to start the run over`,
    );
  }
  const kept = lines.filter((l) => l.value.step <= maxStep).map((l) => l.text);
  await writeAtomic(path, kept.length ? kept.join("\n") + "\n" : "");
}

/** What {@linkcode truncateJsonl} needs of a line: its step (the rest is kept as written). */
const StepSchema = z.looseObject({ step: z.number() });
