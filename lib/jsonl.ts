/**
 * JSON Lines, read one way everywhere (metrics, proposals, task buffers, resume's truncation):
 * blank lines are skipped, and so is a *torn last line* — a final line with no newline after
 * it that is not JSON, which is what a run killed mid-append leaves. Any other line that is
 * not JSON or does not match the schema is a {@linkcode JsonlError} naming `path:line`.
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * import { readJsonl } from "./jsonl.ts";
 * const path = await Deno.makeTempFile({ suffix: ".jsonl" });
 * await Deno.writeTextFile(path, '{"step":0}\n{"step":1}\n{"st');
 * const rows = await readJsonl(path, z.object({ step: z.number() }));
 * console.assert(rows.length === 2); // the torn last line is not a record
 * ```
 * @module
 */
import { z } from "zod";
import { InputError } from "./errors.ts";

/** A JSONL file with a corrupt line; the message names `path:line` and what is wrong. */
export class JsonlError extends InputError {
  override name = "JsonlError";
}

/** One record of a JSONL file with its 1-based line number and its text. */
export interface JsonlLine<T> {
  line: number;
  text: string;
  value: T;
}

/**
 * The records of a JSONL file with their line numbers and text, each checked against `schema`
 * (see the module doc for what is skipped and what is an error).
 */
export async function readJsonlLines<S extends z.ZodType>(
  path: string,
  schema: S,
): Promise<JsonlLine<z.output<S>>[]> {
  const text = await Deno.readTextFile(path);
  const lines = text.split("\n");
  const out: JsonlLine<z.output<S>>[] = [];
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === "") continue;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch (e) {
      // Only the very last line lacks its newline; a killed append leaves exactly that.
      if (i === lines.length - 1) break;
      throw new JsonlError(`Cannot read ${path}:${i + 1}: not JSON (${(e as Error).message})`);
    }
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new JsonlError(
        `Cannot read ${path}:${i + 1}: '${issue.path.join(".") || "(record)"}' ${issue.message}`,
      );
    }
    out.push({ line: i + 1, text: line, value: parsed.data });
  }
  return out;
}

/** The records of a JSONL file, each checked against `schema` (see the module doc). */
export async function readJsonl<S extends z.ZodType>(
  path: string,
  schema: S,
): Promise<z.output<S>[]> {
  return (await readJsonlLines(path, schema)).map((l) => l.value);
}

/** Appends rows to a JSONL file (creating it), one line each, in one write. */
export async function appendJsonl(path: string, rows: readonly unknown[]): Promise<void> {
  if (rows.length === 0) return;
  const text = rows.map((r) => JSON.stringify(r)).join("\n") + "\n";
  await Deno.writeTextFile(path, text, { append: true, create: true });
}
