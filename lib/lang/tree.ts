/**
 * Program tokens as a tree: the signature token first, then the body in prefix order.
 * Every consumer of programs (renderer, interpreter, search) goes through this check.
 * @module
 */
import { alternative, ntId } from "./nonterminals.ts";
import { type Signature, SIGNATURES } from "./types.ts";
import { SIG_BASE, tokenName } from "./vocab.ts";

/** A node: its token and children in prefix order. */
export interface ProgramNode {
  readonly token: number;
  readonly kids: readonly ProgramNode[];
}

/** A well-typed program as a tree. */
export interface ProgramTree {
  readonly signature: Signature;
  readonly body: ProgramNode;
}

/** Result of reading tokens as a program. */
export type ProgramTreeResult =
  | { ok: true; tree: ProgramTree }
  | { ok: false; message: string };

/** Reads program tokens into a tree, checking types and completeness. */
export function programTree(tokens: readonly number[]): ProgramTreeResult {
  const first = tokens[0];
  const sig = first === undefined ? undefined : SIGNATURES[first - SIG_BASE];
  if (first === undefined || sig === undefined) {
    return { ok: false, message: "a program starts with a signature token" };
  }
  let pos = 1;
  const read = (nt: number): ProgramNode | string => {
    const token = tokens[pos];
    if (token === undefined) return `incomplete program: ends after ${pos} tokens`;
    const alt = alternative(nt, token);
    if (!alt) return `token ${pos} ('${safeName(token)}') does not fit its slot`;
    pos++;
    const kids: ProgramNode[] = [];
    for (const c of alt.children) {
      const k = read(c);
      if (typeof k === "string") return k;
      kids.push(k);
    }
    return { token, kids };
  };
  const body = read(ntId(first - SIG_BASE, sig.returns, 0));
  if (typeof body === "string") return { ok: false, message: body };
  if (pos !== tokens.length) {
    return { ok: false, message: `${tokens.length - pos} extra tokens after a complete program` };
  }
  return { ok: true, tree: { signature: sig, body } };
}

function safeName(token: number): string {
  try {
    return tokenName(token);
  } catch {
    return String(token);
  }
}

/** Like {@linkcode programTree} but throws (for callers that only hold valid programs). */
export function mustProgramTree(tokens: readonly number[]): ProgramTree {
  const r = programTree(tokens);
  if (!r.ok) throw new Error(`Not a valid program (${r.message}): ${tokens.join(" ")}`);
  return r.tree;
}

/** The signature of program tokens (from its first token); throws when it has none. */
export function programSignature(tokens: readonly number[]): Signature {
  const sig = tokens[0] === undefined ? undefined : SIGNATURES[tokens[0] - SIG_BASE];
  if (!sig) throw new Error("Program tokens must start with a signature token");
  return sig;
}

/** Token of a signature. */
export function signatureToken(signature: Signature): number {
  const k = SIGNATURES.findIndex((s) => s.name === signature.name);
  if (k < 0) throw new Error(`Unknown signature '${signature.name}'`);
  return SIG_BASE + k;
}
