/**
 * The policy model: a small decoder-only transformer on tfjs ops, KV-cache batched sampling
 * under token constraints, differentiable masked log-probs, AdamW, backends and checkpoints.
 *
 * @example
 * ```ts
 * import { initBackend, TransformerPolicy } from "./mod.ts";
 * await initBackend("auto");
 * const policy = new TransformerPolicy({ vocabSize: 100, dModel: 32, nLayers: 1, nHeads: 2,
 *   mlpRatio: 2, contextLen: 64, tieEmbeddings: true, seed: 0,
 *   lr: 1e-3, weightDecay: 0.01, beta1: 0.9, beta2: 0.99, gradClip: 1 });
 * const { tokens } = await policy.sample([[1]], { maxTokens: 5, temperature: 1, seed: 0 });
 * ```
 * @module
 */
import "./gradients.ts";

export * from "./backend.ts";
export * from "./checkpoint.ts";
export * from "./constraint.ts";
export * from "./distribution.ts";
export * from "./logprobs.ts";
export * from "./optimizer.ts";
export * from "./policy.ts";
export * from "./sample.ts";
export * from "./safetensors.ts";
export * from "./transformer.ts";
