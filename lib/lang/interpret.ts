/**
 * The reference interpreter: evaluates program tokens in-process with exactly the semantics
 * of the rendered JS (each production's evaluator performs the same JS operation), and
 * reports results in the sandbox's shape and kinds.
 *
 * A result value must lie in the JSON value domain the sandbox accepts: finite numbers,
 * booleans, arrays of those. `undefined` (index out of range), `NaN` (`x % 0`) and
 * `±Infinity` (`Math.max(...[])`, division by zero) are `invalid_value`; `-0` becomes `0`, as the
 * sandbox returns it (JSON writes `-0` as `0`).
 * Type and bounds are a separate check (`checkValue`), applied after either executor.
 * @module
 */
import { BOUND_VARS, type Compiled, fueled, FuelExhausted, PRODUCTIONS } from "./grammar.ts";
import { mustProgramTree, type ProgramNode } from "./tree.ts";
import { FALSE, PARAM_BASE, PROD_BASE, tokenInt, tokenName, TRUE, VAR_BASE } from "./vocab.ts";

/** Result of one run, in the sandbox's shape (without timing). */
export type InterpretResult =
  | { ok: true; value: unknown }
  | { ok: false; kind: "error" | "invalid_value" | "timeout"; message: string };

/** Options of the interpreter. */
export interface InterpretOptions {
  /** Most node evaluations before the run counts as a timeout (default 1,000,000). */
  fuel?: number;
}

/** Compiles a program node to a closure over an environment. */
export function compileNode(node: ProgramNode): Compiled {
  const t = node.token;
  const n = tokenInt(t);
  if (n !== undefined) return () => n;
  if (t === TRUE) return () => true;
  if (t === FALSE) return () => false;
  if (t >= VAR_BASE && t < VAR_BASE + BOUND_VARS.length) {
    const v = BOUND_VARS[t - VAR_BASE]!;
    return (e) => e[v];
  }
  if (t >= PARAM_BASE && t < VAR_BASE) {
    const j = t - PARAM_BASE;
    return (e) => e.params[j];
  }
  const p = PRODUCTIONS[t - PROD_BASE];
  if (!p || t < PROD_BASE) throw new Error(`Cannot interpret token '${tokenName(t)}'`);
  return fueled(p.compile(node.kids.map(compileNode)));
}

/** A program compiled once, to run on many inputs. */
export type CompiledProgram = (
  args: readonly unknown[],
  opts?: InterpretOptions,
) => InterpretResult;

/** Compiles program tokens (throws for tokens that are not a valid program). */
export function compileProgram(tokens: readonly number[]): CompiledProgram {
  const body = compileNode(mustProgramTree(tokens).body);
  return (args, opts = {}) => {
    const fuel = { left: opts.fuel ?? 1_000_000 };
    let value: unknown;
    try {
      value = body({ params: args.map(cloneValue), fuel });
    } catch (err) {
      if (err instanceof FuelExhausted) {
        return { ok: false, kind: "timeout", message: "interpreter fuel exhausted" };
      }
      if (err instanceof RangeError && /call stack/i.test(err.message)) {
        return { ok: false, kind: "error", message: `RangeError: ${err.message}` };
      }
      const e = err as Error;
      return { ok: false, kind: "error", message: `${e.name}: ${e.message}` };
    }
    return toDomain(value);
  };
}

/** Runs program tokens on one argument tuple. */
export function interpretProgram(
  tokens: readonly number[],
  args: readonly unknown[],
  opts: InterpretOptions = {},
): InterpretResult {
  return compileProgram(tokens)(args, opts);
}

function cloneValue(x: unknown): unknown {
  return Array.isArray(x) ? x.slice() : x;
}

/** Maps a raw JS result into the JSON value domain, or an `invalid_value` result. */
export function toDomain(value: unknown): InterpretResult {
  const bad = (what: string): InterpretResult => ({
    ok: false,
    kind: "invalid_value",
    message: `result is not a JSON value: ${what}`,
  });
  const norm = (x: unknown): unknown | typeof BAD => {
    if (typeof x === "boolean") return x;
    if (typeof x === "number") return Number.isFinite(x) ? (Object.is(x, -0) ? 0 : x) : BAD;
    if (Array.isArray(x)) {
      const out: unknown[] = [];
      for (let k = 0; k < x.length; k++) {
        if (!(k in x)) return BAD;
        const y = norm(x[k]);
        if (y === BAD) return BAD;
        out.push(y);
      }
      return out;
    }
    return BAD;
  };
  const v = norm(value);
  if (v === BAD) return bad(describe(value));
  return { ok: true, value: v };
}

const BAD = Symbol("bad");

function describe(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(describe).join(", ")}]`;
  return Object.is(x, -0) ? "-0" : String(x);
}
