import assert from "node:assert/strict";
import { buildBank } from "../../lib/lang/generate.ts";
import { WORLDS } from "../../lib/lang/types.ts";
import { cachedBank } from "../../lib/trainer/bank_cache.ts";

Deno.test("bank cache: built once, read back identical; a corrupt file is rebuilt (said), other errors propagate", async () => {
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
    const warnings: string[] = [];
    const again = await cachedBank(opts, dir, (l) => warnings.push(l));
    assert.equal(again.cached, false);
    assert.deepEqual(programs(again.bank), programs(fresh));
    assert.match(
      warnings.join("\n"),
      /bank cache .*bank-\w+\.json is corrupt \(not JSON.*rebuilding/,
    );
    // A file of another shape is corrupt too; what else goes wrong reading it is not.
    await Deno.writeTextFile(`${dir}/${files[0]}`, JSON.stringify({ format: "other" }));
    await Deno.writeTextFile(`${dir}/${files[1]}`, JSON.stringify({ format: "other" }));
    assert.equal((await cachedBank(opts, dir, (l) => warnings.push(l))).cached, false);
    assert.match(warnings.at(-1)!, /is corrupt \(.*format/);
    for (const f of files) {
      await Deno.remove(`${dir}/${f}`);
      await Deno.mkdir(`${dir}/${f}`); // a folder where the file goes: not a cache to rebuild
    }
    await assert.rejects(cachedBank(opts, dir, () => {}), Deno.errors.IsADirectory);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
