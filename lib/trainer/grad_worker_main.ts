/**
 * The gradient worker's side (`grad_worker.ts` starts it): a twin of the main thread's model that,
 * for each request, takes the step's weights, computes the gradients of its micro-batches' losses
 * (`microBatchLosses`, the main thread's own closures) and sends them back with the losses and
 * per-row NLLs.
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type BackendChoice, initBackend } from "../model/backend.ts";
import { completionLogprobs } from "../model/logprobs.ts";
import { accumulateGradients } from "../model/optimizer.ts";
import { Transformer } from "../model/transformer.ts";
import { microBatchLosses } from "./cross_entropy.ts";
import type { GradReply, GradRequest } from "./grad_worker.ts";
import { serveRpc } from "./worker_rpc.ts";

let model: Transformer | undefined;

serveRpc<GradRequest, GradReply>(async (req) => {
  if (req.kind === "init") {
    await initBackend(req.backend as BackendChoice, { log: false });
    model = new Transformer(req.spec);
    return { reply: { kind: "ready" } };
  }
  if (req.kind === "tensors") {
    return { reply: { kind: "tensors", numTensors: tf.memory().numTensors } };
  }
  if (!model) throw new Error("gradient worker: 'gradients' before 'init'");
  const twin = model;
  const vars = twin.variables();
  if (req.weights.length !== vars.length) {
    throw new Error(`${req.weights.length} weights sent for a model of ${vars.length} variables`);
  }
  vars.forEach((v, i) => {
    const w = req.weights[i]!;
    if (w.length !== v.size) {
      throw new Error(`variable ${i}: ${w.length} values sent for shape [${v.shape}]`);
    }
    tf.tidy(() => v.assign(tf.tensor(w, v.shape)));
  });
  const rows: tf.Tensor1D[] = [];
  const policy = {
    logprobs: (b: Parameters<typeof completionLogprobs>[1]) => completionLogprobs(twin, b),
  };
  const losses = microBatchLosses(policy, req.groups, req.forward, req.scale, (r) => {
    rows.push(tf.keep(r));
  });
  let grads: tf.NamedTensorMap = {};
  let values: tf.Scalar[] = [];
  let all: tf.Tensor | undefined;
  try {
    ({ grads, values } = accumulateGradients(losses, vars));
    // Copies (slice) to transfer: on the cpu backend dataSync is the tensor's own storage.
    const grad = vars.map((v) => {
      const g = grads[v.name];
      return g ? (g.dataSync() as Float32Array).slice() : null;
    });
    all = tf.concat(rows);
    const rowNll = (all.dataSync() as Float32Array).slice();
    const reply: GradReply = {
      kind: "gradients",
      grads: grad,
      values: values.map((x) => x.dataSync()[0]!),
      rowNll,
    };
    const transfer = [
      ...grad.flatMap((g) => (g ? [g.buffer] : [])),
      rowNll.buffer,
    ] as ArrayBuffer[];
    return { reply, transfer };
  } finally {
    tf.dispose([...Object.values(grads), ...values, ...rows, ...(all ? [all] : [])]);
  }
});
