/**
 * The pre-training data worker (config `pretrainDataWorker`): draws pre-training batches on its
 * own thread, so that generating batch `step + 1` (JavaScript) overlaps the training step on
 * `step` (wasm). It builds the same bank split from the same cache and draws with the run's
 * generator state, so its batches are the main thread's; each batch comes back with the
 * generator's state after it, which the run saves in its checkpoints. Started by
 * `pretrain_batches.ts`; the messages are {@linkcode WorkerRequest} and {@linkcode WorkerReply}.
 * @module
 */
import type { Config } from "../config.ts";
import { configSplit } from "../eval/bank_split.ts";
import type { Bank } from "../lang/generate.ts";
import { Rng } from "../rng.ts";
import { configBank } from "./bank_cache.ts";
import { type PretrainExample, pretrainStepBatch } from "./pretrain_data.ts";

/** What the main thread asks: set up (config and generator state), or the batch of a step. */
export type WorkerRequest =
  | { kind: "init"; cfg: Config; rngState: number[] }
  | { kind: "batch"; step: number };

/** What the worker answers: ready, a batch with the generator's state after it, or an error. */
export type WorkerReply =
  | { kind: "ready" }
  | { kind: "batch"; step: number; batch: PretrainExample[]; rngState: number[] }
  | { kind: "error"; message: string };

const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(reply: WorkerReply): void;
};

let state: { cfg: Config; train: Bank; rng: Rng } | undefined;
// One request at a time, in order: init's bank read is async, so chain the handlers.
let queue: Promise<void> = Promise.resolve();

scope.onmessage = (e) => {
  const msg = e.data;
  queue = queue.then(async () => {
    try {
      if (msg.kind === "init") {
        const { bank } = await configBank(msg.cfg);
        const { train } = configSplit(bank, msg.cfg); // pre-training's own split (pretrain.ts)
        state = { cfg: msg.cfg, train, rng: Rng.fromState(msg.rngState) };
        scope.postMessage({ kind: "ready" });
        return;
      }
      if (!state) throw new Error("pretrain worker: 'batch' before 'init'");
      const batch = pretrainStepBatch(state.rng, state.train, state.cfg, msg.step);
      scope.postMessage({ kind: "batch", step: msg.step, batch, rngState: state.rng.state() });
    } catch (err) {
      scope.postMessage({ kind: "error", message: (err as Error).stack ?? String(err) });
    }
  });
};
