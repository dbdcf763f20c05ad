/**
 * A task buffer per task type (paper §3.3): every valid proposal is appended;
 * proposers see K references sampled uniformly without replacement; solver
 * batches take the newest entries first and top up uniformly from the rest.
 *
 * Persistence is append-only JSONL (`runs/<name>/buffers/<task>.jsonl`), one
 * record per line, validated with zod on read (../jsonl.ts): a corrupt line is
 * an error that names the file and line, and nothing is loaded.
 * @module
 */
import type { TaskType } from "../config.ts";
import { appendJsonl, readJsonl } from "../jsonl.ts";
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
  await appendJsonl(path, records);
}

/**
 * Reads a buffer file. Records whose step is above `maxStep` are dropped (a
 * resumed run continues from its checkpoint). A torn last line (a run killed
 * mid-append) is skipped; any other bad line throws with file:line and
 * nothing partial is returned.
 */
export async function readBufferFile(
  path: string,
  task: TaskType,
  maxStep = Infinity,
): Promise<TaskRecord[]> {
  const schema = recordSchema(task).superRefine((r, ctx) => {
    if (r.task !== task) {
      ctx.addIssue({ code: "custom", message: `a ${r.task} record in the ${task} buffer` });
    }
  });
  return (await readJsonl(path, schema)).filter((r) => r.step <= maxStep);
}
