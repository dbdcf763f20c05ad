/**
 * Enumerative program search: bottom-up enumeration of programs by size with
 * observational-equivalence pruning on the reference interpreter. Given a signature and
 * input/output examples it returns the smallest program it meets that is consistent with
 * all of them, or null when the evaluation budget or the size limit runs out.
 *
 * Expressions are banked per nonterminal (type × bound lambda variables). A closed
 * expression is identified by its results on the examples. A lambda body (which may use
 * `v`, `i`, `a`) is identified by its results on the examples crossed with a fixed set of
 * probe values for its variables, an approximation: two bodies that agree on every probe
 * are treated as the same. Compound constants are not enumerated (constants are the
 * literals), and lambda bodies are not nested unless asked. This is the baseline the learned
 * induction solver must beat.
 * @module
 */
import { BOUND_VARS, type Compiled, type Env, fueled, PRODUCTIONS, VAR_BIT } from "./grammar.ts";
import { compileNode, toDomain } from "./interpret.ts";
import { ALTERNATIVES, ntId, ntParts, SCOPES } from "./nonterminals.ts";
import { signatureIndex } from "./constraint.ts";
import { LANG_TYPES, type Signature } from "./types.ts";
import { signatureToken } from "./tree.ts";
import { intToken, PARAM_BASE, PROD_BASE, tokenInt, VAR_BASE } from "./vocab.ts";

/** One input/output example: `f(...input)` must equal `output`. */
export interface SearchExample {
  input: readonly unknown[];
  output: unknown;
}

/**
 * The search's default budget as the kit's baseline: candidate evaluations per task (config
 * `searchMaxEvals`, and `evaluateSuites` when not given one).
 */
export const SEARCH_MAX_EVALS = 200_000;

/** Options of {@linkcode enumerativeSearch}. */
export interface SearchOptions {
  signature: Signature;
  examples: readonly SearchExample[];
  /** Most candidate expressions to evaluate (each on all its contexts). */
  maxEvals: number;
  /** Largest body size in tokens (default 12). */
  maxSize?: number;
  /** Int literals the search may use (default 0, 1, 2, 3). */
  literals?: readonly number[];
  /** Interpreter fuel per context evaluation (default 10,000). */
  fuel?: number;
  /** Only these productions (by name, e.g. `["MAP", "FOLD", "ADD", "MUL"]`); all when absent. */
  productions?: readonly string[];
  /** Allow lambdas inside lambda bodies (default false: much smaller search space). */
  nestedLambdas?: boolean;
}

/** Outcome of a search. */
export interface SearchResult {
  /** Program tokens (signature token first), or null when none was found within budget. */
  program: number[] | null;
  /** Candidate expressions evaluated. */
  evals: number;
  /** Body size of the program found, or the size reached. */
  size: number;
}

/** Probe values of the lambda variables. */
const PROBES: Readonly<Record<(typeof BOUND_VARS)[number], readonly number[]>> = {
  v: [-3, -2, -1, 0, 1, 2, 3, 5, 8],
  i: [0, 1, 2, 4],
  a: [-2, 0, 1, 6],
};

/** Productions whose two children commute (same result either way round). */
const COMMUTATIVE = new Set(["ADD", "MUL", "MAX2", "MIN2", "EQ", "NE", "AND", "OR"]);

function order(x: readonly number[], y: readonly number[]): number {
  for (let k = 0; k < Math.min(x.length, y.length); k++) if (x[k] !== y[k]) return x[k]! - y[k]!;
  return x.length - y.length;
}

interface Entry {
  tokens: number[];
  fn: Compiled;
  /** Reads a lambda variable / a parameter somewhere. */
  usesVar: boolean;
  usesParam: boolean;
}

function key(x: unknown): string {
  if (typeof x === "number") return String(x); // -0 keys as 0: the sandbox returns it as 0
  if (typeof x === "boolean") return x ? "t" : "f";
  if (x === undefined) return "u";
  if (Array.isArray(x)) return `[${x.map(key).join(",")}]`;
  return "?";
}

