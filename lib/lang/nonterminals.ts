/**
 * Nonterminals of the typed grammar and the tables the constrained decoder reads.
 *
 * A nonterminal is (signature, type, scope): the type an expression must have, under a
 * signature (which parameters exist) and a scope (which lambda variables are bound, a
 * bit mask of `VAR_BIT`). Its alternatives are tokens: leaves (literals, parameters, bound
 * variables) and productions whose child nonterminals follow from the slot types and the
 * variables the slots bind. Everything here is computed once per nonterminal, lazily.
 * @module
 */
import { BOUND_VARS, PRODUCTIONS, VAR_BIT } from "./grammar.ts";
import { LANG_TYPES, type LangType, SIGNATURES } from "./types.ts";
import {
  FALSE,
  intToken,
  PARAM_BASE,
  PROD_BASE,
  PROGRAM_INT_MAX,
  PROGRAM_INT_MIN,
  TRUE,
  VAR_BASE,
  VOCAB_SIZE,
} from "./vocab.ts";

/** Number of scopes (subsets of the lambda variables). */
export const SCOPES = 1 << BOUND_VARS.length;

/** Id of nonterminal (signature index, type, scope). */
export function ntId(sig: number, type: LangType, scope: number): number {
  return (sig * LANG_TYPES.length + LANG_TYPES.indexOf(type)) * SCOPES + scope;
}

/** Signature index, type and scope of a nonterminal id. */
export function ntParts(nt: number): { sig: number; type: LangType; scope: number } {
  const scope = nt % SCOPES;
  const rest = (nt - scope) / SCOPES;
  const t = rest % LANG_TYPES.length;
  return { sig: (rest - t) / LANG_TYPES.length, type: LANG_TYPES[t]!, scope };
}

/** Number of nonterminal ids. */
export const NT_COUNT = SIGNATURES.length * LANG_TYPES.length * SCOPES;

/** One alternative of a nonterminal: a token and the nonterminals of its children. */
export interface Alternative {
  readonly token: number;
  /** Child nonterminals in prefix order (empty for leaves). */
  readonly children: readonly number[];
  /** Fewest tokens a complete expression starting with this token has. */
  readonly cost: number;
}

/** Alternatives of a nonterminal, ignoring cost (no minimum lengths needed). */
function rawAlternatives(nt: number): { token: number; children: number[] }[] {
  const { sig, type, scope } = ntParts(nt);
  const s = SIGNATURES[sig]!;
  const out: { token: number; children: number[] }[] = [];
  if (type === "int") {
    for (let n = PROGRAM_INT_MIN; n <= PROGRAM_INT_MAX; n++) {
      out.push({ token: intToken(n), children: [] });
    }
    BOUND_VARS.forEach((v, k) => {
      if (scope & VAR_BIT[v]) out.push({ token: VAR_BASE + k, children: [] });
    });
  }
  if (type === "bool") out.push({ token: TRUE, children: [] }, { token: FALSE, children: [] });
  s.params.forEach((p, j) => {
    if (p === type) out.push({ token: PARAM_BASE + j, children: [] });
  });
  PRODUCTIONS.forEach((p, k) => {
    if (p.result !== type) return;
    const children = p.children.map((c) => {
      let sc = scope;
      for (const v of c.binds ?? []) sc |= VAR_BIT[v];
      return ntId(sig, c.type, sc);
    });
    out.push({ token: PROD_BASE + k, children });
  });
  return out;
}

const RAW: { token: number; children: number[] }[][] = [];
for (let nt = 0; nt < NT_COUNT; nt++) RAW.push(rawAlternatives(nt));

/** Fewest tokens that complete each nonterminal (a fixpoint over the alternatives). */
export const MIN_LEN: readonly number[] = (() => {
  const min = new Array<number>(NT_COUNT).fill(Infinity);
  for (let changed = true; changed;) {
    changed = false;
    for (let nt = 0; nt < NT_COUNT; nt++) {
      for (const a of RAW[nt]!) {
        const c = a.children.reduce((s, ch) => s + min[ch]!, 1);
        if (c < min[nt]!) {
          min[nt] = c;
          changed = true;
        }
      }
    }
  }
  const bad = min.findIndex((m) => !Number.isFinite(m));
  if (bad >= 0) {
    throw new Error(`Grammar bug: nonterminal ${JSON.stringify(ntParts(bad))} is empty`);
  }
  return min;
})();

/** Alternatives of every nonterminal, with costs. */
export const ALTERNATIVES: readonly (readonly Alternative[])[] = RAW.map((alts) =>
  alts.map((a) => ({ ...a, cost: a.children.reduce((s, ch) => s + MIN_LEN[ch]!, 1) }))
);

/** Child nonterminals of `token` under nonterminal `nt`, by token id (sparse). */
const CHILDREN_BY_TOKEN: readonly (ReadonlyMap<number, Alternative>)[] = ALTERNATIVES.map(
  (alts) => new Map(alts.map((a) => [a.token, a])),
);

/** The alternative `token` under `nt`, or undefined when the token does not fit there. */
export function alternative(nt: number, token: number): Alternative | undefined {
  return CHILDREN_BY_TOKEN[nt]!.get(token);
}

const MASKS: (Uint8Array[] | undefined)[] = new Array(NT_COUNT);

/**
 * Mask of the tokens allowed at nonterminal `nt` when at most `room` tokens may be spent on
 * it: alternatives whose cost fits. Cached per (nt, room); callers must not mutate it.
 */
export function ntMask(nt: number, room: number): Uint8Array {
  let masks = MASKS[nt];
  if (masks === undefined) {
    const alts = ALTERNATIVES[nt]!;
    const maxCost = alts.reduce((m, a) => Math.max(m, a.cost), 0);
    masks = [];
    for (let k = 0; k <= maxCost; k++) {
      const m = new Uint8Array(VOCAB_SIZE);
      for (const a of alts) if (a.cost <= k) m[a.token] = 1;
      masks.push(m);
    }
    MASKS[nt] = masks;
  }
  return masks[Math.max(0, Math.min(room, masks.length - 1))]!;
}
