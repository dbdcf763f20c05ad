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

/**
 * Batches drawn by a worker, one step ahead, from `rng`'s state (the worker reads the same bank
 * from the cache `configBank` wrote). Steps must be taken in order from the first one asked.
 */
export async function workerBatches(cfg: Config, rng: Rng): Promise<PretrainBatches> {
  const worker = new Worker(new URL("./pretrain_worker.ts", import.meta.url).href, {
    type: "module",
  });
  const waiting = new Map<number | "ready", PromiseWithResolvers<WorkerReply>>();
  const wait = (key: number | "ready") => {
    let w = waiting.get(key);
    if (!w) waiting.set(key, w = Promise.withResolvers<WorkerReply>());
    return w;
  };
  const failAll = (message: string) => {
    for (const w of waiting.values()) w.reject(new Error(`pre-training data worker: ${message}`));
  };
  worker.onmessage = (e: MessageEvent<WorkerReply>) => {
    const r = e.data;
    if (r.kind === "error") failAll(r.message);
    else wait(r.kind === "ready" ? "ready" : r.step).resolve(r);
  };
  worker.onerror = (e) => {
    e.preventDefault();
    failAll(e.message);
  };
  const send = (req: WorkerRequest) => worker.postMessage(req);
  send({ kind: "init", cfg, rngState: rng.state() });
  try {
    await wait("ready").promise;
  } catch (e) {
    worker.terminate();
    throw e;
  }
  let next: number | undefined; // the next step to ask the worker for
  const ask = (step: number) => {
    if (next !== undefined && step !== next) {
      throw new Error(`pre-training data worker: asked for step ${step}, expected ${next}`);
    }
    if (step >= cfg.pretrainSteps) return; // past the last step: nothing to draw ahead
    wait(step);
    send({ kind: "batch", step });
    next = step + 1;
  };
  return {
    async take(step) {
      if (step >= cfg.pretrainSteps) {
        throw new Error(`pre-training data worker: step ${step} is past pretrainSteps`);
      }
      if (next === undefined || step >= next) ask(step);
      if (next === step + 1) ask(step + 1); // the prefetch: drawn while this step trains
      const r = await wait(step).promise;
      waiting.delete(step);
      if (r.kind !== "batch") throw new Error(`pre-training data worker: no batch for ${step}`);
      return { batch: r.batch, rng: Rng.fromState(r.rngState) };
    },
    [Symbol.asyncDispose]() {
      worker.terminate();
      return Promise.resolve();
    },
  };
}
