/** A sandbox removes the temp folders of sandboxes whose parent died (e.g. a SIGKILLed run). */
import assert from "node:assert/strict";
import { createSandbox } from "../../lib/sandbox/mod.ts";

const linux = await Deno.stat("/proc/self").then(() => true, () => false);

Deno.test({
  name: "createSandbox removes stale temp folders of dead parents, keeps live ones",
  ignore: !linux,
  async fn() {
    const probe = await Deno.makeTempDir();
    const tmp = probe.slice(0, probe.lastIndexOf("/"));
    await Deno.remove(probe);
    // pid 2^22 + 1 is above Linux's pid_max limit: never a live process.
    const stale = `${tmp}/azr-sandbox-4194305-test`;
    const live = `${tmp}/azr-sandbox-${Deno.pid}-test`;
    await Deno.mkdir(`${stale}/child0`, { recursive: true });
    await Deno.mkdir(live, { recursive: true });
    const sb = await createSandbox({ poolSize: 1 });
    try {
      assert.equal(
        await Deno.stat(stale).then(() => true, () => false),
        false,
        "stale folder removed",
      );
      assert.equal(
        await Deno.stat(live).then(() => true, () => false),
        true,
        "a live process's folder kept",
      );
      const [r] = await sb.run([{ program: "function f(x) { return x + 1; }", args: [1] }]);
      assert.deepEqual(r && r.ok && r.value, 2);
    } finally {
      await sb.close();
      await Deno.remove(live, { recursive: true });
    }
  },
});
