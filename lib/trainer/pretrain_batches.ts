/**
 * Where pre-training's batches come from (config `pretrainDataWorker`): drawn on the main thread
 * when the step asks, or by a worker (`pretrain_worker.ts`) that draws batch `step + 1` while the
 * step trains on `step`, so data generation (JavaScript) overlaps the model (wasm) on a second
 * core. Both draw the same batches from the same generator state; each batch comes with the
 * generator's state after it, which the run's checkpoints save, so resume is exact either way.
 * @module
 */
import type { Config } from "../config.ts";
import type { Bank } from "../lang/generate.ts";
import { Rng } from "../rng.ts";
import { type PretrainExample, pretrainStepBatch } from "./pretrain_data.ts";
import type { WorkerReply, WorkerRequest } from "./pretrain_worker.ts";
import { startRpcWorker } from "./worker_rpc.ts";

/** A step's batch and the generator's state after it. */
export interface StepBatch {
  batch: PretrainExample[];
  rng: Rng;
}

/** Pre-training's batches, asked for in step order. */
export interface PretrainBatches extends AsyncDisposable {
  /** The batch of `step` (steps in order, one after another). */
  take(step: number): Promise<StepBatch>;
}

/** Batches drawn on the main thread with `rng` (advanced in place), when the step asks. */
export function inlineBatches(train: Bank, cfg: Config, rng: Rng): PretrainBatches {
  return {
    take: (step) => Promise.resolve({ batch: pretrainStepBatch(rng, train, cfg, step), rng }),
    [Symbol.asyncDispose]: () => Promise.resolve(),
  };
}

/** The data worker (`pretrain_worker.ts`), asked for batches by step. */
export interface DataWorker extends AsyncDisposable {
  /** Has the worker draw `step`'s batch; requests are answered in the order they are made. */
  ask(step: number): Promise<StepBatch>;
}

/**
 * Starts the data worker on `rng`'s state (it reads the same bank from the cache `configBank`
 * wrote) and waits until it is ready. A failure in the worker rejects every pending request.
 */
export async function startDataWorker(cfg: Config, rng: Rng): Promise<DataWorker> {
  const worker = await startRpcWorker<WorkerRequest, WorkerReply>(
    new URL("./pretrain_worker.ts", import.meta.url),
    "pre-training data worker",
    { kind: "init", cfg, rngState: rng.state() },
  );
  return {
    async ask(step) {
      const r = await worker.send({ kind: "batch", step });
      if (r.kind !== "batch") throw new Error(`pre-training data worker: no batch for ${step}`);
      return { batch: r.batch, rng: Rng.fromState(r.rngState) };
    },
    [Symbol.asyncDispose]() {
      worker.terminate();
      return Promise.resolve();
    },
  };
}

/**
 * Batches drawn by the data worker ({@linkcode startDataWorker}), one step ahead, from `rng`'s
 * state. Steps must be taken in order from the first one asked.
 */
export async function workerBatches(cfg: Config, rng: Rng): Promise<PretrainBatches> {
  const worker = await startDataWorker(cfg, rng);
  const asked = new Map<number, Promise<StepBatch>>();
  let next: number | undefined; // the next step to ask the worker for
  const ask = (step: number) => {
    if (next !== undefined && step !== next) {
      throw new Error(`pre-training data worker: asked for step ${step}, expected ${next}`);
    }
    if (step >= cfg.pretrainSteps) return; // past the last step: nothing to draw ahead
    const batch = worker.ask(step);
    batch.catch(() => {}); // a prefetch's failure surfaces when its step is taken
    asked.set(step, batch);
    next = step + 1;
  };
  return {
    async take(step) {
      if (step >= cfg.pretrainSteps) {
        throw new Error(`pre-training data worker: step ${step} is past pretrainSteps`);
      }
      if (next === undefined || step >= next) ask(step);
      if (next === step + 1) ask(step + 1); // the prefetch: drawn while this step trains
      const batch = asked.get(step);
      if (!batch) throw new Error(`pre-training data worker: step ${step} was taken already`);
      asked.delete(step);
      return await batch;
    },
    [Symbol.asyncDispose]: () => worker[Symbol.asyncDispose](),
  };
}
