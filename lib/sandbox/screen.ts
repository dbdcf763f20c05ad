/**
 * The static screen: parse with acorn and reject programs that name a banned capability.
 *
 * This is a fast early reject (as the paper's banned-module list), not the security
 * boundary: the realm wall inside the child stops whatever slips past it.
 * @module
 */
import { parse } from "acorn";

/**
 * Global names a program may not mention as a variable: module loading, code
 * evaluation, host objects, clocks and randomness, shared memory, threads. `Date`,
 * `setTimeout` and `setInterval` are allowed: the realm makes them harmless (a Date that
 * cannot read the clock, timers that never fire), and clock reads through `Date` are
 * refused here too (see {@link screenProgram}).
 */
export const BANNED_NAMES: ReadonlySet<string> = new Set([
  "require",
  "eval",
  "Function",
  "Deno",
  "process",
  "globalThis",
  "window",
  "self",
  "global",
  "performance",
  "crypto",
  "setImmediate",
  "queueMicrotask",
  "requestAnimationFrame",
  "WebAssembly",
  "SharedArrayBuffer",
  "Atomics",
  "Worker",
  "fetch",
  "XMLHttpRequest",
  "WebSocket",
  "Compartment",
  "lockdown",
  "harden",
  "FinalizationRegistry",
  "WeakRef",
]);

/** Member accesses that are banned whatever the object is called (`Math.random`). */
const BANNED_MEMBERS: ReadonlySet<string> = new Set(["Math.random", "Date.now"]);

/** The screen's verdict. */
export type ScreenResult =
  | { ok: true }
  | { ok: false; kind: "syntax" | "banned"; message: string };

interface AstNode {
  type: string;
  [key: string]: unknown;
}

const isNode = (v: unknown): v is AstNode =>
  typeof v === "object" && v !== null && typeof (v as { type?: unknown }).type === "string";

/**
 * Screen one program: `syntax` when acorn cannot parse it as a script, `banned` with the
 * name when it uses `import`, `import.meta`, a banned global or member, or reads the clock
 * through `Date` (`Date.now`, `new Date()` with no arguments, `Date(…)` without `new`).
 * Clock reads it cannot see (`const D = Date; new D()`) throw inside the realm.
 *
 * @example
 * ```ts
 * screenProgram("function f() { return Date.now(); }");
 * // { ok: false, kind: "banned", message: "banned name: Date.now" }
 * screenProgram("function f() { return new Date(0).getUTCFullYear(); }"); // { ok: true }
 * ```
 */
export function screenProgram(program: string): ScreenResult {
  let ast: AstNode;
  try {
    ast = parse(program, { ecmaVersion: "latest", sourceType: "script" }) as unknown as AstNode;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return { ok: false, kind: "syntax", message: `SyntaxError: ${msg}` };
  }
  const banned = findBanned(ast);
  return banned === undefined
    ? { ok: true }
    : { ok: false, kind: "banned", message: `banned name: ${banned}` };
}

/** Depth-first search for the first banned construct; returns its name. */
function findBanned(root: AstNode): string | undefined {
  const stack: { node: AstNode; parent: AstNode | undefined; key: string }[] = [
    { node: root, parent: undefined, key: "" },
  ];
  while (stack.length > 0) {
    const { node, parent, key } = stack.pop()!;
    switch (node.type) {
      case "ImportExpression":
      case "ImportDeclaration":
        return "import";
      case "MetaProperty":
        return `${(node.meta as AstNode).name}.${(node.property as AstNode).name}`;
      case "Identifier": {
        const name = node.name as string;
        if (BANNED_NAMES.has(name) && isReference(parent, key)) return name;
        break;
      }
      // `new Date()` and `Date()` read the clock; `new Date(0)` does not.
      case "NewExpression":
        if (isDate(node.callee) && (node.arguments as unknown[]).length === 0) {
          return "new Date()";
        }
        break;
      case "CallExpression":
        if (isDate(node.callee)) return "Date()";
        break;
      case "MemberExpression": {
        const obj = node.object as AstNode;
        const prop = node.property as AstNode;
        const propName = node.computed
          ? (prop.type === "Literal" ? String(prop.value) : undefined)
          : (prop.name as string);
        if (obj.type === "Identifier" && propName !== undefined) {
          const dotted = `${obj.name}.${propName}`;
          if (BANNED_MEMBERS.has(dotted)) return dotted;
        }
        break;
      }
    }
    for (const [k, child] of Object.entries(node)) {
      if (Array.isArray(child)) {
        for (const c of child) if (isNode(c)) stack.push({ node: c, parent: node, key: k });
      } else if (isNode(child)) {
        stack.push({ node: child, parent: node, key: k });
      }
    }
  }
  return undefined;
}

const isDate = (v: unknown): boolean => isNode(v) && v.type === "Identifier" && v.name === "Date";

/** False for identifiers that only name a property (`o.Date`, `{ Date: 1 }`), not a variable. */
function isReference(parent: AstNode | undefined, key: string): boolean {
  if (parent === undefined) return true;
  if (parent.type === "MemberExpression" && key === "property" && !parent.computed) return false;
  if (
    (parent.type === "Property" || parent.type === "MethodDefinition" ||
      parent.type === "PropertyDefinition") && key === "key" && !parent.computed
  ) {
    // `{ Date }` shorthand still reads the variable.
    return parent.shorthand === true;
  }
  return true;
}
