/**
 * Formats the arguments of one `console.log` call (or `info`, `warn`, `error`, `debug`)
 * inside the sandbox, without running any code the program owns.
 *
 * The child runs this function on a program's arguments while the program runs, so it is
 * shipped into the child with `Function#toString` (like `encodeJsonValue`) and must stay
 * self-contained: no imports, no outer helpers.
 * @module
 */

/** One formatted console line; `complete` is false when it was cut at `maxChars`. */
export interface ConsoleLine {
  text: string;
  complete: boolean;
}

/**
 * Format `args` as one line (without the newline), at most `maxChars` UTF-16 code units,
 * never reading a property through a getter or a proxy, never calling `toString`, `toJSON`
 * or `Symbol.toStringTag`:
 *
 * - a string argument as is; a string inside an array or object JSON-quoted;
 * - numbers, booleans, `null`, `undefined` as JS writes them (`-0`, `NaN`), BigInts as `10n`,
 *   symbols as `Symbol(desc)`;
 * - arrays as `[1,"a",<empty>]`, plain objects as `{"k":1}` (own enumerable string keys;
 *   an accessor shows as `[Getter]`, `[Setter]` or `[Getter/Setter]`, never called);
 * - errors as `Name: message`, dates as ISO text (or `Invalid Date`), functions as
 *   `[Function f]`, proxies as `[Proxy]`, other objects as `[object Name]` (the
 *   constructor's name, read from data properties only);
 * - a cycle as `[Circular]`, nesting deeper than 4 as `[…]`; arguments joined by a space.
 *
 * @example
 * ```ts
 * formatConsoleArgs(["n =", 3, [1, "a"], { k: null }], 100, () => false);
 * // { text: 'n = 3 [1,"a"] {"k":null}', complete: true }
 * ```
 */
export function formatConsoleArgs(
  args: readonly unknown[],
  maxChars: number,
  isProxy: (v: object) => boolean,
): ConsoleLine {
  const MAX_NESTING = 4;
  const parts: string[] = [];
  const ancestors = new Set<object>();
  let size = 0;
  let full = false;

  const emit = (s: string): boolean => {
    if (full) return false;
    if (size + s.length > maxChars) {
      let cut = s.slice(0, maxChars - size);
      // Never end on the first half of a surrogate pair.
      const last = cut.charCodeAt(cut.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
      parts.push(cut);
      size = maxChars;
      full = true;
      return false;
    }
    parts.push(s);
    size += s.length;
    return true;
  };

  // A property's value when it is a data property somewhere on the prototype chain; stops
  // at accessors and proxies (which would run the program's code). SES's override taming
  // turns some intrinsic data properties (`TypeError.prototype.name`, `constructor`) into
  // accessors whose getter carries the value as an `originalValue` data property: read
  // that instead of calling the getter.
  const dataProp = (obj: object, key: string): unknown => {
    let o: object | null = obj;
    for (let hops = 0; o !== null && hops < 32; hops++) {
      if (isProxy(o)) return undefined;
      const d = Reflect.getOwnPropertyDescriptor(o, key);
      if (d !== undefined) {
        if ("value" in d) return d.value;
        if (typeof d.get !== "function" || isProxy(d.get)) return undefined;
        const original = Reflect.getOwnPropertyDescriptor(d.get, "originalValue");
        return original !== undefined && "value" in original ? original.value : undefined;
      }
      o = Reflect.getPrototypeOf(o);
    }
    return undefined;
  };

  const primitive = (v: unknown, quoted: boolean): string => {
    switch (typeof v) {
      case "string":
        return quoted ? JSON.stringify(v) : v;
      case "number":
        return Object.is(v, -0) ? "-0" : String(v);
      case "bigint":
        return String(v) + "n";
      case "symbol":
        return String(v);
      default:
        return String(v); // boolean, undefined (null is handled by the caller)
    }
  };

  const show = (v: unknown, depth: number, quoted: boolean): boolean => {
    if (v === null) return emit("null");
    if (typeof v === "function") {
      if (isProxy(v)) return emit("[Proxy]");
      const d = Reflect.getOwnPropertyDescriptor(v, "name");
      const name = d !== undefined && "value" in d && typeof d.value === "string" ? d.value : "";
      return emit(`[Function ${name === "" ? "(anonymous)" : name}]`);
    }
    if (typeof v !== "object") return emit(primitive(v, quoted));
    if (isProxy(v)) return emit("[Proxy]");
    if (ancestors.has(v)) return emit("[Circular]");
    const proto = Reflect.getPrototypeOf(v);
    const isArray = Array.isArray(v);
    const plain = !isArray && (proto === Object.prototype || proto === null);
    if ((isArray || plain) && depth >= MAX_NESTING) return emit("[…]");
    ancestors.add(v);
    const ok = isArray ? showArray(v, depth) : plain ? showObject(v, depth) : emit(tag(v));
    ancestors.delete(v);
    return ok;
  };

  const showArray = (arr: unknown[], depth: number): boolean => {
    if (!emit("[")) return false;
    for (let i = 0; i < arr.length; i++) {
      if (i > 0 && !emit(",")) return false;
      const d = Reflect.getOwnPropertyDescriptor(arr, i);
      if (!(d === undefined ? emit("<empty>") : showProperty(d, depth))) return false;
    }
    return emit("]");
  };

  const showObject = (obj: object, depth: number): boolean => {
    if (!emit("{")) return false;
    let first = true;
    for (const key of Reflect.ownKeys(obj)) {
      if (typeof key === "symbol") continue;
      const d = Reflect.getOwnPropertyDescriptor(obj, key);
      if (d === undefined || !d.enumerable) continue;
      if (!first && !emit(",")) return false;
      first = false;
      if (!emit(JSON.stringify(key) + ":") || !showProperty(d, depth)) return false;
    }
    return emit("}");
  };

  const showProperty = (d: PropertyDescriptor, depth: number): boolean => {
    if ("value" in d) return show(d.value, depth + 1, true);
    const kind = d.get !== undefined && d.set !== undefined
      ? "Getter/Setter"
      : d.get !== undefined
      ? "Getter"
      : "Setter";
    return emit(`[${kind}]`);
  };

  // Errors, dates and everything else that is not an array or a plain object.
  const tag = (obj: object): string => {
    try {
      return Reflect.apply(Date.prototype.toISOString, obj, []) as string;
    } catch (e) {
      // A RangeError here means a real Date holding NaN; a TypeError, not a Date at all.
      if (e instanceof RangeError) return "Invalid Date";
    }
    const name = dataProp(obj, "name");
    const message = dataProp(obj, "message");
    if (typeof name === "string" && typeof message === "string") {
      return message === "" ? name : `${name}: ${message}`;
    }
    const ctor = dataProp(obj, "constructor");
    let ctorName = "Object";
    if (typeof ctor === "function" && !isProxy(ctor)) {
      const d = Reflect.getOwnPropertyDescriptor(ctor, "name");
      if (d !== undefined && "value" in d && typeof d.value === "string") ctorName = d.value;
    }
    return `[object ${ctorName}]`;
  };

  for (let i = 0; i < args.length; i++) {
    if (i > 0 && !emit(" ")) break;
    if (!show(args[i], 0, false)) break;
  }
  return { text: parts.join(""), complete: !full };
}
