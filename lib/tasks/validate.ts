/**
 * Validating proposals in the sandbox (paper §3.3.3), as small explicit gates:
 * readable completion → program runs on every input without error → returns a
 * value of the declared type within bounds → deterministic (j = 2 runs) →
 * (induction) at least two distinct inputs. A valid proposal becomes a task
 * record; an invalid one gets the reason (a sandbox kind or a gate name).
 * One `executor.run` call validates the whole batch.
 *
 * Three optional gates are not in the paper (all off by default): `rejectConstant`,
 * a deduction or abduction program must return at least two distinct values
 * over its own input and a few fixed probe inputs (a program that ignores its
 * input makes abduction free and deduction a lookup); and `minProposalSize` /
 * `maxProposalSize`, a deduction or abduction program's body must have at least /
 * at most that many tokens (probes of what the proposals' sizes do to the solver).
 * @module
 */
import { renderProgram } from "../lang/render.ts";
import { sampleArgs } from "../lang/sample.ts";
import type { Signature, ValueBounds } from "../lang/types.ts";
import { checkValue } from "../lang/values.ts";
import { Rng } from "../rng.ts";
import type { Executor, SandboxErrorKind, SandboxJob } from "../sandbox/mod.ts";
import { canonicalValue } from "../sandbox/mod.ts";
import type { Proposal } from "./propose.ts";
import type { Example, Json, TaskRecord } from "./records.ts";

/**
 * Why a proposal is invalid: its program failed in the sandbox (a {@linkcode SandboxErrorKind}),
 * or a gate refused it — `format` (the completion could not be read), `out_of_bounds` (a value
 * outside the declared type or bounds), `too_few_inputs` (induction with < 2 distinct inputs),
 * `constant_output`, `too_small` and `too_large` (the optional gates).
 */
export type InvalidKind =
  | SandboxErrorKind
  | "format"
  | "out_of_bounds"
  | "too_few_inputs"
  | "constant_output"
  | "too_small"
  | "too_large";

/** A validation verdict: the task record, or why there is none. */
export type Verdict =
  | { valid: true; record: TaskRecord }
  | { valid: false; kind: InvalidKind; message: string };

/** Options of {@linkcode validateProposals}: the value bounds, and the optional gate (a config fits). */
export interface ValidateOptions extends ValueBounds {
  /** The constant-output gate (not in the paper; see the module doc). Default off. */
  rejectConstant?: boolean;
  /** The size gate (not in the paper): the smallest program body (tokens) accepted; 0 = off. */
  minProposalSize?: number;
  /** The size cap (not in the paper): the largest program body (tokens) accepted; 0 = off. */
  maxProposalSize?: number;
}

/** Fixed probe inputs of the constant-output gate: the same for every program of a signature. */
export const CONSTANT_PROBES = 8;
const probeCache = new Map<string, Json[][]>();
/** The probe argument tuples of a signature (seeded by its name, so runs stay comparable). */
export function probeInputs(signature: Signature, bounds: ValueBounds): Json[][] {
  const key = `${signature.name}|${bounds.intMin}|${bounds.intMax}|${bounds.maxListLen}`;
  let probes = probeCache.get(key);
  if (!probes) {
    const rng = new Rng([...signature.name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7));
    probes = Array.from({ length: CONSTANT_PROBES }, () => sampleArgs(rng, signature, bounds));
    probeCache.set(key, probes);
  }
  return probes;
}

/** Validates proposals made at `step`; one sandbox call for the whole batch. */
export async function validateProposals(
  executor: Executor,
  proposals: readonly Proposal[],
  step: number,
  opts: ValidateOptions,
): Promise<Verdict[]> {
  const bounds: ValueBounds = opts;
  const jobs: SandboxJob[] = [];
  const firstJob: number[] = [];
  const firstProbe: number[] = [];
  const sources = proposals.map((p) => (p.formatError ? "" : renderProgram(p.programTokens)));
  const gated = (p: Proposal) =>
    opts.rejectConstant === true && p.task !== "induction" && !p.formatError && !!p.signature;
  // The size gates need no sandbox run: a refused proposal's jobs are not queued.
  const bodySize = (p: Proposal) => p.programTokens.length - 1;
  const sizeGate = (p: Proposal): "too_small" | "too_large" | undefined => {
    if (p.task === "induction" || p.formatError) return undefined;
    if (bodySize(p) < (opts.minProposalSize ?? 0)) return "too_small";
    const max = opts.maxProposalSize ?? 0;
    return max > 0 && bodySize(p) > max ? "too_large" : undefined;
  };
  const sizeVerdicts = proposals.map(sizeGate);
  proposals.forEach((p, i) => {
    firstJob.push(jobs.length);
    if (!p.formatError && !sizeVerdicts[i]) {
      for (const args of p.inputs) {
        jobs.push({ program: sources[i]!, args, checkDeterminism: true });
      }
    }
    firstProbe.push(jobs.length);
    if (gated(p) && !sizeVerdicts[i]) {
      for (const args of probeInputs(p.signature!, bounds)) {
        jobs.push({ program: sources[i]!, args });
      }
    }
  });
  const results = await executor.run(jobs);
  return proposals.map((p, i): Verdict => {
    if (p.formatError || !p.signature) {
      return { valid: false, kind: "format", message: p.formatError ?? "no signature" };
    }
    const gate = sizeVerdicts[i];
    if (gate) {
      const [bound, limit] = gate === "too_small"
        ? ["at least", opts.minProposalSize]
        : ["at most", opts.maxProposalSize];
      return {
        valid: false,
        kind: gate,
        message: `a ${bodySize(p)}-token body; the size gate needs ${bound} ${limit}`,
      };
    }
    const examples: Example[] = [];
    for (let k = 0; k < p.inputs.length; k++) {
      const r = results[firstJob[i]! + k]!;
      if (!r.ok) return { valid: false, kind: r.kind, message: r.message };
      const check = checkValue(p.signature.returns, r.value, bounds);
      if (!check.ok) return { valid: false, kind: "out_of_bounds", message: check.message };
      examples.push({ input: p.inputs[k]!, output: r.value as Json });
    }
    const common = {
      program: sources[i]!,
      tokens: p.programTokens,
      signature: p.signature.name,
      step,
    };
    if (p.task === "induction") {
      const seen = new Set<string>();
      const distinct = examples.filter((e) => {
        const key = canonicalValue(e.input);
        return seen.has(key) ? false : (seen.add(key), true);
      });
      if (distinct.length < 2) {
        return {
          valid: false,
          kind: "too_few_inputs",
          message: `${distinct.length} distinct input(s); need 2`,
        };
      }
      const shown = Math.max(1, Math.floor(distinct.length / 2));
      return { valid: true, record: { task: "induction", ...common, examples: distinct, shown } };
    }
    const ex = examples[0]!;
    if (gated(p)) {
      // Probes that fail say nothing about constancy; only their values count.
      const outputs = new Set([canonicalValue(ex.output)]);
      for (let k = 0; k < CONSTANT_PROBES; k++) {
        const r = results[firstProbe[i]! + k]!;
        if (r.ok) outputs.add(canonicalValue(r.value));
      }
      if (outputs.size < 2) {
        return {
          valid: false,
          kind: "constant_output",
          message: `returns ${canonicalValue(ex.output)} on its input and on every probe input`,
        };
      }
    }
    return { valid: true, record: { task: p.task, ...common, input: ex.input, output: ex.output } };
  });
}
