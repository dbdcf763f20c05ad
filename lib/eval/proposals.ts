/**
 * What a model proposes when self-play starts from it: proposals sampled exactly as self-play's
 * seeding stage samples them (buffers holding the seeds — the identity programs, or the
 * generator's tasks with `seeds` — K references each, the proposer's temperature; valid proposals
 * join the buffers round by round), validated in the sandbox, and summarised per task type:
 *
 * - **valid**: the share the sandbox accepts (runs, deterministic, inside the world);
 * - **constant**: of the valid deduction/abduction programs, the share that returns one value on
 *   the constant-output gate's probe inputs (a task that ignores its input teaches nothing);
 * - **distinct**: distinct programs among the valid ones;
 * - **sizes**: the valid programs' body sizes, beside the generator bank's (what the proposer was
 *   taught to write).
 *
 * Induction proposals write inputs for a program taken from the buffers, so only their validity
 * is the proposer's.
 * @module
 */
import { TASK_TYPES, type TaskType } from "../config.ts";
import { type Bank, drawProgram } from "../lang/generate.ts";
import { programSignature } from "../lang/tree.ts";
import type { ValueBounds } from "../lang/types.ts";
import type { Policy } from "../model/policy.ts";
import type { Rng } from "../rng.ts";
import type { Executor } from "../sandbox/mod.ts";
import { TaskBuffer } from "../tasks/buffer.ts";
import { constantOnProbes } from "../tasks/constant.ts";
import { type Buffers, type ProposeOptions, proposeTasks } from "../tasks/propose.ts";
import { identitySeeds, type SeedRecords } from "../tasks/seed.ts";
import { type ValidateOptions, validateProposals } from "../tasks/validate.ts";

/** One task type's proposals, summarised (shares in [0, 1]; NaN where nothing was measured). */
export interface ProposerQuality {
  task: TaskType;
  /** Proposals sampled. */
  n: number;
  valid: number;
  constant: number;
  distinct: number;
  /** Share of valid programs per body size (tokens). */
  sizes: Record<number, number>;
}

/** Options of {@linkcode proposerQuality}. */
export interface ProposerQualityOptions extends Omit<ProposeOptions, "batchSize">, ValidateOptions {
  /** Proposals per task type. */
  perType: number;
  /** Proposals per sampling round (default 32). */
  round?: number;
  /** What the buffers hold first (default: the identity programs, as the paper seeds). */
  seeds?: SeedRecords;
}

/** Samples and summarises proposals as self-play's seeding stage makes them (see the module doc). */
export async function proposerQuality(
  policy: Policy,
  executor: Executor,
  rng: Rng,
  opts: ProposerQualityOptions,
): Promise<ProposerQuality[]> {
  const seeds = opts.seeds ?? identitySeeds();
  const buffers: Buffers = {
    deduction: new TaskBuffer("deduction", seeds.deduction),
    abduction: new TaskBuffer("abduction", seeds.abduction),
    induction: new TaskBuffer("induction", seeds.induction),
  };
  const rows: ProposerQuality[] = [];
  for (const task of TASK_TYPES) {
    let n = 0;
    const valid: number[][] = [];
    while (n < opts.perType) {
      const batchSize = Math.min(opts.round ?? 32, opts.perType - n);
      const proposals = await proposeTasks(policy, task, buffers, rng, { ...opts, batchSize }, -1);
      const verdicts = await validateProposals(executor, proposals, -1, opts);
      n += proposals.length;
      const records = verdicts.flatMap((v) => (v.valid ? [v.record] : []));
      buffers[task].add(records);
      valid.push(...records.map((r) => r.tokens));
    }
    // Induction's programs come from the buffers, not the proposer: only its validity counts.
    const own = task !== "induction" && valid.length > 0;
    const sizes: Record<number, number> = {};
    for (const t of own ? valid : []) {
      sizes[t.length - 1] = (sizes[t.length - 1] ?? 0) + 1 / valid.length;
    }
    rows.push({
      task,
      n,
      valid: valid.length / n,
      constant: own
        ? valid.filter((t) => constantOnProbes(t, programSignature(t), opts) === true).length /
          valid.length
        : NaN,
      distinct: own ? new Set(valid.map((t) => t.join())).size / valid.length : NaN,
      sizes,
    });
  }
  return rows;
}

/** Share of a bank's programs per body size. */
export function bankSizeShares(bank: Bank): Record<number, number> {
  const all = bank.signatures.flatMap((s) => s.programs);
  const out: Record<number, number> = {};
  for (const p of all) out[p.size] = (out[p.size] ?? 0) + 1 / all.length;
  return out;
}

/** Share per body size of `n` programs drawn from a bank as pre-training draws them. */
export function drawnSizeShares(bank: Bank, rng: Rng, n = 10_000): Record<number, number> {
  const out: Record<number, number> = {};
  for (let k = 0; k < n; k++) {
    const size = drawProgram(rng, bank).size;
    out[size] = (out[size] ?? 0) + 1 / n;
  }
  return out;
}

/** The generator's draws measured as {@linkcode proposerQuality} measures proposals. */
export interface DrawnQuality {
  /** Draws constant on the probes. */
  constant: number;
  /** Distinct programs among `n` draws, the mean over the sets drawn. */
  distinct: number;
  /** Draws per set: the proposals' count, since distinctness depends on it. */
  n: number;
}

/**
 * What the proposer was taught, at the proposals' own count: `sets` × `n` draws from `bank` as
 * pre-training draws them, their constant share on the probes and their distinct share per `n`.
 * A proposer that wrote exactly the draws would reach these levels, no better.
 */
export function drawnQuality(
  bank: Bank,
  rng: Rng,
  n: number,
  bounds: ValueBounds,
  sets = 8,
): DrawnQuality {
  let constant = 0;
  let distinct = 0;
  for (let s = 0; s < sets; s++) {
    const seen = new Set<string>();
    for (let k = 0; k < n; k++) {
      const p = drawProgram(rng, bank);
      seen.add(p.tokens.join());
      if (constantOnProbes(p.tokens, programSignature(p.tokens), bounds) === true) constant++;
    }
    distinct += seen.size / n;
  }
  return { constant: constant / (sets * n), distinct: distinct / sets, n };
}

/** A sizes record as `1:12% 2:30% …`. */
export function formatSizes(sizes: Record<number, number>): string {
  return Object.entries(sizes).sort((a, b) => Number(a[0]) - Number(b[0]))
    .map(([k, v]) => `${k}:${(100 * v).toFixed(0)}%`).join(" ");
}
