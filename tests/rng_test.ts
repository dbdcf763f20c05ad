import assert from "node:assert/strict";
import { Rng } from "../lib/rng.ts";

Deno.test("Rng: state round-trips exactly, at any point of the stream", () => {
  const rng = new Rng(7);
  for (let i = 0; i < 1000; i++) {
    const copy = Rng.fromState(rng.state());
    assert.equal(copy.nextU32(), rng.nextU32(), `diverged after ${i} draws`);
  }
});

Deno.test("Rng: same seed same stream, other seed other stream, values in range", () => {
  const a = new Rng(1);
  const b = new Rng(1);
  const c = new Rng(2);
  const xs = Array.from({ length: 100 }, () => a.next());
  assert.deepEqual(xs, Array.from({ length: 100 }, () => b.next()));
  assert.notDeepEqual(xs, Array.from({ length: 100 }, () => c.next()));
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  // int(n) is roughly uniform: each of 3 values within 10% of 1000 in 3000 draws
  const counts = [0, 0, 0];
  const r = new Rng(9);
  for (let i = 0; i < 3000; i++) counts[r.int(3)]!++;
  assert.ok(counts.every((n) => Math.abs(n - 1000) < 100), String(counts));
  const sample = new Rng(3).sample([1, 2, 3, 4, 5], 3);
  assert.equal(new Set(sample).size, 3);
  assert.throws(() => Rng.fromState([1, 2, 3]), /four uint32 words/);
  assert.throws(() => Rng.fromState([1, 2, 3, -1]), /four uint32 words/);
});
