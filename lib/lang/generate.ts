/**
 * The canonical task generator: every program the language can write in a world, up to a body
 * size, enumerated bottom-up with observational equivalence on a fixed probe set of inputs (the
 * enumerative search's machinery, `enumerateBehaviours`), keeping the smallest program per
 * behaviour. So every kept program
 *
 * - is distinct in behaviour from every other (on the probes),
 * - depends on its input (it returns at least two different values on the probes),
 * - has no dead code (a smaller program with the same behaviour would have been kept instead),
 * - runs without error and inside the world on at least `minValid` of the probes.
 *
 * Tasks are drawn from a bank with size weights and inputs from a natural distribution
 * ({@linkcode naturalValue}: short lists, small values, duplicates, sorted and unsorted,
 * sometimes empty), and labelled by the reference interpreter. The bank is split into train
 * and held-out *by behaviour* ({@linkcode isHeldOut}), so no held-out program is ever trained on.
 *
 * @example
 * ```ts
 * import { buildBank, generateTask, WORLDS } from "./mod.ts";
 * import { Rng } from "../rng.ts";
 * const bank = buildBank({ world: WORLDS.small, maxSize: 3 });
 * const task = generateTask(new Rng(0), bank, "deduction");
 * console.log(task?.program, task);
 * ```
 * @module
 */
import { Rng } from "../rng.ts";
import { type CompiledProgram, compileProgram } from "./interpret.ts";
import { renderProgram } from "./render.ts";
import { enumerateBehaviours, FAILED } from "./search.ts";
import { signatureToken } from "./tree.ts";
import { type LangType, type Signature, SIGNATURES, type World } from "./types.ts";
import { BOUND_VARS } from "./grammar.ts";
import { VAR_BASE } from "./vocab.ts";
import { checkValue, type LangValue } from "./values.ts";

/** A value of the natural input distribution of `type` in `world`. */
export function naturalValue(rng: Rng, type: LangType, world: World): LangValue {
  if (type === "bool") return rng.next() < 0.5;
  if (type === "int") return naturalInt(rng, world);
  // Lists: sometimes empty, else 1..maxListLen; some sorted, some with a repeated element.
  const len = rng.next() < 0.1 ? 0 : 1 + rng.int(world.maxListLen);
  const xs = Array.from({ length: len }, () => naturalInt(rng, world));
  const shape = rng.next();
  if (shape < 0.2) xs.sort((p, q) => p - q);
  else if (shape < 0.4 && len >= 2) xs[rng.int(len)] = xs[rng.int(len)]!;
  return xs;
}

/** Ints: 60% small (|n| ≤ 5, clipped to the world), else uniform over the world's range. */
function naturalInt(rng: Rng, world: World): number {
  const lo = rng.next() < 0.6 ? Math.max(world.intMin, -5) : world.intMin;
  const hi = lo === world.intMin ? world.intMax : Math.min(world.intMax, 5);
  return lo + rng.int(hi - lo + 1);
}

/** A natural argument tuple for `signature`. */
export function naturalArgs(rng: Rng, signature: Signature, world: World): LangValue[] {
  return signature.params.map((t) => naturalValue(rng, t, world));
}

/** One program of a bank. */
export interface BankProgram {
  /** Program tokens, signature token first. */
  readonly tokens: readonly number[];
  /** Body size in tokens. */
  readonly size: number;
  /** Fraction of the probe inputs it runs on without error and inside the world. */
  readonly valid: number;
}

/** The programs of one signature. */
export interface SignatureBank {
  readonly signature: Signature;
  readonly programs: readonly BankProgram[];
  /** Candidate expressions evaluated to build it. */
  readonly evals: number;
  /** Build time, in milliseconds. */
  readonly ms: number;
}

/** A bank: per signature, its canonical programs (smallest first). */
export interface Bank {
  readonly world: World;
  readonly maxSize: number;
  readonly signatures: readonly SignatureBank[];
}

