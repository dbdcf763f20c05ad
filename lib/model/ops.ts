/**
 * Differentiable building blocks with hand-written gradients that stay fast on the wasm backend:
 * there, the default gradients of batched/transposed matMuls take a slow path and the gradient of
 * `tf.gather` needs `UnsortedSegmentSum`, which is not registered. Each custom gradient below uses
 * only plain matMuls with explicit transposes.
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/** The value and hand-written gradient of one custom op. */
interface CustomResult {
  value: tf.Tensor;
  gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[];
}

/** tf.customGrad over a fixed number of tensor inputs (typed without casts at each use). */
function customOp(
  arity: number,
  fn: (inputs: tf.Tensor[], save: tf.GradSaveFunc) => CustomResult,
): (...inputs: tf.Tensor[]) => tf.Tensor {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) =>
    fn(args.slice(0, arity) as tf.Tensor[], args[arity] as tf.GradSaveFunc)
  ) as (...inputs: tf.Tensor[]) => tf.Tensor;
}

/** `x @ w + b` for x [N, in], w [in, out], b [out] → [N, out], with a 2-D-matMul gradient. */
export function dense(x: tf.Tensor2D, w: tf.Tensor2D, b?: tf.Tensor1D): tf.Tensor2D {
  if (b === undefined) return denseNoBias(x, w);
  const f = customOp(3, ([xi, wi, bi], save) => {
    save([xi!, wi!]);
    return {
      value: tf.add(tf.matMul(xi as tf.Tensor2D, wi as tf.Tensor2D), bi!),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
        return [
          tf.matMul(dy as tf.Tensor2D, tf.transpose(ws)), // dx [N, in]
          tf.matMul(tf.transpose(xs), dy as tf.Tensor2D), // dw [in, out]
          tf.sum(dy, 0), // db [out]
        ];
      },
    };
  });
  return f(x, w, b) as tf.Tensor2D;
}

function denseNoBias(x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  const f = customOp(2, ([xi, wi], save) => {
    save([xi!, wi!]);
    return {
      value: tf.matMul(xi as tf.Tensor2D, wi as tf.Tensor2D),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
        return [
          tf.matMul(dy as tf.Tensor2D, tf.transpose(ws)),
          tf.matMul(tf.transpose(xs), dy as tf.Tensor2D),
        ];
      },
    };
  });
  return f(x, w) as tf.Tensor2D;
}

/** Batched `a @ b` for a [n, p, q], b [n, q, r] → [n, p, r], gradient without transposed matMuls. */
export function bmm(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  const f = customOp(2, ([ai, bi], save) => {
    save([ai!, bi!]);
    return {
      value: tf.matMul(ai as tf.Tensor3D, bi as tf.Tensor3D),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [as, bs] = saved as [tf.Tensor3D, tf.Tensor3D];
        return [
          tf.matMul(dy as tf.Tensor3D, tf.transpose(bs, [0, 2, 1])), // da [n, p, q]
          tf.matMul(tf.transpose(as, [0, 2, 1]), dy as tf.Tensor3D), // db [n, q, r]
        ];
      },
    };
  });
  return f(a, b) as tf.Tensor3D;
}

/**
 * Batched `a @ bᵀ` for a [n, p, q], b [n, r, q] → [n, p, r], computed as a depthwise convolution
 * (forward and gradient). On wasm, tfjs's batched matMul has no XNNPACK path when both operands are
 * batched, while its depthwise convolution does: the n batch items become the channels, q the
 * kernel's width, r the channel multiplier. Each entry is the same q-term dot product as a matMul's.
 */
