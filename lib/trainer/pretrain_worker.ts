/**
 * The pre-training data worker (config `pretrainDataWorker`): draws pre-training batches on its
 * own thread, so that generating batch `step + 1` (JavaScript) overlaps the training step on
 * `step` (wasm). It builds the same bank split from the same cache and draws with the run's
 * generator state, so its batches are the main thread's; each batch comes back with the
 * generator's state after it, which the run saves in its checkpoints. Started by
 * `pretrain_batches.ts`; the messages are {@linkcode WorkerRequest} and {@linkcode WorkerReply}
 * (`worker_rpc.ts` carries them, and errors).
 * @module
 */
import type { Config } from "../config.ts";
import { configSplit } from "../eval/bank_split.ts";
import type { Bank } from "../lang/generate.ts";
import { Rng } from "../rng.ts";
import { configBank } from "./bank_cache.ts";
import { type PretrainExample, pretrainStepBatch } from "./pretrain_data.ts";
import { serveRpc } from "./worker_rpc.ts";

/** What the main thread asks: set up (config and generator state), or the batch of a step. */
export type WorkerRequest =
  | { kind: "init"; cfg: Config; rngState: number[] }
  | { kind: "batch"; step: number };

/** What the worker answers: ready, or a batch with the generator's state after it. */
export type WorkerReply =
  | { kind: "ready" }
  | { kind: "batch"; step: number; batch: PretrainExample[]; rngState: number[] };

let state: { cfg: Config; train: Bank; rng: Rng } | undefined;

serveRpc<WorkerRequest, WorkerReply>(async (msg) => {
  if (msg.kind === "init") {
    const { bank } = await configBank(msg.cfg);
    const { train } = configSplit(bank, msg.cfg); // pre-training's own split (pretrain.ts)
    state = { cfg: msg.cfg, train, rng: Rng.fromState(msg.rngState) };
    return { reply: { kind: "ready" } };
  }
  if (!state) throw new Error("pretrain worker: 'batch' before 'init'");
  const batch = pretrainStepBatch(state.rng, state.train, state.cfg, msg.step);
  return { reply: { kind: "batch", step: msg.step, batch, rngState: state.rng.state() } };
});
