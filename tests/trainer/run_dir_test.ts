import assert from "node:assert/strict";
import { exists } from "../../lib/trainer/run_dir.ts";

Deno.test("exists: only 'not found' is absent; another stat error propagates", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/file`, "");
    assert.equal(await exists(`${dir}/file`), true);
    assert.equal(await exists(`${dir}/none`), false);
    // A path through a file: not "absent" (a run started over there would lose nothing, but a
    // runsDir that is a file is a mistake to report, not a run to start).
    await assert.rejects(exists(`${dir}/file/run`), Deno.errors.NotADirectory);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
