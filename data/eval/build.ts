/**
 * Writes the held-out eval suites of a world from its hand-written table (`source_small.ts` for
 * the small world, `source.ts` for the wide one): runs every program on its inputs (plain JS in
 * this process; the programs are our own) to fill in the outputs, checks every input and output
 * against the world's bounds and the signature, checks that the small world's programs parse in
 * the language with the world's literals, and writes `deduction.jsonl`, `abduction.jsonl` and
 * `induction.jsonl` into `data/eval/<world>/`.
 *
 *   deno run -A data/eval/build.ts                       # rewrite both worlds' files
 *   deno run -A data/eval/build.ts --world small         # one world
 *   deno run -A data/eval/build.ts --world wide --check  # fail if the files differ from what would be written
 * @module
 */
import { parseArgs } from "node:util";
import { parseSuite, parseSuiteSignature, suiteBoundsOf } from "../../lib/eval/suite.ts";
import { parseProgram } from "../../lib/lang/parse.ts";
import { signatureByName, type World, type WorldName, WORLDS } from "../../lib/lang/types.ts";
import { tokenInt } from "../../lib/lang/vocab.ts";
import { SOURCE_SUITES, type SourceTask, type SourceValue } from "./source.ts";
import { SMALL_SOURCE_SUITES } from "./source_small.ts";

/** The hand-written tasks of each world, by suite file name. */
export const WORLD_SOURCES: Record<WorldName, Record<string, SourceTask[]>> = {
  small: SMALL_SOURCE_SUITES,
  wide: SOURCE_SUITES,
};

/**
 * Worlds whose every program must be inside the language (the wide suites keep a few programs
 * outside it on purpose, marked `outside`, so the eval can report "not expressible").
 */
const ALL_INSIDE: Record<WorldName, boolean> = { small: true, wide: false };

/** Why `v` is not a value of type `type` within the world's bounds, or undefined. */
function valueProblem(v: unknown, type: string, w: World): string | undefined {
  if (Object.is(v, -0) || (Array.isArray(v) && v.some((x) => Object.is(x, -0)))) {
    return "contains -0, which is not a JSON value (the sandbox rejects it); change the input";
  }
  const intOk = (x: unknown) =>
    Number.isInteger(x) && (x as number) >= w.intMin && (x as number) <= w.intMax;
  if (type === "int") {
    return intOk(v)
      ? undefined
      : `${JSON.stringify(v) ?? String(v)} is not an int in [${w.intMin}, ${w.intMax}]`;
  }
  if (type === "bool") return typeof v === "boolean" ? undefined : `${String(v)} is not a boolean`;
  if (!Array.isArray(v)) return `${String(v)} is not a list`;
  if (v.length > w.maxListLen) return `list of ${v.length} > ${w.maxListLen} elements`;
  return v.every(intOk)
    ? undefined
    : `${JSON.stringify(v)} has an element outside [${w.intMin}, ${w.intMax}]`;
}

/** Why a program is not in the language with the world's literals, or undefined. */
export function languageProblem(program: string, signature: string, w: World): string | undefined {
  const sig = signatureByName(signature);
  if (!sig) return `signature ${signature} is not one of the language's`;
  const parsed = parseProgram(program, { signature: sig });
  if (!parsed.ok) return `does not parse: ${parsed.message}`;
  // Every int token of a program is a literal (RANGE's clamp is part of its production).
  const bad = parsed.tokens.map(tokenInt).filter((n) =>
    n !== undefined && (n < w.literalMin || n > w.literalMax)
  );
  return bad.length
    ? `literal(s) ${bad.join(", ")} outside the world's [${w.literalMin}, ${w.literalMax}]`
    : undefined;
}

function buildLine(t: SourceTask, world: WorldName): string {
  const w = WORLDS[world];
  const sig = parseSuiteSignature(t.signature);
  if (!sig) throw new Error(`${t.id}: bad signature ${t.signature}`);
  if (ALL_INSIDE[world] || t.outside === undefined) {
    const p = languageProblem(t.program, t.signature, w);
    if (p && ALL_INSIDE[world]) throw new Error(`${t.id}: program ${p}`);
  }
  const f = new Function(`${t.program}\nreturn f;`)() as (...args: SourceValue[]) => unknown;
  const examples = t.inputs.map((input, k) => {
    input.forEach((v, j) => {
      const p = valueProblem(v, sig.args[j] ?? "?", w);
      if (p) throw new Error(`${t.id}: input ${k} argument ${j}: ${p}`);
    });
    const output = f(...structuredClone(input));
    const again = f(...structuredClone(input));
    if (JSON.stringify(output) !== JSON.stringify(again)) {
      throw new Error(`${t.id}: input ${k}: not deterministic`);
    }
    const p = valueProblem(output, sig.ret, w);
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

/** The JSONL text of every suite of a world, by file name (relative to `data/eval/<world>/`). */
export function buildSuites(world: WorldName): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, tasks] of Object.entries(WORLD_SOURCES[world])) {
    const text = tasks.map((t) => buildLine(t, world)).join("\n") + "\n";
    parseSuite(text, `${world}/${name}.jsonl`, suiteBoundsOf(world)); // the loader must accept it
    out[`${name}.jsonl`] = text;
  }
  return out;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { world: { type: "string" }, check: { type: "boolean", default: false } },
  });
  const names = Object.keys(WORLDS) as WorldName[];
  if (values.world !== undefined && !names.includes(values.world as WorldName)) {
    console.error(`Unknown world '${values.world}': use --world ${names.join(" or --world ")}`);
    Deno.exit(2);
  }
  const worlds = values.world ? [values.world as WorldName] : names;
  let stale = 0;
  for (const world of worlds) {
    const dir = new URL(`./${world}/`, import.meta.url);
    for (const [file, text] of Object.entries(buildSuites(world))) {
      const url = new URL(file, dir);
      if (values.check) {
        let old = "";
        try {
          old = Deno.readTextFileSync(url);
        } catch (e) {
          if (!(e instanceof Deno.errors.NotFound)) throw e;
        }
        if (old !== text) {
          console.error(
            `data/eval/${world}/${file} is stale: run deno run -A data/eval/build.ts --world ${world}`,
          );
          stale++;
        }
      } else {
        Deno.mkdirSync(dir, { recursive: true });
        Deno.writeTextFileSync(url, text);
        console.log(`wrote data/eval/${world}/${file} (${text.trim().split("\n").length} tasks)`);
      }
    }
  }
  if (stale > 0) Deno.exit(1);
}
