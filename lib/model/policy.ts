/**
 * The `Policy` interface (what the trainer calls) and its tfjs-transformer implementation, which
 * bundles the model and its AdamW optimizer (checkpoints: ./checkpoint.ts).
 *
 * @example
 * ```ts
 * import { initBackend, TransformerPolicy } from "./mod.ts";
 * import { resolveConfig } from "../config.ts";
 * await initBackend("auto");
 * const policy = TransformerPolicy.fromConfig(resolveConfig({ preset: "tiny" }), 120);
 * const out = await policy.sample([[1, 2], [3]], { maxTokens: 8, temperature: 1, seed: 0 });
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Config } from "../config.ts";
import { completionLogprobs, type LogprobsBatch, type LogprobsResult } from "./logprobs.ts";
import { AdamW, type AdamWOptions, type OptimizerStepResult } from "./optimizer.ts";
import { type PolicySampleOptions, type PolicySampleResult, sampleTokens } from "./sample.ts";
import { Transformer, type TransformerOptions } from "./transformer.ts";

/** A policy over token sequences: sampling under constraints and differentiable log-probs. */
export interface Policy {
  /** Samples continuations of `prompts` (see {@linkcode PolicySampleOptions}). */
  sample(
    prompts: readonly (readonly number[])[],
    opts: PolicySampleOptions,
  ): Promise<PolicySampleResult>;
  /** Per-token log-probs [B, Tc], weights and entropies; differentiable (use inside a loss). */
  logprobs(batch: LogprobsBatch): LogprobsResult;
}

/** Model sizes and optimizer settings of a {@linkcode TransformerPolicy}. */
export type TransformerPolicyOptions = TransformerOptions & AdamWOptions;

/** The config keys a policy reads. */
export type ModelConfig = Pick<
  Config,
  | "dModel"
  | "nLayers"
  | "nHeads"
  | "mlpRatio"
  | "contextLen"
  | "tieEmbeddings"
  | "lr"
  | "weightDecay"
  | "beta1"
  | "beta2"
  | "gradClip"
  | "seed"
>;

/** Policy options from a config and the language's vocabulary size. */
export function policyOptionsFromConfig(
  cfg: ModelConfig,
  vocabSize: number,
): TransformerPolicyOptions {
  return {
    vocabSize,
    dModel: cfg.dModel,
    nLayers: cfg.nLayers,
    nHeads: cfg.nHeads,
    mlpRatio: cfg.mlpRatio,
    contextLen: cfg.contextLen,
    tieEmbeddings: cfg.tieEmbeddings,
    seed: cfg.seed,
    lr: cfg.lr,
    weightDecay: cfg.weightDecay,
    beta1: cfg.beta1,
    beta2: cfg.beta2,
    gradClip: cfg.gradClip,
  };
}

/** The tfjs transformer as a {@linkcode Policy}, with its optimizer and checkpoints. */
export class TransformerPolicy implements Policy {
  /** The network. */
  readonly model: Transformer;
  /** AdamW over the network's parameters. */
  readonly optimizer: AdamW;

  /** Builds a freshly initialised model and optimizer. Call initBackend first. */
  constructor(opts: TransformerPolicyOptions) {
    this.model = new Transformer(opts);
    this.optimizer = new AdamW(this.model.params, {
      lr: opts.lr,
      weightDecay: opts.weightDecay,
      beta1: opts.beta1,
      beta2: opts.beta2,
      gradClip: opts.gradClip,
      ...(opts.eps === undefined ? {} : { eps: opts.eps }),
    });
  }

  /** A policy sized by `cfg` over a vocabulary of `vocabSize` tokens. */
  static fromConfig(cfg: ModelConfig, vocabSize: number): TransformerPolicy {
    return new TransformerPolicy(policyOptionsFromConfig(cfg, vocabSize));
  }

  /** Samples with the KV cache (see sampleTokens). */
  sample(
    prompts: readonly (readonly number[])[],
    opts: PolicySampleOptions,
  ): Promise<PolicySampleResult> {
    return sampleTokens(this.model, prompts, opts);
  }

  /** Differentiable log-probs (see completionLogprobs). */
  logprobs(batch: LogprobsBatch): LogprobsResult {
    return completionLogprobs(this.model, batch);
  }

  /** One AdamW step on `loss()` (a scalar built from {@linkcode logprobs}); returns loss and grad norm. */
  step(loss: () => tf.Scalar): Promise<OptimizerStepResult> {
    return this.optimizer.step(loss);
  }

  /** Trainable scalars. */
  paramCount(): number {
    return this.model.paramCount();
  }

  /** Frees weights and optimizer moments. */
  dispose(): void {
    this.model.dispose();
    this.optimizer.dispose();
  }
}
