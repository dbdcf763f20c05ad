/**
 * Validating proposals in the sandbox (paper §3.3.3), as small explicit gates:
 * readable completion → program runs on every input without error → returns a
 * value of the declared type within bounds → deterministic (j = 2 runs) →
 * (induction) at least two distinct inputs. A valid proposal becomes a task
 * record; an invalid one gets the reason (a sandbox kind or a gate name).
 * One `executor.run` call validates the whole batch.
 * @module
 */
import { renderProgram } from "../lang/render.ts";
import type { ValueBounds } from "../lang/types.ts";
import { checkValue } from "../lang/values.ts";
import type { Executor, SandboxJob } from "../sandbox/mod.ts";
import { canonicalValue } from "../sandbox/mod.ts";
import type { Proposal } from "./propose.ts";
import type { Example, Json, TaskRecord } from "./records.ts";

/** A validation verdict: the task record, or why there is none. */
export type Verdict =
  | { valid: true; record: TaskRecord }
  | { valid: false; kind: string; message: string };

/** Validates proposals made at `step`; one sandbox call for the whole batch. */
export async function validateProposals(
  executor: Executor,
  proposals: readonly Proposal[],
  bounds: ValueBounds,
  step: number,
): Promise<Verdict[]> {
  const jobs: SandboxJob[] = [];
  const firstJob: number[] = [];
  const sources = proposals.map((p) => (p.formatError ? "" : renderProgram(p.programTokens)));
  proposals.forEach((p, i) => {
    firstJob.push(jobs.length);
    if (p.formatError) return;
    for (const args of p.inputs) jobs.push({ program: sources[i]!, args, checkDeterminism: true });
  });
  const results = await executor.run(jobs);
  return proposals.map((p, i): Verdict => {
    if (p.formatError || !p.signature) {
      return { valid: false, kind: "format", message: p.formatError ?? "no signature" };
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
    return { valid: true, record: { task: p.task, ...common, input: ex.input, output: ex.output } };
  });
}
