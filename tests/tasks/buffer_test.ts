import assert from "node:assert/strict";
import { Rng } from "../../lib/rng.ts";
import { appendBufferFile, readBufferFile, TaskBuffer } from "../../lib/tasks/buffer.ts";
import type { Triplet } from "../../lib/tasks/records.ts";

const triplet = (step: number, x: number): Triplet => ({
  task: "deduction",
  program: "function f(x) { return x; }",
  tokens: [1, 2],
  signature: "(int) -> int",
  input: [x],
  output: x,
  step,
});

Deno.test("buffer: references are distinct entries, at most K", () => {
  const buf = new TaskBuffer("deduction", [0, 1, 2, 3, 4].map((x) => triplet(-1, x)));
  const refs = buf.references(new Rng(1), 3);
  assert.equal(refs.length, 3);
  assert.equal(new Set(refs.map((r) => r.input[0])).size, 3);
  assert.equal(buf.references(new Rng(1), 10).length, 5); // fewer when the buffer is smaller
  assert.equal(buf.references(new Rng(1), 0).length, 0); // K = 0 ablation
});

Deno.test("buffer: solver batch takes this step's entries first, then older ones without repeats", () => {
  const buf = new TaskBuffer("deduction", [0, 1, 2, 3, 4, 5].map((x) => triplet(-1, x)));
  buf.add([triplet(7, 100), triplet(7, 101)]);
  const batch = buf.solverBatch(new Rng(3), 5, 7);
  assert.equal(batch.length, 5);
  assert.deepEqual(new Set(batch.slice(0, 2).map((t) => t.input[0])), new Set([100, 101]));
  assert.equal(new Set(batch.map((t) => t.input[0])).size, 5);
  // a buffer smaller than the batch repeats entries rather than returning fewer
  const small = new TaskBuffer("deduction", [triplet(-1, 9)]);
  assert.deepEqual(small.solverBatch(new Rng(0), 3, 0).map((t) => t.input[0]), [9, 9, 9]);
});

Deno.test("buffer: rejects a record of another task type", () => {
  const buf = new TaskBuffer("abduction");
  assert.throws(
    () => buf.add([triplet(0, 1)]),
    /Cannot add a deduction record to the abduction buffer/,
  );
});

Deno.test("buffer file: round trip, step filter, and corrupt lines name file:line", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/deduction.jsonl`;
  try {
    await appendBufferFile(path, [triplet(-1, 1), triplet(0, 2)]);
    await appendBufferFile(path, [triplet(1, 3)]);
    assert.deepEqual((await readBufferFile(path, "deduction")).map((t) => t.step), [-1, 0, 1]);
    assert.deepEqual((await readBufferFile(path, "deduction", 0)).map((t) => t.step), [-1, 0]);
    // a run killed mid-append leaves a torn last line (no newline): skipped, as everywhere
    await Deno.writeTextFile(path, '{"task":"deduction"', { append: true });
    assert.equal((await readBufferFile(path, "deduction")).length, 3);
    // once a newline follows, the line was written whole: corrupt, named by file:line
    await Deno.writeTextFile(path, "\n", { append: true });
    await assert.rejects(readBufferFile(path, "deduction"), /deduction\.jsonl:4: not JSON/);
    await Deno.writeTextFile(path, JSON.stringify({ ...triplet(0, 1), step: "x" }) + "\n");
    await assert.rejects(readBufferFile(path, "deduction"), /deduction\.jsonl:1: 'step'/);
    await Deno.writeTextFile(path, JSON.stringify(triplet(0, 1)) + "\n");
    await assert.rejects(
      readBufferFile(path, "abduction"),
      /a deduction record in the abduction buffer/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
