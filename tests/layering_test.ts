/**
 * The modules under lib/ form layers: a module imports only from its own layer or the ones
 * below it, and no chain of imports comes back to where it started. Read from every `import` and
 * `export … from` of lib/ (type-only ones too: a type cycle still ties two modules together).
 */
import assert from "node:assert/strict";
import { dirname, join, relative } from "node:path";

const LIB = new URL("../lib/", import.meta.url).pathname;

/**
 * Bottom to top; an entry ending in `/` is a folder, else a file (matched from lib/). A file
 * entry wins over its folder's (model/constraint.ts is the interface lang/ implements, below the
 * model that reads the config).
 */
export const LAYERS: readonly (readonly string[])[] = [
  // leaves: no import from lib/
  ["rng.ts", "jsonl.ts", "errors.ts", "task_types.ts", "stats.ts", "cli.ts", "model/constraint.ts"],
  ["lang/", "sandbox/", "reward/", "plot/"],
  ["config.ts"],
  ["model/"],
  ["tasks/"],
  ["eval/"],
  ["trainer/"],
  ["ablate/"],
  // the notebook API, and entry points that read from every layer (eval's CLI builds the
  // generator's bank through trainer/bank_cache.ts)
  ["mod.ts", "eval/main.ts", "eval/paired_main.ts"],
];

/** The layer of a module (its path from lib/): a file entry first, then the longest folder. */
export function layerOf(path: string): number {
  const file = LAYERS.findIndex((l) => l.includes(path));
  if (file >= 0) return file;
  let best = -1;
  let len = -1;
  LAYERS.forEach((l, i) => {
    for (const e of l) {
      if (e.endsWith("/") && path.startsWith(e) && e.length > len) [best, len] = [i, e.length];
    }
  });
  if (best < 0) throw new Error(`lib/${path} is in no layer: add it to LAYERS`);
  return best;
}

/** Relative module specifiers of `import … from`, `export … from` and `import "…"`. */
export function importsOf(source: string): string[] {
  // At a line's start: a doc comment's example (` * import …`) or a `//` line is no import.
  const re = /^\s*(?:import|export)\b[^;'"]*?(?:\bfrom\s*)?["'](\.{1,2}\/[^"']+)["']/gm;
  return [...source.matchAll(re)].map((m) => m[1]!);
}

/** lib/'s import graph: module → the lib/ modules it imports (paths from lib/). */
async function libGraph(): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>();
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(dir)) {
      const path = join(dir, e.name);
      if (e.isDirectory) await walk(path);
      else if (e.name.endsWith(".ts")) {
        const from = relative(LIB, path);
        const to = importsOf(await Deno.readTextFile(path))
          .map((s) => relative(LIB, join(dirname(path), s)))
          .filter((p) => !p.startsWith(".."));
        graph.set(from, to);
      }
    }
  };
  await walk(LIB);
  return graph;
}

/** Every import cycle, each as the path that closes it (a → b → … → a). */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (m: string) => {
    state.set(m, "open");
    stack.push(m);
    for (const n of graph.get(m) ?? []) {
      if (state.get(n) === "open") found.push([...stack.slice(stack.indexOf(n)), n]);
      else if (!state.has(n)) visit(n);
    }
    stack.pop();
    state.set(m, "done");
  };
  for (const m of [...graph.keys()].sort()) if (!state.has(m)) visit(m);
  return found;
}

Deno.test("layering: the import reader sees every form of import, and no comment", () => {
  const src = [
    `import { a } from "./a.ts";`,
    `import type { B } from "../b/b.ts";`,
    `import {\n  c,\n  type D,\n} from "./c.ts";`,
    `export { e } from "./e.ts";`,
    `export * from "./f.ts";`,
    `import "./g.ts"; // side effect`,
    `import { z } from "zod";`,
    ` * import { x } from "./in_a_doc_example.ts";`,
    `// import { y } from "./commented.ts";`,
  ].join("\n");
  assert.deepEqual(importsOf(src), [
    "./a.ts",
    "../b/b.ts",
    "./c.ts",
    "./e.ts",
    "./f.ts",
    "./g.ts",
  ]);
  assert.deepEqual(cycles(new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]]])), [
    ["a", "b", "c", "a"],
  ]);
  assert.equal(layerOf("model/constraint.ts"), 0);
  assert.equal(layerOf("model/policy.ts"), 3);
});

Deno.test("layering: no import cycle under lib/", async () => {
  const found = cycles(await libGraph());
  assert.deepEqual(found.map((c) => c.join(" → ")), []);
});

Deno.test("layering: no import goes up a layer (LAYERS, bottom to top)", async () => {
  const upward: string[] = [];
  for (const [from, tos] of await libGraph()) {
    for (const to of tos) {
      if (layerOf(to) > layerOf(from)) upward.push(`lib/${from} imports lib/${to}`);
    }
  }
  assert.deepEqual(upward, []);
});