/** Options of {@linkcode buildBank}. */
export interface BankOptions {
  world: World;
  /** Largest program body, in tokens (default 5). */
  maxSize?: number;
  /** Probe inputs per signature that define a behaviour (default 24; a few fixed edge cases first). */
  probes?: number;
  /** Fraction of the probes a program must run on validly (default 0.5). */
  minValid?: number;
  /** Evaluation budget per signature (default 3,000,000). */
  maxEvals?: number;
  /** Seed of the probe inputs (default 0). */
  seed?: number;
  /** Only these signatures (by name); all when absent. */
  signatures?: readonly string[];
  /** Probe inputs a lambda body is judged on (default 8; see `EnumerateOptions.lambdaInputs`). */
  lambdaInputs?: number;
}

/** The probe inputs of a signature: fixed edge cases, then natural draws. */
export function probeSet(
  signature: Signature,
  world: World,
  n: number,
  seed: number,
): LangValue[][] {
  const rng = new Rng(seed + 7919 * SIGNATURES.indexOf(signature));
  const edge = (t: LangType, k: number): LangValue =>
    t === "int"
      ? [0, 1, -1, 3][k % 4]!
      : t === "bool"
      ? k % 2 === 0
      : [[], [2], [3, 1, 2], [-2, 0, -2, 4]][k % 4]!;
  const out: LangValue[][] = [];
  for (let k = 0; k < Math.min(4, n); k++) out.push(signature.params.map((t, j) => edge(t, k + j)));
  while (out.length < n) out.push(naturalArgs(rng, signature, world));
  return out;
}

function behaviourKey(v: unknown): string {
  return JSON.stringify(v);
}

/** Enumerates the canonical programs of every signature (see the module doc). */
export function buildBank(opts: BankOptions): Bank {
  const maxSize = opts.maxSize ?? 5;
  const minValid = opts.minValid ?? 0.5;
  const literals: number[] = [];
  for (let n = opts.world.literalMin; n <= opts.world.literalMax; n++) literals.push(n);
  const signatures = SIGNATURES.filter((s) => !opts.signatures || opts.signatures.includes(s.name))
    .map((signature): SignatureBank => {
      const t0 = performance.now();
      const inputs = probeSet(signature, opts.world, opts.probes ?? 24, opts.seed ?? 0);
      const sigToken = signatureToken(signature);
      const programs: BankProgram[] = [];
      const { evals } = enumerateBehaviours({
        signature,
        inputs,
        maxEvals: opts.maxEvals ?? 3_000_000,
        maxSize,
        literals,
        lambdaInputs: opts.lambdaInputs ?? 8,
      }, (b) => {
        let ok = 0;
        const outputs = new Set<string>();
        for (const v of b.values) {
          if (v === FAILED || !checkValue(signature.returns, v, opts.world).ok) continue;
          ok++;
          outputs.add(behaviourKey(v));
        }
        // Input-dependent (two outputs at least) and valid on enough probes.
        if (outputs.size >= 2 && ok >= minValid * inputs.length) {
          programs.push({ tokens: [sigToken, ...b.body], size: b.size, valid: ok / inputs.length });
        }
        return false;
      });
      return { signature, programs, evals, ms: performance.now() - t0 };
    });
  return { world: opts.world, maxSize, signatures };
}

