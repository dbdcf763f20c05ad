import assert from "node:assert/strict";
import { meanCI } from "../lib/stats.ts";

Deno.test("meanCI: Student-t 95% interval against a hand computation", () => {
  // xs = 0.2, 0.4, 0.6: mean 0.4, sample sd 0.2, se = 0.2/√3 = 0.11547, t(2) = 4.303 → 0.49687
  const r = meanCI([0.2, 0.4, 0.6]);
  assert.ok(Math.abs(r.mean - 0.4) < 1e-12);
  assert.ok(Math.abs(r.ci95 - 0.49687) < 1e-4, String(r.ci95));
  // two samples 1 and 3: mean 2, sd √2, se 1, t(1) = 12.706
  assert.ok(Math.abs(meanCI([1, 3]).ci95 - 12.706) < 1e-9);
  // one sample: no interval
  assert.ok(Number.isNaN(meanCI([5]).ci95));
  assert.equal(meanCI([5]).mean, 5);
  assert.ok(Number.isNaN(meanCI([]).mean));
});
