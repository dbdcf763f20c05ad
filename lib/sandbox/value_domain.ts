/**
 * The JSON value domain: decides whether a value is a plain JSON value and encodes it.
 *
 * `encodeJsonValue` is the single checker used everywhere: the sandbox child runs it on
 * what a program returns (its source is shipped into the child with `Function#toString`,
 * so it must stay self-contained: no imports, no outer helpers), and the language module
 * and the reference interpreter call `checkJsonValue` in-process, so all of them report
 * `invalid_value` for exactly the same values.
 *
 * In the domain: finite numbers, strings (lone surrogates round-trip as `\udXXX` escapes),
 * booleans, `null`, arrays without holes or extra properties, and plain objects (prototype
 * `Object.prototype` or `null`) whose own properties are enumerable data properties with
 * string keys. Depth and encoded size are bounded. `-0` is in the domain and encodes as
 * `0`, as `JSON.stringify` writes it: what comes back from the sandbox is `0`.
 * @module
 */
import { types } from "node:util";
import type { JsonValue } from "./types.ts";

/** Limits for {@link encodeJsonValue}. */
export interface JsonDomainLimits {
  /** Deepest nesting of arrays/objects (the top level is depth 1). */
  maxDepth: number;
  /** Largest encoding, in UTF-16 code units (the caller checks bytes when it needs to). */
  maxChars: number;
  /** Proxy detector: proxies run code on every look, so they are rejected unseen. */
  isProxy: (v: object) => boolean;
}

/** The outcome of {@link encodeJsonValue}: the JSON text, or why the value is not JSON. */
export type JsonEncoding =
  | { ok: true; text: string }
  | { ok: false; kind: "invalid_value" | "output_too_large"; message: string };

/**
 * Check `value` against the JSON value domain and encode it as JSON text (keys in the
 * object's own order). Never calls code owned by the value: getters, proxies, `toJSON`
 * and `toString` are rejected or ignored, not invoked.
 *
 * @example
 * ```ts
 * const r = encodeJsonValue([1, NaN], { maxDepth: 8, maxChars: 100, isProxy: () => false });
 * // r = { ok: false, kind: "invalid_value", message: "NaN at $[1] is not a JSON value" }
 * ```
 */
