import assert from "node:assert/strict";
import { z } from "zod";
import { readJsonl } from "../lib/jsonl.ts";

const Row = z.object({ step: z.number() });

// One rule for every JSONL file of a run: only an unterminated, unparsable last line is torn.
const cases: { name: string; text: string; steps?: number[]; error?: RegExp }[] = [
  { name: "records, blank lines skipped", text: '{"step":0}\n\n{"step":1}\n', steps: [0, 1] },
  { name: "empty file", text: "", steps: [] },
  { name: "torn last line (no newline) skipped", text: '{"step":0}\n{"st', steps: [0] },
  {
    name: "last line whole but not JSON",
    text: '{"step":0}\n{"st\n',
    error: /t\.jsonl:2: not JSON/,
  },
  {
    name: "corrupt line in the middle",
    text: '{"step":0}\n{oops\n{"step":1}\n',
    error: /:2: not JSON/,
  },
  { name: "schema mismatch names the field", text: '{"step":"x"}\n', error: /:1: 'step'/ },
  {
    name: "schema mismatch on the last line is no tear",
    text: '{"step":"x"}',
    error: /:1: 'step'/,
  },
];

for (const c of cases) {
  Deno.test(`readJsonl: ${c.name}`, async () => {
    const dir = await Deno.makeTempDir();
    const path = `${dir}/t.jsonl`;
    try {
      await Deno.writeTextFile(path, c.text);
      if (c.error) await assert.rejects(readJsonl(path, Row), c.error);
      else assert.deepEqual((await readJsonl(path, Row)).map((r) => r.step), c.steps);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
