/**
 * Typed values: the token codec (encode / decode by type) and the type-and-bounds check
 * that validation applies to every program result.
 *
 * Encoding: an int is its own token, a bool is `true`/`false`, a list is `[` ints `]`.
 * Every value is self-delimiting, so an argument tuple is its values back to back.
 * @module
 */
import type { LangType, Signature, ValueBounds } from "./types.ts";
import { assertBounds } from "./constraint.ts";
import { FALSE, intToken, LIST_CLOSE, LIST_OPEN, tokenInt, tokenName, TRUE } from "./vocab.ts";

/** A value of the language: an int, a bool, or a list of ints. */
export type LangValue = number | boolean | number[];

/** Outcome of a type/bounds check. */
export type ValueCheck = { ok: true } | { ok: false; message: string };

/** Is `value` a value of `type` within `bounds`? (`-0` counts as 0.) */
export function checkValue(type: LangType, value: unknown, bounds: ValueBounds): ValueCheck {
  const int = (x: unknown, where: string): ValueCheck => {
    if (typeof x !== "number" || !Number.isInteger(x)) {
      return { ok: false, message: `${where} must be an integer, got ${show(x)}` };
    }
    if (x < bounds.intMin || x > bounds.intMax) {
      return {
        ok: false,
        message: `${where} ${x} is outside the int bounds [${bounds.intMin}, ${bounds.intMax}]`,
      };
    }
    return { ok: true };
  };
  if (type === "int") return int(value, "int");
  if (type === "bool") {
    return typeof value === "boolean"
      ? { ok: true }
      : { ok: false, message: `bool expected, got ${show(value)}` };
  }
  if (!Array.isArray(value)) return { ok: false, message: `int[] expected, got ${show(value)}` };
  if (value.length > bounds.maxListLen) {
    return {
      ok: false,
      message: `list of ${value.length} elements is longer than maxListLen ${bounds.maxListLen}`,
    };
  }
  for (let k = 0; k < value.length; k++) {
    const r = int(value[k], `list element ${k}`);
    if (!r.ok) return r;
  }
  return { ok: true };
}

/** Checks an argument tuple against a signature's parameter types and the bounds. */
export function checkArgs(
  signature: Signature,
  args: readonly unknown[],
  bounds: ValueBounds,
): ValueCheck {
  if (args.length !== signature.params.length) {
    return {
      ok: false,
      message: `${signature.name} takes ${signature.params.length} arguments, got ${args.length}`,
    };
  }
  for (let k = 0; k < args.length; k++) {
    const r = checkValue(signature.params[k]!, args[k], bounds);
    if (!r.ok) return { ok: false, message: `argument ${k}: ${r.message}` };
  }
  return { ok: true };
}

function show(x: unknown): string {
  if (x === undefined) return "undefined";
  if (typeof x === "number") return Object.is(x, -0) ? "-0" : String(x);
  try {
    return JSON.stringify(x) ?? String(x);
  } catch {
    return String(x);
  }
}

/** Result of encoding. */
export type EncodeResult = { ok: true; tokens: number[] } | { ok: false; message: string };

/** Tokens of a value of `type`; out-of-bound or ill-typed values are rejected with a message. */
export function encodeValue(type: LangType, value: unknown, bounds: ValueBounds): EncodeResult {
  assertBounds(bounds);
  const check = checkValue(type, value, bounds);
  if (!check.ok) return { ok: false, message: `Cannot encode value: ${check.message}` };
  if (type === "int") return { ok: true, tokens: [intToken((value as number) + 0)] };
  if (type === "bool") return { ok: true, tokens: [value ? TRUE : FALSE] };
  return {
    ok: true,
    tokens: [LIST_OPEN, ...(value as number[]).map((x) => intToken(x + 0)), LIST_CLOSE],
  };
}

/** Tokens of an argument tuple (its values back to back). */
export function encodeArgs(
  signature: Signature,
  args: readonly unknown[],
  bounds: ValueBounds,
): EncodeResult {
  const check = checkArgs(signature, args, bounds);
  if (!check.ok) return { ok: false, message: `Cannot encode arguments: ${check.message}` };
  const tokens: number[] = [];
  signature.params.forEach((t, k) => {
    const r = encodeValue(t, args[k], bounds);
    if (r.ok) tokens.push(...r.tokens);
  });
  return { ok: true, tokens };
}

/** Result of decoding. */
export type DecodeResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** Reads one value of `type` at `pos`; returns the value and the next position. */
function readValue(
  type: LangType,
  tokens: readonly number[],
  pos: number,
): { value: LangValue; next: number } | string {
  const t = tokens[pos];
  if (t === undefined) return `expected a ${type} at token ${pos}, found the end`;
  const name = (x: number) => {
    try {
      return tokenName(x);
    } catch {
      return String(x);
    }
  };
  if (type === "int") {
    const n = tokenInt(t);
    return n === undefined
      ? `expected an int at token ${pos}, found '${name(t)}'`
      : { value: n, next: pos + 1 };
  }
  if (type === "bool") {
    if (t === TRUE || t === FALSE) return { value: t === TRUE, next: pos + 1 };
    return `expected true/false at token ${pos}, found '${name(t)}'`;
  }
  if (t !== LIST_OPEN) return `expected '[' at token ${pos}, found '${name(t)}'`;
  const xs: number[] = [];
  for (let k = pos + 1; k < tokens.length; k++) {
    const u = tokens[k]!;
    if (u === LIST_CLOSE) return { value: xs, next: k + 1 };
    const n = tokenInt(u);
    if (n === undefined) return `expected an int or ']' at token ${k}, found '${name(u)}'`;
    xs.push(n);
  }
  return "list value is missing its ']'";
}

/** The value of `type` that `tokens` encode (all tokens must be used). */
export function decodeValue(type: LangType, tokens: readonly number[]): DecodeResult<LangValue> {
  const r = readValue(type, tokens, 0);
  if (typeof r === "string") return { ok: false, message: r };
  if (r.next !== tokens.length) {
    return { ok: false, message: `${tokens.length - r.next} extra tokens after the value` };
  }
  return { ok: true, value: r.value };
}

/** The argument tuple that `tokens` encode for `signature`. */
export function decodeArgs(
  signature: Signature,
  tokens: readonly number[],
): DecodeResult<LangValue[]> {
  const out: LangValue[] = [];
  let pos = 0;
  for (const t of signature.params) {
    const r = readValue(t, tokens, pos);
    if (typeof r === "string") return { ok: false, message: r };
    out.push(r.value);
    pos = r.next;
  }
  if (pos !== tokens.length) {
    return { ok: false, message: `${tokens.length - pos} extra tokens after the arguments` };
  }
  return { ok: true, value: out };
}
