import assert from "node:assert/strict";
import { etaSeconds, formatDuration } from "../../lib/trainer/progress.ts";

Deno.test("formatDuration: rounds once, so minutes and seconds never read 60", () => {
  const cases: [number, string][] = [
    [0, "0s"],
    [59.4, "59s"],
    [59.6, "1m00s"], // rounds up into the next minute
    [61, "1m01s"],
    [3599.4, "59m59s"],
    [3599.6, "1h00m"], // not "59m60s" or "0h60m"
    [7170, "2h00m"], // 1 h 59.5 min: the minutes round up into the hour, never "1h60m"
    [7199, "2h00m"], // cli-progress printed 1h60m / 2h60m for these
    [2 * 3600 + 5 * 60 + 29, "2h05m"],
    [NaN, "–"],
    [-1, "–"],
  ];
  for (const [s, want] of cases) assert.equal(formatDuration(s), want, `${s} s`);
});

Deno.test("etaSeconds: unknown before a step, mean step time × steps left, capped by the budget", () => {
  assert.equal(etaSeconds({ stepsDone: 0, secondsForThem: 0, stepsLeft: 10 }), undefined);
  assert.equal(etaSeconds({ stepsDone: 2, secondsForThem: 90, stepsLeft: 10 }), 450);
  assert.equal(
    etaSeconds({ stepsDone: 2, secondsForThem: 90, stepsLeft: 10, budgetLeftS: 60 }),
    60,
  );
  assert.equal(etaSeconds({ stepsDone: 2, secondsForThem: 90, stepsLeft: 0 }), 0);
  assert.equal(etaSeconds({ stepsDone: 1, secondsForThem: 5, stepsLeft: 3, budgetLeftS: -4 }), 0);
});
