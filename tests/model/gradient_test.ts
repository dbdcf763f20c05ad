import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { bmm, bmmTDepthwise, dense, embed, gelu, layerNorm } from "../../lib/model/ops.ts";
import { completionLogprobs } from "../../lib/model/mod.ts";
import { Rng } from "../../lib/rng.ts";
import { tinyModel, useBackend } from "./helpers.ts";

await useBackend("wasm");

/** Central differences of f at x (float32 storage, so a coarse step), entry by entry. */
function numericGrad(
  f: (xs: Float32Array) => number,
  x: Float32Array,
  entries: number[],
  h = 1e-2,
): number[] {
  return entries.map((i) => {
    const old = x[i]!;
    x[i] = old + h;
    const up = f(x);
    x[i] = old - h;
    const down = f(x);
    x[i] = old;
    return (up - down) / (2 * h);
  });
}

function randn(rng: Rng, n: number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => (rng.next() * 2 - 1) * scale);
}

function assertClose(got: number[], want: number[], tol: number, what: string) {
  got.forEach((g, i) => {
    const w = want[i]!;
    assert.ok(
      Math.abs(g - w) <= tol * Math.max(1, Math.abs(w)),
      `${what}[${i}]: analytic ${g} vs numeric ${w}`,
    );
  });
}

// Each custom op: gradient of sum(op(inputs) * R) for a fixed random R, checked against central differences.
const rng = new Rng(3);
const cases: { name: string; shapes: number[][]; op: (ts: tf.Tensor[]) => tf.Tensor }[] = [
  {
    name: "dense",
    shapes: [[3, 4], [4, 5], [5]],
    op: ([x, w, b]) => dense(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D),
  },
  {
    name: "dense (no bias)",
    shapes: [[3, 4], [4, 2]],
    op: ([x, w]) => dense(x as tf.Tensor2D, w as tf.Tensor2D),
  },
  {
    name: "bmm",
    shapes: [[2, 3, 4], [2, 4, 2]],
    op: ([a, b]) => bmm(a as tf.Tensor3D, b as tf.Tensor3D),
  },
  {
    name: "embed",
    shapes: [[6, 3]],
    op: ([t]) => embed(t as tf.Tensor2D, tf.tensor1d([0, 2, 2, 5], "int32")),
  },
  {
    name: "layerNorm",
    shapes: [[3, 5], [5], [5]],
    op: ([x, g, b]) => layerNorm(x as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D),
  },
  { name: "gelu", shapes: [[7]], op: ([x]) => gelu(x!) },
  { name: "softmax", shapes: [[2, 5]], op: ([x]) => tf.softmax(x!) },
  {
    name: "logSumExp+where",
    shapes: [[2, 4]],
    op: ([x]) =>
      tf.logSumExp(
        tf.where(
          tf.tensor2d([[1, 0, 1, 1], [0, 1, 1, 0]], [2, 4], "bool"),
          x!,
          tf.fill([2, 4], -1e30),
        ),
        -1,
      ),
  },
  {
    name: "PPO-clip loss ops (exp, clipByValue, minimum, mean)",
    shapes: [[2, 3]],
    op: ([x]) => {
      const ratio = tf.exp(tf.mul(x!, 0.3));
      const adv = tf.tensor2d([[1, -2, 0.5], [-1, 3, 2]]);
      return tf.mean(
        tf.minimum(tf.mul(ratio, adv), tf.mul(tf.clipByValue(ratio, 0.9, 1.1), adv)),
        1,
      );
    },
  },
  // Last, so the cases above keep their random draws (the PPO case has kinks a draw may land near).
  {
    name: "bmmTDepthwise",
    shapes: [[2, 3, 4], [2, 5, 4]],
    op: ([a, b]) => bmmTDepthwise(a as tf.Tensor3D, b as tf.Tensor3D),
  },
];
for (const c of cases) {
  Deno.test(`gradient of ${c.name} matches central differences`, () => {
    const inputs = c.shapes.map((s) => randn(rng, s.reduce((a, b) => a * b, 1)));
    const outShape = tf.tidy(() => c.op(inputs.map((d, i) => tf.tensor(d, c.shapes[i]))).shape);
    const R = randn(rng, outShape.reduce((a, b) => a * b, 1));
    const lossOf = (ts: tf.Tensor[]) =>
      tf.sum(tf.mul(c.op(ts), tf.tensor(R, outShape))) as tf.Scalar;
    const analytic = tf.tidy(() => {
      const ts = inputs.map((d, i) => tf.tensor(d, c.shapes[i]));
      return tf.grads((...xs: tf.Tensor[]) => lossOf(xs))(ts).map((g) => Array.from(g.dataSync()));
    });
    inputs.forEach((data, k) => {
      const f = (x: Float32Array) =>
        tf.tidy(() =>
          lossOf(inputs.map((d, i) => tf.tensor(i === k ? x : d, c.shapes[i]))).dataSync()[0]!
        );
      const entries = Array.from({ length: Math.min(data.length, 8) }, (_, i) => i);
      assertClose(
        entries.map((i) => analytic[k]![i]!),
        numericGrad(f, data, entries),
        2e-2,
        `${c.name} input ${k}`,
      );
    });
  });
}

Deno.test("gradient of the whole model's masked log-prob + entropy loss matches central differences", () => {
  const model = tinyModel({
    vocabSize: 7,
    dModel: 8,
    nLayers: 1,
    nHeads: 2,
    contextLen: 12,
    tieEmbeddings: false,
  });
  const batch = {
    prompts: [[1, 2], [3]],
    completions: [[4, 6, 2], [5]],
    masks: [[
      Uint8Array.from([1, 1, 0, 1, 1, 0, 1]),
      new Uint8Array(7).fill(1),
      Uint8Array.from([0, 0, 1, 0, 0, 0, 0]),
    ], [
      Uint8Array.from([0, 1, 0, 1, 0, 1, 0]),
    ]],
    temperature: 0.8,
  };
  const loss = () =>
    tf.tidy(() => {
      const r = completionLogprobs(model, batch);
      return tf.sub(tf.neg(tf.sum(r.logprobs)), tf.mul(tf.sum(r.entropy), 0.3)) as tf.Scalar;
    });
  const { grads } = tf.variableGrads(loss, model.variables());
  for (
    const name of [
      "wte",
      "wpe",
      "h0.attn.q.w",
      "h0.attn.v.w",
      "h0.mlp.fc.w",
      "h0.ln1.g",
      "lnf.b",
      "head.w",
    ]
  ) {
    const v = model.params.get(name)!;
    const g = grads[v.name]!.dataSync();
    const data = v.dataSync().slice() as Float32Array;
    // The 6 entries with the largest analytic gradient: well above float32 noise.
    const entries = Array.from(g.keys()).sort((a, b) => Math.abs(g[b]!) - Math.abs(g[a]!)).slice(
      0,
      6,
    );
    const f = (x: Float32Array) => {
      v.assign(tf.tensor(x, v.shape));
      return loss().dataSync()[0]!;
    };
    const numeric = numericGrad(f, data, entries, 3e-3);
    v.assign(tf.tensor(data, v.shape));
    assertClose(entries.map((i) => g[i]!), numeric, 3e-2, name);
  }
  tf.dispose(Object.values(grads));
  model.dispose();
});
