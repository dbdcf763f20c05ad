import assert from "node:assert/strict";
import {
  compileProgram,
  type InterpretResult,
  programSignature,
  renderProgram,
  sampleArgs,
  sampleProgram,
} from "../../lib/lang/mod.ts";
import { createSandbox, type JsonValue, type SandboxJob } from "../../lib/sandbox/mod.ts";
import { Rng } from "../../lib/rng.ts";

const BOUNDS = { intMin: -999, intMax: 999, maxListLen: 16 };
const N = 10_000;

Deno.test({
  name: `differential: ${N} random programs × inputs, reference interpreter = sandbox`,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const rng = new Rng(2026);
    const jobs: SandboxJob[] = [];
    const expected: InterpretResult[] = [];
    for (let n = 0; n < N; n++) {
      const tokens = sampleProgram(rng, { budget: 4 + (n % 21) });
      const args = sampleArgs(rng, programSignature(tokens), BOUNDS) as JsonValue[];
      jobs.push({ program: renderProgram(tokens), args });
      expected.push(compileProgram(tokens)(args, { fuel: 200_000 }));
    }
    await using sandbox = await createSandbox({ poolSize: 2, timeoutMs: 2000 });
    const results = await sandbox.run(jobs);
    let compared = 0;
    let skipped = 0;
    const kinds = new Map<string, number>();
    results.forEach((got, k) => {
      const want = expected[k]!;
      const where = `${jobs[k]!.program} on ${JSON.stringify(jobs[k]!.args)}`;
      // A run the interpreter stopped for fuel, or the sandbox for time, has no reference.
      if ((!want.ok && want.kind === "timeout") || (!got.ok && got.kind === "timeout")) {
        skipped++;
        return;
      }
      compared++;
      const kind = want.ok ? "ok" : want.kind;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      if (want.ok) {
        assert.ok(got.ok, `${where}: sandbox ${got.ok ? "" : `${got.kind}: ${got.message}`}`);
        assert.deepEqual(got.value, want.value, where);
      } else {
        assert.equal(got.ok ? "ok" : got.kind, want.kind, `${where}: ${want.message}`);
      }
    });
    console.log(
      `compared ${compared}, skipped ${skipped} (timeouts), kinds ${JSON.stringify([...kinds])}`,
    );
    assert.ok(compared >= 0.99 * N, `only ${compared} of ${N} compared`);
    assert.ok((kinds.get("ok") ?? 0) > N / 3, "too few valid results for a meaningful comparison");
  },
});