export function bmmTDepthwise(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  const f = customOp(2, ([ai, bi], save) => {
    save([ai!, bi!]);
    const [as, bs] = [ai as tf.Tensor3D, bi as tf.Tensor3D];
    return {
      value: channelsDot(tf.transpose(as, [1, 2, 0]), tf.transpose(bs, [2, 0, 1])),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sa, sb] = saved as [tf.Tensor3D, tf.Tensor3D];
        return [
          // da[n,p,q] = Σ_r dy[n,p,r] b[n,r,q]
          channelsDot(tf.transpose(dy, [1, 2, 0]), tf.transpose(sb, [1, 0, 2])),
          // db[n,r,q] = Σ_p dy[n,p,r] a[n,p,q]
          channelsDot(tf.transpose(dy, [2, 1, 0]), tf.transpose(sa, [1, 0, 2])),
        ];
      },
    };
  });
  return f(a, b) as tf.Tensor3D;
}

/**
 * out[n, p, r] = Σ_q x[p, q, n] · w[q, n, r]: one depthwise convolution over an image of p rows and
 * q columns with n channels, a 1 × q kernel and r outputs per channel.
 */
function channelsDot(x: tf.Tensor, w: tf.Tensor): tf.Tensor3D {
  const [p, q, n] = x.shape as [number, number, number];
  const r = w.shape[2]!;
  const y = tf.depthwiseConv2d(
    tf.reshape(x, [1, p, q, n]) as tf.Tensor4D,
    tf.reshape(w, [1, q, n, r]) as tf.Tensor4D,
    1,
    "valid",
  ); // [1, p, 1, n*r]
  return tf.transpose(tf.reshape(y, [p, n, r]), [1, 0, 2]) as tf.Tensor3D;
}

/**
 * Rows of a table: table [V, D], ids int32 [N] → [N, D], as a one-hot matMul (onehot(ids) @ table)
 * both ways: wasm's gather kernel is several times slower than XNNPACK's matMul at these sizes,
 * and gather's own gradient is missing on wasm (the gradient is onehot(ids)ᵀ @ dy). When every id
 * is below `usedRows` (positions in a T-column batch: T), only those rows take part, and the
 * gradient of the others is 0. Exact: each output is 1 × a table entry plus zeros.
 */
export function embed(table: tf.Tensor2D, ids: tf.Tensor1D, usedRows?: number): tf.Tensor2D {
  const [rows, D] = table.shape;
  // tf.oneHot needs a depth of at least 2 (a one-column batch uses two rows).
  const used = Math.min(rows, Math.max(2, usedRows ?? rows));
  if (used < 2) return embedGather(table, ids);
  // ids is an input (not a closure) so the tape keeps it alive until the backward pass.
  const f = customOp(2, ([t, i], save) => {
    // int32 one-hot, then cast: wasm's oneHot with a float32 dtype writes int bits (1.4e-45).
    const hot = tf.cast(tf.oneHot(i as tf.Tensor1D, used), "float32") as tf.Tensor2D; // [N, used]
    save([hot, i!]);
    const part = used === rows ? t as tf.Tensor2D : tf.slice(t as tf.Tensor2D, [0, 0], [used, D]);
    return {
      value: tf.matMul(hot, part),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [h, idx] = saved as [tf.Tensor2D, tf.Tensor1D];
        const g = tf.matMul(tf.transpose(h), dy as tf.Tensor2D); // [used, D]
        return [used === rows ? g : tf.pad(g, [[0, rows - used], [0, 0]]), tf.zerosLike(idx)];
      },
    };
  });
  return f(table, ids) as tf.Tensor2D;
}

/**
 * The reference {@linkcode embed} (the kit's before issue 17): forward is a gather; the gradient is a
 * one-hot matMul (onehot(ids)ᵀ @ dy), because gather's own gradient is missing on wasm.
 */
export function embedGather(table: tf.Tensor2D, ids: tf.Tensor1D): tf.Tensor2D {
  const rows = table.shape[0];
  // ids is an input (not a closure) so the tape keeps it alive until the backward pass.
  const f = customOp(2, ([t, i], save) => {
    save([i!]);
    return {
      value: tf.gather(t!, i!),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const idx = saved[0] as tf.Tensor1D;
        const hot = tf.transpose(tf.cast(tf.oneHot(idx, rows), "float32")); // [V, N]
        return [tf.matMul(hot as tf.Tensor2D, dy as tf.Tensor2D), tf.zerosLike(idx)]; // [V, D]
      },
    };
  });
  return f(table, ids) as tf.Tensor2D;
}