export function encodeJsonValue(value: unknown, limits: JsonDomainLimits): JsonEncoding {
  const { maxDepth, maxChars, isProxy } = limits;
  const objectProto = Object.prototype;
  const arrayProto = Array.prototype;
  const out: string[] = [];
  const trail: (string | number)[] = [];
  const ancestors = new Set<object>();
  let size = 0;
  let failure: { kind: "invalid_value" | "output_too_large"; message: string } | undefined;

  const where = (): string =>
    "$" + trail.map((k) => typeof k === "number" ? `[${k}]` : `[${JSON.stringify(k)}]`).join("");
  const invalid = (what: string): false => {
    failure = { kind: "invalid_value", message: `${what} at ${where()} is not a JSON value` };
    return false;
  };
  const emit = (s: string): boolean => {
    size += s.length;
    if (size > maxChars) {
      failure = { kind: "output_too_large", message: `result is larger than ${maxChars} chars` };
      return false;
    }
    out.push(s);
    return true;
  };

  const walk = (v: unknown, depth: number): boolean => {
    switch (typeof v) {
      case "string":
        return emit(JSON.stringify(v));
      case "boolean":
        return emit(v ? "true" : "false");
      case "number":
        if (Number.isNaN(v)) return invalid("NaN");
        if (!Number.isFinite(v)) return invalid(v > 0 ? "Infinity" : "-Infinity");
        // String(-0) is "0": -0 comes back as 0, as it would through JSON.
        return emit(String(v));
      case "undefined":
        return invalid("undefined");
      case "bigint":
        return invalid("a BigInt");
      case "symbol":
        return invalid("a Symbol");
      case "function":
        return invalid("a function");
    }
    if (v === null) return emit("null");
    const obj = v as object;
    if (isProxy(obj)) return invalid("a Proxy");
    if (ancestors.has(obj)) return invalid("a cycle");
    if (depth > maxDepth) return invalid(`nesting deeper than ${maxDepth}`);
    const proto = Object.getPrototypeOf(obj);
    ancestors.add(obj);
    let ok: boolean;
    if (Array.isArray(obj)) {
      ok = proto === arrayProto ? walkArray(obj, depth) : invalid("an array subclass");
    } else if (proto === objectProto || proto === null) {
      ok = walkObject(obj, depth);
    } else if (proto === Promise.prototype) {
      ok = invalid("a Promise");
    } else {
      ok = invalid("a non-plain object (Map, Set, Date, class instance, …)");
    }
    ancestors.delete(obj);
    return ok;
  };

  const walkArray = (arr: unknown[], depth: number): boolean => {
    const n = arr.length;
    // Each element needs at least 2 chars ("0,"): refuse huge (or sparse) arrays before
    // listing their keys.
    if (2 * n > maxChars - size) {
      failure = { kind: "output_too_large", message: `result is larger than ${maxChars} chars` };
      return false;
    }
    const keys = Reflect.ownKeys(arr);
    if (keys.length !== n + 1) {
      for (let i = 0; i < n; i++) {
        if (!Object.prototype.hasOwnProperty.call(arr, i)) {
          trail.push(i);
          return invalid("a hole");
        }
      }
      return invalid("an array with extra properties");
    }
    if (!emit("[")) return false;
    for (let i = 0; i < n; i++) {
      const d = Reflect.getOwnPropertyDescriptor(arr, String(i));
      trail.push(i);
      if (d === undefined) return invalid("a hole");
      if (!("value" in d)) return invalid("an accessor property");
      if (i > 0 && !emit(",")) return false;
      if (!walk(d.value, depth + 1)) return false;
      trail.pop();
    }
    return emit("]");
  };

  const walkObject = (obj: object, depth: number): boolean => {
    const keys = Reflect.ownKeys(obj);
    if (!emit("{")) return false;
    let first = true;
    for (const key of keys) {
      if (typeof key === "symbol") return invalid("an object with a symbol key");
      const d = Reflect.getOwnPropertyDescriptor(obj, key);
      trail.push(key);
      if (d === undefined) return invalid("a vanished property");
      if (!("value" in d)) return invalid("an accessor property");
      if (!d.enumerable) return invalid("a non-enumerable property");
      if (!first && !emit(",")) return false;
      first = false;
      if (!emit(JSON.stringify(key) + ":")) return false;
      if (!walk(d.value, depth + 1)) return false;
      trail.pop();
    }
    return emit("}");
  };

  if (walk(value, 1)) return { ok: true, text: out.join("") };
  return failure === undefined
    ? { ok: false, kind: "invalid_value", message: "unknown failure" }
    : { ok: false, ...failure };
}

/** Default limits for in-process checks (same as the sandbox's defaults). */
export const DEFAULT_JSON_LIMITS: JsonDomainLimits = {
  maxDepth: 64,
  maxChars: 65_536,
  isProxy: (v) => types.isProxy(v),
};

/** The outcome of {@link checkJsonValue}. */
export type JsonCheck =
  | { ok: true; value: JsonValue }
  | { ok: false; kind: "invalid_value" | "output_too_large"; message: string };

/**
 * In-process domain check (for the language module and the reference interpreter):
 * the value as the sandbox would return it when it is a plain JSON value (the value
 * itself, or a copy with `0` in place of each `-0`), else why not, worded exactly as the
 * sandbox words it.
 *
 * @example
 * ```ts
 * checkJsonValue({ a: [1, 2] }); // { ok: true, value: { a: [1, 2] } }
 * checkJsonValue([-0]); // { ok: true, value: [0] }
 * checkJsonValue([undefined]).ok; // false
 * ```
 */
export function checkJsonValue(value: unknown, limits: Partial<JsonDomainLimits> = {}): JsonCheck {
  const r = encodeJsonValue(value, { ...DEFAULT_JSON_LIMITS, ...limits });
  if (!r.ok) return r;
  return { ok: true, value: hasNegativeZero(value) ? JSON.parse(r.text) : value as JsonValue };
}

/** Does a value already checked to be JSON hold a `-0` anywhere? */
function hasNegativeZero(v: unknown): boolean {
  if (typeof v === "number") return Object.is(v, -0);
  if (v === null || typeof v !== "object") return false;
  return Object.values(v).some(hasNegativeZero);
}

/** True when `value` is in the JSON value domain (default limits). */
export function isJsonValue(value: unknown): value is JsonValue {
  return encodeJsonValue(value, DEFAULT_JSON_LIMITS).ok;
}
