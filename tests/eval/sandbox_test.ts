/**
 * The shipped suites of both worlds under the kit's own executor: every program runs in the
 * sandbox on every input and returns exactly the stored output (one batched `run`, as the eval
 * does it).
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { loadSuites, suiteBoundsOf } from "../../lib/eval/mod.ts";
import { createSandbox, type JsonValue, sameValue } from "../../lib/sandbox/mod.ts";

Deno.test("eval data: the sandbox reproduces every stored output", async () => {
  const suites = (["small", "wide"] as const).flatMap((w) =>
    Object.values(
      loadSuites(
        fileURLToPath(new URL(`../../data/eval/${w}/`, import.meta.url)),
        suiteBoundsOf(w),
      ),
    )
  );
  const jobs: { id: string; program: string; args: JsonValue[]; want: JsonValue }[] = [];
  for (const s of suites) {
    for (const t of s.tasks) {
      for (const ex of t.examples) {
        jobs.push({ id: t.id, program: t.program!, args: ex.input, want: ex.output });
      }
    }
  }
  await using sb = await createSandbox({ poolSize: 1 });
  const results = await sb.run(jobs.map(({ program, args }) => ({ program, args })));
  const bad = results.flatMap((r, i) => {
    const j = jobs[i]!;
    return r.ok && sameValue(r.value, j.want) ? [] : [`${j.id}: ${JSON.stringify(r)}`];
  });
  assert.deepEqual(bad, [], `${bad.length} of ${jobs.length} jobs disagree`);
});
