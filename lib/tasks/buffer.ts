/**
 * A task buffer per task type (paper §3.3): every valid proposal is appended;
 * proposers see K references sampled uniformly without replacement; solver
 * batches take the newest entries first and top up uniformly from the rest.
 *
 * Persistence is append-only JSONL (`runs/<name>/buffers/<task>.jsonl`), one
 * record per line, validated with zod on read; a corrupt line is an error that
 * names the file and line, and nothing is loaded.
 * @module
 */
import type { TaskType } from "../config.ts";
import type { Rng } from "../rng.ts";
import { recordSchema, type TaskRecord } from "./records.ts";

/** The buffer of one task type. Entries are kept in the order they were added. */
export class TaskBuffer<T extends TaskRecord = TaskRecord> {
  readonly task: TaskType;
  #entries: T[];

  constructor(task: TaskType, entries: readonly T[] = []) {
    this.task = task;
    this.#entries = [...entries];
  }

  /** Number of entries. */
  get size(): number {
    return this.#entries.length;
  }

  /** All entries, oldest first (read-only view). */
  get entries(): readonly T[] {
    return this.#entries;
  }

  /** Appends entries. */
  add(entries: readonly T[]): void {
    for (const e of entries) {
      if (e.task !== this.task) {
        throw new Error(`Cannot add a ${e.task} record to the ${this.task} buffer`);
      }
      this.#entries.push(e);
    }
  }

  /** K references for a proposer: uniform without replacement (fewer if the buffer is smaller). */
  references(rng: Rng, k: number): T[] {
    return rng.sample(this.#entries, k);
  }

  /**
   * n tasks for the solver: entries added at `step` first (the newest proposals,
   * in random order), then uniformly without replacement from the older ones;
   * repeats only when the whole buffer is smaller than n.
   */
  solverBatch(rng: Rng, n: number, step: number): T[] {
    const newest = this.#entries.filter((e) => e.step === step);
    const older = this.#entries.filter((e) => e.step !== step);
    const batch = rng.sample(newest, n);
    batch.push(...rng.sample(older, n - batch.length));
    while (batch.length < n && this.#entries.length > 0) batch.push(rng.pick(this.#entries));
    return batch;
  }
}

/** Appends records to a buffer file (creating it), one JSON line each. */
export async function appendBufferFile(
  path: string,
  records: readonly TaskRecord[],
): Promise<void> {
  if (records.length === 0) return;
  const text = records.map((r) => JSON.stringify(r)).join("\n") + "\n";
  await Deno.writeTextFile(path, text, { append: true, create: true });
}

/**
 * Reads a buffer file. Records whose step is above `maxStep` are dropped (a
 * resumed run continues from its checkpoint). Throws with file:line on the
 * first malformed line; returns nothing partial.
 */
export async function readBufferFile(
  path: string,
  task: TaskType,
  maxStep = Infinity,
): Promise<TaskRecord[]> {
  const text = await Deno.readTextFile(path);
  const schema = recordSchema(task);
  const out: TaskRecord[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "") continue;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch (e) {
      throw new Error(`Cannot read buffer ${path}:${i + 1}: not JSON (${(e as Error).message})`);
    }
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(
        `Cannot read buffer ${path}:${i + 1}: '${
          issue.path.join(".") || "(record)"
        }' ${issue.message}`,
      );
    }
    if (parsed.data.task !== task) {
      throw new Error(
        `Cannot read buffer ${path}:${i + 1}: a ${parsed.data.task} record in the ${task} buffer`,
      );
    }
    if (parsed.data.step <= maxStep) out.push(parsed.data);
  }
  return out;
}
