import assert from "node:assert/strict";
import { appendMetrics, readMetrics } from "../../lib/trainer/metrics.ts";

Deno.test("metrics: JSONL round trip, NaN written as null, step filter, torn last line", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/metrics.jsonl`;
  try {
    await appendMetrics(path, { step: 0, "reward/solve/deduction": 0.5 });
    await appendMetrics(path, { step: 1, "reward/solve/deduction": NaN, note: "x" });
    const all = await readMetrics(path);
    assert.deepEqual(all, [
      { step: 0, "reward/solve/deduction": 0.5 },
      { step: 1, "reward/solve/deduction": null, note: "x" },
    ]);
    assert.equal((await readMetrics(path, 0)).length, 1);
    // a run killed mid-write leaves a partial last line: ignored
    await Deno.writeTextFile(path, '{"step": 2, "a"', { append: true });
    assert.equal((await readMetrics(path)).length, 2);
    // a corrupt line in the middle is an error naming the line
    await Deno.writeTextFile(path, '{"step": 0}\n{oops\n{"step": 1}\n{"step": 2}\n');
    await assert.rejects(readMetrics(path), /metrics\.jsonl:2/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