/** FNV-1a of a program's tokens, in [0, 1): decides its split, the same in every run. */
function programHash(tokens: readonly number[]): number {
  let h = 0x811c9dc5;
  for (const t of tokens) {
    h ^= t & 0xff;
    h = Math.imul(h, 0x01000193);
    h ^= t >>> 8;
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 2 ** 32;
}

/** Is this program in the held-out split (a `fraction` of behaviours, by a hash of its tokens)? */
export function isHeldOut(tokens: readonly number[], fraction = 0.1): boolean {
  return programHash(tokens) < fraction;
}

/** A program's key in sets of programs (its tokens, comma-separated). */
export function programKey(tokens: readonly number[]): string {
  return tokens.join(",");
}

/**
 * The bank's train or held-out part (split by behaviour: each program is one behaviour): a
 * `fraction` of the behaviours by hash, plus the programs of `alsoHeldOut` (by
 * {@linkcode programKey}; e.g. the behaviours of the hand-written suites).
 */
export function splitBank(
  bank: Bank,
  part: "train" | "heldout",
  fraction = 0.1,
  alsoHeldOut?: ReadonlySet<string>,
): Bank {
  const held = (p: BankProgram) =>
    isHeldOut(p.tokens, fraction) || (alsoHeldOut?.has(programKey(p.tokens)) ?? false);
  return {
    ...bank,
    signatures: bank.signatures.map((s) => ({
      ...s,
      programs: s.programs.filter((p) => held(p) === (part === "heldout")),
    })),
  };
}

/** How programs are drawn from a bank. */
export interface BankDrawOptions {
  /**
   * Weight of each body size (index = size); sizes absent or 0 are never drawn. Default:
   * uniform over the sizes present, so the many large programs do not swamp the few small ones.
   */
  sizeWeights?: readonly number[];
  /**
   * Weight of the programs that use a lambda variable (`v`, `i`, `a`: the per-element work of
   * `map`, `filter`, `reduce`, …) against the other programs of their size (default 1: uniform
   * over a size's programs). They are few in a bank of one program per behaviour (7% of the
   * small world's, 10% of its 5-token list programs), so uniform draws rarely show them.
   */
  lambdaWeight?: number;
}

/** Whether a program uses a lambda variable (v, i or a) anywhere in its body. */
export function usesLambdaVariable(tokens: readonly number[]): boolean {
  return tokens.some((t) => t >= VAR_BASE && t < VAR_BASE + BOUND_VARS.length);
}

/** Programs of a signature bank grouped by size (computed once per bank). */
const BY_SIZE = new WeakMap<SignatureBank, Map<number, BankProgram[]>>();
function bySize(s: SignatureBank): Map<number, BankProgram[]> {
  let m = BY_SIZE.get(s);
  if (!m) {
    m = new Map();
    for (const p of s.programs) {
      const list = m.get(p.size);
      if (list) list.push(p);
      else m.set(p.size, [p]);
    }
    BY_SIZE.set(s, m);
  }
  return m;
}

/** The bank with only the programs `keep` accepts (every signature kept, some maybe empty). */
export function filterBank(bank: Bank, keep: (p: BankProgram) => boolean): Bank {
  return {
    ...bank,
    signatures: bank.signatures.map((s) => ({ ...s, programs: s.programs.filter(keep) })),
  };
}

/** A size's programs split by {@linkcode usesLambdaVariable} (computed once per pool). */
const LAMBDA_SPLIT = new WeakMap<BankProgram[], [BankProgram[], BankProgram[]]>();
function lambdaSplit(pool: BankProgram[]): [BankProgram[], BankProgram[]] {
  let split = LAMBDA_SPLIT.get(pool);
  if (!split) {
    split = [
      pool.filter((p) => usesLambdaVariable(p.tokens)),
      pool.filter((p) => !usesLambdaVariable(p.tokens)),
    ];
    LAMBDA_SPLIT.set(pool, split);
  }
  return split;
}

/**
 * A program drawn from the bank: a signature uniformly, then a size by weight, then uniformly
 * among that size's programs (with `lambdaWeight`, those using a lambda variable weighted so).
 */
export function drawProgram(rng: Rng, bank: Bank, opts: BankDrawOptions = {}): BankProgram {
  const sigs = bank.signatures.filter((s) => s.programs.length > 0);
  if (sigs.length === 0) throw new Error("The bank is empty: raise maxSize or lower minValid");
  const s = sigs[rng.int(sigs.length)]!;
  const groups = bySize(s);
  const sizes = [...groups.keys()].filter((k) => (opts.sizeWeights?.[k] ?? 1) > 0);
  if (sizes.length === 0) return s.programs[rng.int(s.programs.length)]!;
  const w = sizes.map((k) => opts.sizeWeights?.[k] ?? 1);
  let r = rng.next() * w.reduce((a, b) => a + b, 0);
  let k = 0;
  while (k < sizes.length - 1 && (r -= w[k]!) >= 0) k++;
  const pool = groups.get(sizes[k]!)!;
  const lw = opts.lambdaWeight ?? 1;
  if (lw === 1) return pool[rng.int(pool.length)]!;
  const [lambdas, others] = lambdaSplit(pool);
  const pLambda = lambdas.length * lw / (lambdas.length * lw + others.length);
  const from = others.length === 0 || (lambdas.length > 0 && rng.next() < pLambda)
    ? lambdas
    : others;
  return from[rng.int(from.length)]!;
}

const COMPILED = new WeakMap<readonly number[], CompiledProgram>();
function compiled(tokens: readonly number[]): CompiledProgram {
  let f = COMPILED.get(tokens);
  if (!f) COMPILED.set(tokens, f = compileProgram(tokens));
  return f;
}

/** `f(args)` by the reference interpreter when it is a valid value of the world, else undefined. */
export function runInWorld(
  tokens: readonly number[],
  signature: Signature,
  args: readonly LangValue[],
  world: World,
): LangValue | undefined {
  const r = compiled(tokens)(args, { fuel: 100_000 });
  if (!r.ok || !checkValue(signature.returns, r.value, world).ok) return undefined;
  return r.value as LangValue;
}

/** A generated deduction/abduction triplet or induction record (the buffers' JSON shapes). */
export type GeneratedTask =
  | {
    task: "deduction" | "abduction";
    program: string;
    tokens: number[];
    signature: string;
    step: number;
    input: LangValue[];
    output: LangValue;
  }
  | {
    task: "induction";
    program: string;
    tokens: number[];
    signature: string;
    step: number;
    examples: { input: LangValue[]; output: LangValue }[];
    shown: number;
  };

/** Options of {@linkcode generateTask}. */
export interface GenerateOptions extends BankDrawOptions {
  /** Induction pairs (default 10) and how many of them are shown (default half). */
  inductionN?: number;
  /** Step recorded in the task (default -1: not from self-play). */
  step?: number;
  /** Use this program instead of drawing one. */
  program?: BankProgram;
}

/**
 * A task of `type` from the bank: a program, natural inputs on which it runs inside the world,
 * outputs by the reference interpreter. Undefined when no such input turned up in 20 draws (or,
 * for induction, when the pairs do not show two different outputs).
 */
export function generateTask(
  rng: Rng,
  bank: Bank,
  type: "deduction" | "abduction" | "induction",
  opts: GenerateOptions = {},
): GeneratedTask | undefined {
  const p = opts.program ?? drawProgram(rng, bank, opts);
  const signature = SIGNATURES.find((s) => signatureToken(s) === p.tokens[0])!;
  const tokens = [...p.tokens];
  const head = {
    program: renderProgram(tokens),
    tokens,
    signature: signature.name,
    step: opts.step ?? -1,
  };
  const n = type === "induction" ? opts.inductionN ?? 10 : 1;
  const examples: { input: LangValue[]; output: LangValue }[] = [];
  const seen = new Set<string>();
  for (let tries = 0; tries < 20 * n && examples.length < n; tries++) {
    const input = naturalArgs(rng, signature, bank.world);
    const key = JSON.stringify(input);
    if (seen.has(key)) continue;
    seen.add(key);
    // The bank's own array: the compiled program is cached per array.
    const output = runInWorld(p.tokens, signature, input, bank.world);
    if (output !== undefined) examples.push({ input, output });
  }
  if (examples.length < n) return undefined;
  if (type !== "induction") return { task: type, ...head, ...examples[0]! };
  if (new Set(examples.map((e) => JSON.stringify(e.output))).size < 2) return undefined;
  return { task: "induction", ...head, examples, shown: Math.floor(n / 2) };
}

/** Bank sizes per signature and size, for reports: `{ "(int) -> int": { "1": 3, … }, … }`. */
export function bankSizes(bank: Bank): Record<string, Record<number, number>> {
  const out: Record<string, Record<number, number>> = {};
  for (const s of bank.signatures) {
    const row: Record<number, number> = {};
    for (const p of s.programs) row[p.size] = (row[p.size] ?? 0) + 1;
    out[s.signature.name] = row;
  }
  return out;
}
