/**
 * The gradient worker (config `pretrainGradWorker`): a second thread with a twin of the model that
 * computes part of a cross-entropy step's micro-batches (`crossEntropyStep` splits them), so the
 * model's kernels run on two cores. Each request carries the step's weights (copied from the main
 * thread's variables) and its micro-batches; the reply carries their gradients, losses and per-row
 * NLLs, which join the main thread's before its one AdamW update. The worker keeps no state of its
 * own between steps but the model's shape. Its side is `grad_worker_main.ts`.
 * @module
 */
import type { LogprobsForward } from "../model/logprobs.ts";
import type { TransformerOptions } from "../model/transformer.ts";
import type { GradWorker, SupervisedExample, WorkerGradients } from "./cross_entropy.ts";
import { startRpcWorker } from "./worker_rpc.ts";

/** What the main thread asks: build the twin (its spec, on a backend), or a share of a step. */
export type GradRequest =
  | { kind: "init"; backend: string; spec: TransformerOptions }
  | {
    kind: "gradients";
    /** Every variable's values, in the model's order. */
    weights: Float32Array[];
    groups: SupervisedExample[][];
    forward: LogprobsForward;
    /** Each micro-batch's loss is `scale` × its summed NLL. */
    scale: number;
  }
  | { kind: "tensors" };

/** What the worker answers: ready, or the gradients of its share. */
export type GradReply =
  | { kind: "ready" }
  | ({ kind: "gradients" } & WorkerGradients)
  | { kind: "tensors"; numTensors: number };

/** A started gradient worker, and how many tensors its thread holds (a leak shows there). */
export interface GradWorkerHandle extends GradWorker {
  tensors(): Promise<number>;
}

/** Backends whose kernels run on one thread, where a second one pays. */
export const SINGLE_THREADED_BACKENDS = ["wasm", "cpu"];

/**
 * Starts a gradient worker with a twin of the model `spec` describes on `backend` (the main
 * thread's: `wasm` or `cpu`) and waits until it is built.
 */
export async function startGradWorker(
  spec: TransformerOptions,
  backend: string,
): Promise<GradWorkerHandle> {
  if (!SINGLE_THREADED_BACKENDS.includes(backend)) {
    throw new Error(
      `gradient worker: backend '${backend}' runs its own threads; the worker is for ${
        SINGLE_THREADED_BACKENDS.join(" and ")
      }`,
    );
  }
  const worker = await startRpcWorker<GradRequest, GradReply>(
    new URL("./grad_worker_main.ts", import.meta.url),
    "gradient worker",
    { kind: "init", backend, spec: { ...spec } },
  );
  return {
    async gradients(vars, groups, forward, scale) {
      // Copies (slice): on the cpu backend dataSync is the variable's own storage, which the
      // transfer would take away.
      const weights = vars.map((v) => (v.dataSync() as Float32Array).slice());
      const r = await worker.send(
        { kind: "gradients", weights, groups, forward, scale },
        weights.map((w) => w.buffer),
      );
      if (r.kind !== "gradients") throw new Error("gradient worker: no gradients in its reply");
      if (r.grads.length !== vars.length) {
        throw new Error(
          `gradient worker: ${r.grads.length} gradients for a model of ${vars.length} variables`,
        );
      }
      return r;
    },
    async tensors() {
      const r = await worker.send({ kind: "tensors" });
      if (r.kind !== "tensors") throw new Error("gradient worker: no tensor count in its reply");
      return r.numTensors;
    },
    [Symbol.asyncDispose]() {
      worker.terminate();
      return Promise.resolve();
    },
  };
}
