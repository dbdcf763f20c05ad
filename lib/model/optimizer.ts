/**
 * AdamW (decoupled weight decay) with global-norm gradient clipping: one call does
 * loss → gradients → clip → update and reports the loss and the pre-clip gradient norm.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * const w = tf.variable(tf.tensor1d([1, 2]));
 * const opt = new AdamW(new Map([["w", w]]), { lr: 3e-4, weightDecay: 0.01, beta1: 0.9, beta2: 0.99, gradClip: 1 });
 * const { loss, gradNorm } = await opt.step(() => tf.sum(tf.square(w)));
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import "./gradients.ts"; // tfjs-core alone registers no gradients

/** Hyper-parameters of {@linkcode AdamW} (the config's names). */
export interface AdamWOptions {
  /** Learning rate. */
  lr: number;
  /** Decoupled weight decay, applied to matrices and embeddings only (not gains or biases). */
  weightDecay: number;
  /** First-moment decay. */
  beta1: number;
  /** Second-moment decay. */
  beta2: number;
  /** Clip the global gradient norm to this value. */
  gradClip: number;
  /** Denominator epsilon (default 1e-8). */
  eps?: number;
}

/** The result of one optimizer step. */
export interface OptimizerStepResult {
  /** The loss before the update. */
  loss: number;
  /** Global L2 norm of the gradients before clipping. */
  gradNorm: number;
}

/** Serializable optimizer state: step count and per-parameter moments (by parameter name). */
export interface AdamWState {
  /** Updates applied so far. */
  t: number;
  /** First moments by parameter name. */
  m: Map<string, tf.Variable>;
  /** Second moments by parameter name. */
  v: Map<string, tf.Variable>;
}

/** AdamW over a fixed list of variables. */
export class AdamW {
  /** Hyper-parameters (lr may be changed between steps). */
  readonly options: Required<AdamWOptions>;
  readonly #params: Map<string, tf.Variable>;
  /** Step count and moments (read by checkpoints). */
  readonly state: AdamWState;

  /** Creates zeroed moments for every named parameter (e.g. `model.params`). */
  constructor(params: Map<string, tf.Variable>, options: AdamWOptions) {
    this.options = { eps: 1e-8, ...options };
    this.#params = params;
    this.state = { t: 0, m: new Map(), v: new Map() };
    for (const [name, w] of params) {
      this.state.m.set(name, tf.tidy(() => tf.variable(tf.zerosLike(w), false)));
      this.state.v.set(name, tf.tidy(() => tf.variable(tf.zerosLike(w), false)));
    }
  }

  /** The variables it updates, in order (the model's checkpoint order). */
  get variables(): tf.Variable[] {
    return [...this.#params.values()];
  }

  /** Computes `loss()`'s gradients, clips their global norm, and applies one AdamW update. */
  async step(loss: () => tf.Scalar): Promise<OptimizerStepResult> {
    return await this.stepAccumulated([loss]);
  }

  /**
   * Gradient accumulation: the gradients of the sum of the losses, computed one
   * closure at a time (so only one micro-batch's activations are alive at once),
   * then clipped and applied as one AdamW update. `loss` reports the sum.
   */
  async stepAccumulated(losses: readonly (() => tf.Scalar)[]): Promise<OptimizerStepResult> {
    const { grads, values } = accumulateGradients(losses, this.variables);
    try {
      return await this.apply(grads, values);
    } finally {
      tf.dispose(Object.values(grads));
      tf.dispose(values);
    }
  }

  /**
   * One AdamW update from gradients keyed by variable name (`accumulateGradients`'s; a variable
   * without one is not updated, nor decayed), their global norm clipped; `values` are the losses
   * they came from, summed into the reported loss. The caller keeps (and disposes) both.
   */
  async apply(
    grads: tf.NamedTensorMap,
    values: readonly tf.Scalar[],
  ): Promise<OptimizerStepResult> {
    // One read-back per step (async: webgpu cannot read synchronously in Deno): the losses, then
    // the global gradient norm.
    const read = tf.tidy(() =>
      tf.concat([
        tf.stack([...values]),
        tf.reshape(tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g))))), [1]),
      ])
    );
    const data = await read.data();
    read.dispose();
    let lossValue = 0;
    for (let i = 0; i < values.length; i++) lossValue += data[i]!;
    const norm = data[values.length]!;
    if (!Number.isFinite(norm) || !Number.isFinite(lossValue)) {
      throw new Error(
        `AdamW.step: non-finite loss (${lossValue}) or gradient norm (${norm}); lower lr`,
      );
    }
    const { lr, weightDecay, beta1, beta2, gradClip, eps } = this.options;
    const scale = norm > gradClip ? gradClip / norm : 1;
    this.state.t += 1;
    const t = this.state.t;
    const c1 = 1 / (1 - beta1 ** t);
    const c2 = 1 / (1 - beta2 ** t);
    tf.tidy(() => {
      for (const [name, w] of this.#params) {
        const g = grads[w.name];
        if (!g) continue; // unused by this loss: no update, no decay
        const m = this.state.m.get(name)!;
        const v = this.state.v.get(name)!;
        const gs = tf.mul(g, scale);
        m.assign(tf.add(tf.mul(m, beta1), tf.mul(gs, 1 - beta1)));
        v.assign(tf.add(tf.mul(v, beta2), tf.mul(tf.square(gs), 1 - beta2)));
        const update = tf.div(tf.mul(m, c1), tf.add(tf.sqrt(tf.mul(v, c2)), eps));
        const decay = w.rank >= 2 ? weightDecay : 0;
        w.assign(tf.sub(tf.mul(w, 1 - lr * decay), tf.mul(update, lr)));
      }
    });
    return { loss: lossValue, gradNorm: norm };
  }

  /** Frees the moments. */
  dispose(): void {
    for (const m of [...this.state.m.values(), ...this.state.v.values()]) m.dispose();
  }
}

/**
 * The gradients of the sum of `losses` with respect to `vars`, keyed by variable name, computed
 * one closure at a time (only one micro-batch's activations alive at once), and each closure's
 * loss. The caller owns (and disposes) every tensor returned; on a failure nothing is left alive.
 */
export function accumulateGradients(
  losses: readonly (() => tf.Scalar)[],
  vars: tf.Variable[],
): { grads: tf.NamedTensorMap; values: tf.Scalar[] } {
  if (losses.length === 0) throw new Error("accumulateGradients: no loss to step on");
  let grads: tf.NamedTensorMap = {};
  const values: tf.Scalar[] = [];
  try {
    for (const loss of losses) {
      const r = tf.variableGrads(loss, vars);
      values.push(r.value);
      grads = addGradients(grads, r.grads);
    }
    return { grads, values };
  } catch (e) {
    tf.dispose(Object.values(grads));
    tf.dispose(values);
    throw e;
  }
}

/** `a + b` by name (a name in one only is kept as it is); disposes the inputs it summed. */
export function addGradients(a: tf.NamedTensorMap, b: tf.NamedTensorMap): tf.NamedTensorMap {
  const summed: tf.NamedTensorMap = { ...a };
  for (const [name, g] of Object.entries(b)) {
    const prev = a[name];
    summed[name] = prev ? tf.add(prev, g) : g;
    if (prev) {
      prev.dispose();
      g.dispose();
    }
  }
  return summed;
}
