import assert from "node:assert/strict";
import { buildBank } from "../../lib/lang/generate.ts";
import { WORLDS } from "../../lib/lang/types.ts";
import { cachedBank } from "../../lib/trainer/bank_cache.ts";

Deno.test("bank cache: built once, read back identical; a corrupt file is rebuilt", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const opts = {
      world: WORLDS.small,
      maxSize: 3,
      signatures: ["(int[]) -> int", "(int) -> bool"],
    };
    const first = await cachedBank(opts, dir);
    assert.equal(first.cached, false);
    const second = await cachedBank(opts, dir);
    assert.equal(second.cached, true);
    const fresh = buildBank(opts);
    const programs = (b: typeof fresh) =>
      b.signatures.map((
        s,
      ) => [s.signature.name, s.programs.map((p) => [p.tokens, p.size, p.valid])]);
    assert.deepEqual(programs(second.bank), programs(fresh));
    // Other options, other file.
    assert.equal((await cachedBank({ ...opts, maxSize: 2 }, dir)).cached, false);
    const files = [...Deno.readDirSync(dir)].map((e) => e.name);
    assert.equal(files.length, 2);
    for (const f of files) await Deno.writeTextFile(`${dir}/${f}`, "{ torn");
    const again = await cachedBank(opts, dir);
    assert.equal(again.cached, false);
    assert.deepEqual(programs(again.bank), programs(fresh));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
