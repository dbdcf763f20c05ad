/**
 * Writes the held-out eval suites from the hand-written table in `source.ts`:
 * runs every program on its inputs (plain JS in this process; the programs are our own) to fill in
 * the outputs, checks values against the language's bounds and the signature, and writes
 * `deduction.jsonl`, `abduction.jsonl`, `induction.jsonl` next to this file.
 *
 *   deno run -A data/eval/build.ts           # rewrite the files
 *   deno run -A data/eval/build.ts --check   # fail if the files differ from what would be written
 * @module
 */
import { DEFAULT_SUITE_BOUNDS, parseSuite, parseSuiteSignature } from "../../lib/eval/suite.ts";
import { SOURCE_SUITES, type SourceTask, type SourceValue } from "./source.ts";

const { intMin, intMax, maxListLen } = DEFAULT_SUITE_BOUNDS;

/** Why `v` is not a value of type `type` within bounds, or undefined. */
function valueProblem(v: unknown, type: string): string | undefined {
  if (Object.is(v, -0) || (Array.isArray(v) && v.some((x) => Object.is(x, -0)))) {
    return "contains -0, which is not a JSON value (the sandbox rejects it); change the input";
  }
  const intOk = (x: unknown) =>
    Number.isInteger(x) && (x as number) >= intMin && (x as number) <= intMax;
  if (type === "int") {
    return intOk(v) ? undefined : `${JSON.stringify(v) ?? String(v)} is not an int in bounds`;
  }
  if (type === "bool") return typeof v === "boolean" ? undefined : `${String(v)} is not a boolean`;
  if (!Array.isArray(v)) return `${String(v)} is not a list`;
  if (v.length > maxListLen) return `list of ${v.length} > ${maxListLen} elements`;
  return v.every(intOk) ? undefined : `${JSON.stringify(v)} has an element out of bounds`;
}

function buildLine(t: SourceTask): string {
  const sig = parseSuiteSignature(t.signature);
  if (!sig) throw new Error(`${t.id}: bad signature ${t.signature}`);
  const f = new Function(`${t.program}\nreturn f;`)() as (...args: SourceValue[]) => unknown;
  const examples = t.inputs.map((input, k) => {
    input.forEach((v, j) => {
      const p = valueProblem(v, sig.args[j] ?? "?");
      if (p) throw new Error(`${t.id}: input ${k} argument ${j}: ${p}`);
    });
    const output = f(...structuredClone(input));
    const again = f(...structuredClone(input));
    if (JSON.stringify(output) !== JSON.stringify(again)) {
      throw new Error(`${t.id}: input ${k}: not deterministic`);
    }
    const p = valueProblem(output, sig.ret);
    if (p) throw new Error(`${t.id}: input ${k}: output ${p}`);
    return { input, output: output as SourceValue };
  });
  if (t.task === "induction") {
    const outs = new Set(examples.map((e) => JSON.stringify(e.output)));
    if (outs.size < 2) {
      throw new Error(`${t.id}: every example has the same output; vary the inputs`);
    }
  }
  const line: Record<string, unknown> = { id: t.id, task: t.task, program: t.program, examples };
  line.shown = t.shown ?? examples.length;
  line.signature = t.signature;
  return JSON.stringify(line);
}

/** The JSONL text of every suite, by file name. */
export function buildSuites(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, tasks] of Object.entries(SOURCE_SUITES)) {
    const text = tasks.map(buildLine).join("\n") + "\n";
    parseSuite(text, `${name}.jsonl`); // the loader must accept what we write
    out[`${name}.jsonl`] = text;
  }
  return out;
}

if (import.meta.main) {
  const check = Deno.args.includes("--check");
  const dir = new URL(".", import.meta.url);
  let stale = 0;
  for (const [file, text] of Object.entries(buildSuites())) {
    const url = new URL(file, dir);
    if (check) {
      let old = "";
      try {
        old = Deno.readTextFileSync(url);
      } catch { /* missing counts as stale */ }
      if (old !== text) {
        console.error(`${file} is stale: run deno run -A data/eval/build.ts`);
        stale++;
      }
    } else {
      Deno.writeTextFileSync(url, text);
      console.log(`wrote data/eval/${file} (${text.trim().split("\n").length} tasks)`);
    }
  }
  if (stale > 0) Deno.exit(1);
}