/**
 * LayerNorm over the last axis of x [N, D] with gain g [D] and bias b [D] (eps 1e-5), with an
 * analytic gradient (a handful of kernels instead of the autodiff chain through moments/rsqrt).
 */
export function layerNorm(x: tf.Tensor2D, g: tf.Tensor1D, b: tf.Tensor1D): tf.Tensor2D {
  const f = customOp(3, ([xi, gi, bi], save) => {
    const { mean, variance } = tf.moments(xi!, -1, true); // [N, 1]
    const rstd = tf.rsqrt(tf.add(variance, 1e-5)); // [N, 1]
    const xhat = tf.mul(tf.sub(xi!, mean), rstd); // [N, D]
    save([xhat, rstd, gi!]);
    return {
      value: tf.add(tf.mul(xhat, gi!), bi!),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xh, rs, gs] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
        const dxhat = tf.mul(dy, gs);
        const dx = tf.mul(
          rs,
          tf.sub(
            tf.sub(dxhat, tf.mean(dxhat, -1, true)),
            tf.mul(xh, tf.mean(tf.mul(dxhat, xh), -1, true)),
          ),
        );
        return [dx, tf.sum(tf.mul(dy, xh), 0), tf.sum(dy, 0)];
      },
    };
  });
  return f(x, g, b) as tf.Tensor2D;
}

const GELU_C = Math.sqrt(2 / Math.PI);

/**
 * GELU, tanh approximation (as in GPT-2), with an analytic gradient. Written as x·σ(2u), u =
 * c(x + 0.044715x³), which equals 0.5x(1 + tanh u): wasm's sigmoid kernel is SIMD, its tanh is
 * many times slower.
 */
export function gelu<T extends tf.Tensor>(x: T): T {
  const f = customOp(1, ([xi], save) => {
    const x2 = tf.mul(xi!, xi!);
    const s = tf.sigmoid(tf.mul(tf.mul(xi!, tf.add(tf.mul(x2, 0.044715), 1)), 2 * GELU_C)); // σ(2u)
    save([xi!, s]);
    return {
      value: tf.mul(xi!, s),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ss] = saved as [tf.Tensor, tf.Tensor];
        // d/dx = σ(2u) + x σ(2u)(1 − σ(2u)) · 2c(1 + 3·0.044715 x²)
        const du = tf.mul(tf.add(tf.mul(tf.mul(xs, xs), 3 * 0.044715), 1), 2 * GELU_C);
        const d = tf.add(ss, tf.mul(tf.mul(tf.mul(xs, ss), tf.sub(1, ss)), du));
        return [tf.mul(dy, d)];
      },
    };
  });
  return f(x) as T;
}

/** The reference {@linkcode gelu} (the kit's before issue 17): 0.5x(1 + tanh u) with wasm's tanh. */
export function geluTanh<T extends tf.Tensor>(x: T): T {
  const f = customOp(1, ([xi], save) => {
    const x2 = tf.mul(xi!, xi!);
    const t = tf.tanh(tf.mul(tf.mul(xi!, tf.add(tf.mul(x2, 0.044715), 1)), GELU_C)); // tanh(u)
    save([xi!, t]);
    return {
      value: tf.mul(tf.mul(xi!, 0.5), tf.add(t, 1)),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ts] = saved as [tf.Tensor, tf.Tensor];
        // d/dx = 0.5(1 + t) + 0.5 x (1 - t²) c (1 + 3·0.044715 x²)
        const du = tf.mul(tf.add(tf.mul(tf.mul(xs, xs), 3 * 0.044715), 1), GELU_C);
        const d = tf.add(
          tf.mul(tf.add(ts, 1), 0.5),
          tf.mul(tf.mul(tf.mul(xs, 0.5), tf.sub(1, tf.mul(ts, ts))), du),
        );
        return [tf.mul(dy, d)];
      },
    };
  });
  return f(x) as T;
}
