/** The parent's check of what a child writes: every frame field, and the console cap. */
import assert from "node:assert/strict";
import { frameSchema, parseFrame } from "../../lib/sandbox/child_process.ts";

const schema = frameSchema(8);

// [label, frame JSON, parsed frame (an object) or the start of what was wrong (a string)]
const CASES: [string, string, object | string][] = [
  ["ready", '{"ready":true}', { ready: true }],
  ["ok reply", '{"ok":true,"text":"[1]","ms":0.5}', { ok: true, text: "[1]", ms: 0.5 }],
  [
    "ok reply with console",
    '{"ok":true,"text":"1","ms":1,"console":{"text":"12345678","truncated":true}}',
    { ok: true, text: "1", ms: 1, console: { text: "12345678", truncated: true } },
  ],
  [
    "error reply with console",
    '{"ok":false,"kind":"error","message":"m","ms":1,"console":{"text":"a\\n","truncated":false}}',
    { ok: false, kind: "error", message: "m", ms: 1, console: { text: "a\n", truncated: false } },
  ],
  [
    "console past the cap",
    '{"ok":true,"text":"1","ms":1,"console":{"text":"123456789","truncated":true}}',
    "console.text",
  ],
  ["extra field", '{"ok":true,"text":"1","ms":1,"value":2}', "frame"],
  ["missing text", '{"ok":true,"ms":1}', "frame"],
  ["negative ms", '{"ok":true,"text":"1","ms":-1}', "ms"],
  ["not JSON", "{ok", "not JSON"],
];

for (const [label, text, want] of CASES) {
  Deno.test(`parseFrame: ${label}`, () => {
    const got = parseFrame(text, schema);
    if (typeof want === "string") {
      assert.equal(typeof got, "string", `${label}: ${JSON.stringify(got)}`);
      assert.ok((got as string).startsWith(want), `${label}: ${got}`);
    } else {
      assert.deepEqual(got, want);
    }
  });
}