/** A candidate result on one context: its value, or {@linkcode FAILED} when the run threw. */
export const FAILED: unique symbol = Symbol("failed");

/** A new top-level behaviour met by {@linkcode enumerateBehaviours}: the smallest program for it. */
export interface Behaviour {
  /** Body tokens (no signature token). */
  body: number[];
  /** Body size in tokens. */
  size: number;
  /** Result on each input, or `FAILED`. */
  values: unknown[];
}

/** Options of {@linkcode enumerateBehaviours}: the search's, with inputs instead of examples. */
export interface EnumerateOptions extends Omit<SearchOptions, "examples"> {
  /** Inputs that define a behaviour (observational equivalence is judged on them). */
  inputs: readonly (readonly unknown[])[];
  /**
   * Lambda bodies are judged on only the first this-many inputs (crossed with the variables'
   * probe values): cheaper, and an approximation like the probes themselves. Default: all.
   */
  lambdaInputs?: number;
}

/** Finds a program consistent with the examples, smallest first (see the module doc). */
export function enumerativeSearch(opts: SearchOptions): SearchResult {
  const expected = opts.examples.map((e) => key(e.output));
  let program: number[] | null = null;
  const { evals, size } = enumerateBehaviours(
    { ...opts, inputs: opts.examples.map((e) => e.input) },
    (b) => {
      const match = b.values.every((v, k) => v !== FAILED && key(v) === expected[k]) &&
        b.values.every((v) => toDomain(v).ok);
      if (match) program = [signatureToken(opts.signature), ...b.body];
      return match;
    },
  );
  return { program, evals, size };
}

/**
 * Bottom-up enumeration with observational equivalence on `inputs`: calls `visit` once per new
 * behaviour of the signature's result type (smallest program first; compound programs read a
 * parameter; a program that throws on every input is skipped) until `visit` returns true, the
 * evaluation budget or the size limit runs out. Returns the evaluations made and the size reached.
 */
