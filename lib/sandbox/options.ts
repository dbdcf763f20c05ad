/**
 * The sandbox's defaults, and the one place a run's config becomes {@linkcode SandboxOptions}:
 * training, pre-training, `deno task eval` and the notebooks all start their sandbox with
 * {@linkcode sandboxOptionsFromConfig}, so a checkpoint is evaluated under the limits it was
 * trained under. The config's `sandbox*` defaults are these.
 *
 * @example
 * ```ts
 * import { resolveConfig } from "../config.ts";
 * import { createSandbox } from "./executor.ts";
 * import { sandboxOptionsFromConfig } from "./options.ts";
 * const cfg = resolveConfig({ preset: "tiny" });
 * await using sb = await createSandbox(sandboxOptionsFromConfig(cfg));
 * ```
 * @module
 */
import type { SandboxOptions } from "./types.ts";

/** Every option's default except `poolSize` (absent or 0 = one child per core). */
export const SANDBOX_DEFAULTS = {
  timeoutMs: 200,
  memoryMb: 256,
  outputCap: 65_536,
  batchSize: 64,
  maxDepth: 64,
  consoleCap: 4096,
  screen: true,
  compartmentReuse: "none",
} as const satisfies Required<Omit<SandboxOptions, "poolSize">>;

/**
 * The config keys the sandbox reads (the `sandbox*` settings of ../config.ts, declared here by
 * shape: the config builds on this layer, not the other way round).
 */
export interface SandboxConfig {
  sandboxPoolSize: number;
  sandboxTimeoutMs: number;
  sandboxMemoryMb: number;
  sandboxOutputCap: number;
  sandboxBatchSize: number;
  sandboxMaxDepth: number;
  sandboxCompartmentReuse: NonNullable<SandboxOptions["compartmentReuse"]>;
}

/** Sandbox options from a config: every `sandbox*` key. */
export function sandboxOptionsFromConfig(cfg: SandboxConfig): SandboxOptions {
  return {
    poolSize: cfg.sandboxPoolSize,
    timeoutMs: cfg.sandboxTimeoutMs,
    memoryMb: cfg.sandboxMemoryMb,
    outputCap: cfg.sandboxOutputCap,
    batchSize: cfg.sandboxBatchSize,
    maxDepth: cfg.sandboxMaxDepth,
    compartmentReuse: cfg.sandboxCompartmentReuse,
  };
}
