/**
 * The eval set beyond the bank: programs of the next sizes whose behaviour on the bank's probes
 * is none of the bank's (checked here by running every bank program, not through the code's
 * behaviour index), distinct, valid and input-dependent, with the world's literals; the same for
 * the same seed; every task expressible in the world (the eval scores all of them).
 */
import assert from "node:assert/strict";
import { beyondBank, beyondSet } from "../../lib/eval/beyond.ts";
import { buildBank, probeSet, runInWorld } from "../../lib/lang/generate.ts";
import { parseProgram } from "../../lib/lang/parse.ts";
import { WORLDS } from "../../lib/lang/types.ts";
import { tokenInt } from "../../lib/lang/vocab.ts";
import { resolveConfig } from "../../lib/config.ts";
import { evalTaskRecords } from "../../lib/eval/task_records.ts";

const world = WORLDS.small;
const bank = buildBank({
  world,
  maxSize: 3,
  signatures: ["(int) -> int", "(int[]) -> int[]", "(int[]) -> bool"],
});

/** Outputs on the bank's 24 probes (seed 0, as buildBank draws them), failures as null. */
function outputs(tokens: readonly number[], sig: (typeof bank.signatures)[number]["signature"]) {
  return JSON.stringify(
    probeSet(sig, world, 24, 0).map((args) => runInWorld(tokens, sig, args, world) ?? null),
  );
}

Deno.test("beyondBank: next sizes only, behaviours the bank lacks, distinct, valid, seeded", () => {
  const b = beyondBank(bank, { extra: 2, perSignature: 15, seed: 7 });
  assert.equal(b.maxSize, 5);
  for (const s of b.signatures) {
    const mine = bank.signatures.find((x) => x.signature === s.signature)!;
    const known = new Set(mine.programs.map((p) => outputs(p.tokens, s.signature)));
    assert.equal(s.programs.length, 15, s.signature.name);
    assert.deepEqual(
      [...new Set(s.programs.map((p) => p.size))].sort(),
      [4, 5],
      `${s.signature.name}: both sizes beyond 3`,
    );
    const seen = new Set<string>();
    for (const p of s.programs) {
      assert.equal(p.tokens.length - 1, p.size);
      const literals = p.tokens.map(tokenInt).filter((n) => n !== undefined);
      assert.ok(
        literals.every((n) => n >= world.literalMin && n <= world.literalMax),
        `${p.tokens}`,
      );
      const out = outputs(p.tokens, s.signature);
      assert.ok(!known.has(out), `${s.signature.name}: a bank behaviour ${p.tokens}`);
      assert.ok(!seen.has(out), `${s.signature.name}: a repeated behaviour`);
      seen.add(out);
      const values: unknown[] = JSON.parse(out);
      const valid = values.filter((v) => v !== null);
      assert.ok(valid.length >= 12, "valid on half the probes");
      assert.ok(new Set(valid.map((v) => JSON.stringify(v))).size >= 2, "depends on its input");
    }
  }
  const again = beyondBank(bank, { extra: 2, perSignature: 15, seed: 7 });
  assert.deepEqual(
    again.signatures.map((s) => s.programs.map((p) => p.tokens)),
    b.signatures.map((s) => s.programs.map((p) => p.tokens)),
  );
  const other = beyondBank(bank, { extra: 2, perSignature: 15, seed: 8 });
  assert.notDeepEqual(
    other.signatures.map((s) => s.programs.map((p) => p.tokens)),
    b.signatures.map((s) => s.programs.map((p) => p.tokens)),
  );
});

Deno.test("beyondSet: tasks of every type from programs beyond the bank, outputs from the interpreter", () => {
  const cfg = resolveConfig({ preset: "tiny" });
  const set = beyondSet(bank, 10, cfg);
  assert.equal(set.name, "beyond");
  for (const task of ["deduction", "abduction", "induction"]) {
    assert.equal(set.tasks.filter((t) => t.task === task).length, 10, task);
  }
  for (const t of set.tasks) {
    assert.ok(t.size! > 3 && t.size! <= 3 + cfg.beyondExtra, `${t.id}: size ${t.size}`);
    assert.equal(typeof evalTaskRecords(t, world), "object", `${t.id}: not expressible`);
    const parsed = parseProgram(t.program!);
    assert.ok(parsed.ok, `${t.id}: ${t.program}`);
    const sig = bank.signatures.find((s) => s.signature.name === t.signature)!.signature;
    for (const e of t.examples) {
      assert.deepEqual(runInWorld(parsed.tokens, sig, e.input, world), e.output, t.id);
    }
  }
});