export function enumerateBehaviours(
  opts: EnumerateOptions,
  visit: (b: Behaviour) => boolean,
): { evals: number; size: number } {
  const sig = signatureIndex(opts.signature);
  const maxSize = opts.maxSize ?? 12;
  const literals = new Set((opts.literals ?? [0, 1, 2, 3]).map(intToken));
  const fuel = { left: 0 };
  const fuelPer = opts.fuel ?? 10_000;

  // Contexts of each scope: the inputs crossed with probe values of its variables.
  const contexts: Env[][] = [];
  for (let scope = 0; scope < SCOPES; scope++) {
    const inputs = scope === 0 ? opts.inputs : opts.inputs.slice(0, opts.lambdaInputs);
    let envs: Env[] = inputs.map((input) => ({ params: input, fuel }));
    for (const v of BOUND_VARS) {
      if (!(scope & VAR_BIT[v])) continue;
      envs = envs.flatMap((e) => PROBES[v].map((p) => ({ ...e, [v]: p })));
    }
    contexts.push(envs);
  }

  // Without nesting, a body's scope is exactly what one lambda binds.
  const nested = opts.nestedLambdas ?? false;
  const only = opts.productions ? new Set(opts.productions) : undefined;
  const scopes = new Set<number>([0]);
  for (const p of PRODUCTIONS) {
    for (const c of p.children) {
      if (c.binds) scopes.add(c.binds.reduce((m, v) => m | VAR_BIT[v], 0));
    }
  }
  const nts: number[] = [];
  for (let scope = 0; scope < SCOPES; scope++) {
    if (!nested && !scopes.has(scope)) continue;
    for (const t of LANG_TYPES) nts.push(ntId(sig, t, scope));
  }
  // bank[nt][size] = entries; seen[nt] = behaviour keys already banked.
  const bank = new Map<number, Entry[][]>(nts.map((nt) => [nt, [[]]]));
  const seen = new Map<number, Set<string>>(nts.map((nt) => [nt, new Set()]));
  const top = ntId(sig, opts.signature.returns, 0);
  let evals = 0;
  /** Expressions of size s for a child slot: its own bank, plus closed ones in a lambda body. */
  const pool = (nt: number, s: number): Entry[] => {
    const own = bank.get(nt)![s] ?? [];
    const { type, scope } = ntParts(nt);
    if (scope === 0 || s === 1) return own;
    return [...own, ...(bank.get(ntId(sig, type, 0))![s] ?? [])];
  };

  /** Banks a new behaviour; true when `visit` asks to stop. */
  const consider = (nt: number, entry: Entry, size: number): boolean => {
    const { scope } = ntParts(nt);
    const { fn } = entry;
    // Compound expressions must read their inputs: constants come from literals only, and a
    // lambda body that ignores its variables is found in the closed bank (see `pool`).
    if (size > 1 && (scope === 0 ? !entry.usesParam : !entry.usesVar)) return false;
    evals++;
    const parts: string[] = [];
    const values: unknown[] = [];
    let anyOk = false;
    for (const env of contexts[scope]!) {
      fuel.left = fuelPer;
      try {
        const v = fn(env);
        parts.push(key(v));
        values.push(v);
        anyOk = true;
      } catch {
        parts.push("E");
        values.push(FAILED);
      }
    }
    if (!anyOk) return false;
    const behaviour = parts.join("|");
    const s = seen.get(nt)!;
    if (s.has(behaviour)) return false;
    s.add(behaviour);
    bank.get(nt)![size]!.push(entry);
    return nt === top && visit({ body: entry.tokens, size, values });
  };

  for (let size = 1; size <= maxSize; size++) {
    for (const nt of nts) bank.get(nt)!.push([]);
    for (const nt of nts) {
      for (const alt of ALTERNATIVES[nt]!) {
        const p = alt.token >= PROD_BASE ? PRODUCTIONS[alt.token - PROD_BASE] : undefined;
        if (alt.children.length === 0) {
          if (size !== 1) continue;
          if (tokenInt(alt.token) !== undefined && !literals.has(alt.token)) continue;
          const leaf: Entry = {
            tokens: [alt.token],
            fn: compileNode({ token: alt.token, kids: [] }),
            usesVar: alt.token >= VAR_BASE && alt.token < VAR_BASE + BOUND_VARS.length,
            usesParam: alt.token >= PARAM_BASE && alt.token < VAR_BASE,
          };
          if (consider(nt, leaf, 1)) return { evals, size };
          if (evals >= opts.maxEvals) return { evals, size };
          continue;
        }
        if (!p || size < 1 + alt.children.length || (only && !only.has(p.name))) continue;
        if (!nested && ntParts(nt).scope !== 0 && p.children.some((c) => c.binds)) continue;
        const symmetric = COMMUTATIVE.has(p.name);
        // Every way to give the children sizes summing to size - 1, then every combination.
        const picks: Entry[] = [];
        const rec = (c: number, left: number): "stop" | null => {
          if (c === alt.children.length) {
            if (left !== 0) return null;
            // a ∘ b and b ∘ a behave alike: keep one order.
            if (symmetric && order(picks[0]!.tokens, picks[1]!.tokens) > 0) return null;
            const tokens = [alt.token, ...picks.flatMap((e) => e.tokens)];
            const entry: Entry = {
              tokens,
              fn: fueled(p.compile(picks.map((e) => e.fn))),
              usesVar: picks.some((e) => e.usesVar),
              usesParam: picks.some((e) => e.usesParam),
            };
            return consider(nt, entry, size) || evals >= opts.maxEvals ? "stop" : null;
          }
          const remainingKids = alt.children.length - c - 1;
          const childNt = alt.children[c]!;
          for (let s = 1; s <= left - remainingKids; s++) {
            for (const e of pool(childNt, s)) {
              picks.push(e);
              const r = rec(c + 1, left - s);
              picks.pop();
              if (r !== null) return r;
            }
          }
          return null;
        };
        if (rec(0, size - 1) === "stop") return { evals, size };
      }
    }
  }
  return { evals, size: maxSize };
}
