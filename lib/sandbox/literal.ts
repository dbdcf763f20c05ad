/**
 * Safe parsing of JavaScript literal expressions (`[1, "a", {b: -2}]`) into values,
 * without evaluating anything: used to read external benchmarks whose inputs and outputs
 * are written as JS expressions (CRUXEval-X).
 * @module
 */
import { parseExpressionAt } from "acorn";

/** Parsed value (may hold `undefined`, `NaN`, `Infinity`: check the domain after), or why not. */
export type JsLiteralResult = { ok: true; value: unknown } | { ok: false; message: string };

interface Node {
  type: string;
  [key: string]: unknown;
}

class NotLiteral extends Error {}

/**
 * Parse one literal expression: arrays, objects with identifier/string/number keys,
 * strings, numbers (with unary `-`/`+`), booleans, `null`, `undefined`, `NaN`,
 * `Infinity` and template strings without substitutions.
 *
 * @example
 * ```ts
 * parseJsLiteral('{5: 1, "abc": [-2, null]}'); // { ok: true, value: { "5": 1, abc: [-2, null] } }
 * ```
 */
export function parseJsLiteral(src: string): JsLiteralResult {
  try {
    const node = parseExpressionAt(src, 0, { ecmaVersion: "latest" }) as unknown as Node & {
      end: number;
    };
    if (src.slice(node.end).trim() !== "") {
      return { ok: false, message: `unexpected text after the literal at ${node.end}` };
    }
    return { ok: true, value: toValue(node) };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

/** Parse a comma-separated argument list (`"[1, 2], 'a'"`) into an array of values. */
export function parseJsArgs(src: string): JsLiteralResult {
  return src.trim() === "" ? { ok: true, value: [] } : parseJsLiteral(`[${src}]`);
}

function toValue(n: Node): unknown {
  switch (n.type) {
    case "Literal": {
      const v = n.value;
      if (n.regex !== undefined || n.bigint !== undefined) throw new NotLiteral("regex/bigint");
      return v;
    }
    case "TemplateLiteral": {
      if ((n.expressions as Node[]).length > 0) throw new NotLiteral("template substitution");
      return ((n.quasis as Node[])[0]?.value as { cooked: string }).cooked;
    }
    case "Identifier":
      if (n.name === "undefined") return undefined;
      if (n.name === "NaN") return NaN;
      if (n.name === "Infinity") return Infinity;
      throw new NotLiteral(`identifier ${n.name}`);
    case "UnaryExpression": {
      const v = toValue(n.argument as Node);
      if (typeof v !== "number") throw new NotLiteral(`unary ${n.operator} on a non-number`);
      if (n.operator === "-") return -v;
      if (n.operator === "+") return v;
      throw new NotLiteral(`operator ${n.operator}`);
    }
    case "ArrayExpression":
      return (n.elements as (Node | null)[]).map((e) => {
        if (e === null || e.type === "SpreadElement") throw new NotLiteral("hole or spread");
        return toValue(e);
      });
    case "ObjectExpression": {
      const out: Record<string, unknown> = {};
      for (const p of n.properties as Node[]) {
        if (p.type !== "Property" || p.kind !== "init" || p.method || p.computed) {
          throw new NotLiteral("only plain `key: value` properties");
        }
        const k = p.key as Node;
        const key = k.type === "Identifier" ? k.name as string : String(k.value);
        Object.defineProperty(out, key, {
          value: toValue(p.value as Node),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    default:
      throw new NotLiteral(`${n.type} is not a literal`);
  }
}
