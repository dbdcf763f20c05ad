/**
 * Whether a program ignores its input: it returns one and the same value on the constant-output
 * gate's probe inputs ({@linkcode probeInputs}), run in the reference interpreter; probes that
 * fail do not count. Self-play's diagnostics and the base's proposer check use it.
 * @module
 */
import { compileProgram } from "../lang/interpret.ts";
import { parseProgram } from "../lang/parse.ts";
import type { Signature, ValueBounds } from "../lang/types.ts";
import { canonicalValue, type JsonValue } from "../sandbox/mod.ts";
import { probeInputs } from "./validate.ts";

/** Constant on the probes? Undefined when the source cannot be read or no probe runs. */
export function isConstantProgram(source: string, bounds: ValueBounds): boolean | undefined {
  const parsed = parseProgram(source);
  return parsed.ok ? constantOnProbes(parsed.tokens, parsed.signature, bounds) : undefined;
}

/** Constant on the probes (program tokens)? Undefined when no probe runs. */
export function constantOnProbes(
  tokens: readonly number[],
  signature: Signature,
  bounds: ValueBounds,
): boolean | undefined {
  const run = compileProgram(tokens);
  const outputs = new Set<string>();
  for (const args of probeInputs(signature, bounds)) {
    const r = run(args);
    if (r.ok) outputs.add(canonicalValue(r.value as JsonValue)); // in the JSON domain (toDomain)
  }
  return outputs.size === 0 ? undefined : outputs.size === 1;
}
