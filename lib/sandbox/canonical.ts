/**
 * Canonical encoding and comparison of JSON values, used by rewards to compare answers.
 * @module
 */
import type { JsonValue } from "./types.ts";

/**
 * Canonical JSON text of a value: object keys sorted by UTF-16 code units, no spaces.
 * Two values are the same answer exactly when their canonical texts are equal.
 *
 * @example
 * ```ts
 * canonicalValue({ b: 1, a: [true, null] }); // '{"a":[true,null],"b":1}'
 * ```
 */
export function canonicalValue(v: JsonValue): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return "[" + v.map(canonicalValue).join(",") + "]";
  const keys = Object.keys(v).sort();
  return "{" +
    keys.map((k) => JSON.stringify(k) + ":" + canonicalValue(v[k] as JsonValue)).join(",") +
    "}";
}

/**
 * Canonical comparison: same type, same numbers (`===`), same strings, arrays equal
 * element by element, objects with the same key set and equal values (key order ignored).
 *
 * @example
 * ```ts
 * sameValue({ a: 1, b: 2 }, { b: 2, a: 1 }); // true
 * sameValue([1], ["1"]); // false
 * ```
 */
export function sameValue(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      if (!sameValue(a[i] as JsonValue, b[i] as JsonValue)) return false;
    }
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!sameValue(a[k] as JsonValue, b[k] as JsonValue)) return false;
  }
  return true;
}
