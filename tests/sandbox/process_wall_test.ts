/**
 * The process wall on its own: a probe module (no SES, no screen) started with the
 * child's exact command line tries every host capability; each must be refused.
 */
import assert from "node:assert/strict";
import { childCommand, findPrlimit } from "../../lib/sandbox/child_process.ts";

const PROBE = `
const out = {};
const attempt = async (name, fn) => {
  try { out[name] = "allowed: " + String(await fn()).slice(0, 40); }
  catch (e) { out[name] = "denied"; }
};
await attempt("read", () => Deno.readTextFileSync("/etc/passwd"));
await attempt("write", () => Deno.writeTextFileSync("x.txt", "x"));
await attempt("env", () => Deno.env.get("HOME") ?? Deno.env.toObject());
await attempt("net", () => Deno.connect({ hostname: "127.0.0.1", port: 9 }));
await attempt("fetch", () => fetch("http://127.0.0.1:9/"));
await attempt("run", () => new Deno.Command("true").outputSync());
await attempt("ffi", () => Deno.dlopen("libc.so.6", {}));
await attempt("importFile", () => import("file:///etc/hostname"));
await attempt("importNpm", () => import("npm:left-pad@1.3.0"));
await attempt("importRemote", () => import("https://deno.land/std/version.ts"));
await attempt("bigAlloc", () => new ArrayBuffer(2 ** 33).byteLength);
console.log(JSON.stringify(out));
`;

Deno.test("process wall: no file, env, net, run, ffi, import or big allocation", async () => {
  const dir = await Deno.makeTempDir({ prefix: "azr-wall-test-" });
  try {
    await Deno.mkdir(`${dir}/work`);
    await Deno.mkdir(`${dir}/deno`);
    await Deno.writeTextFile(`${dir}/probe.js`, PROBE);
    const prlimit = await findPrlimit();
    const [cmd, options] = childCommand(
      { heapMb: 128, dataBytes: 1024 * 1024 * 1024, prlimit },
      `${dir}/probe.js`,
      dir,
    );
    const out = await new Deno.Command(cmd, { ...options, stdin: "null" }).output();
    const text = new TextDecoder().decode(out.stdout);
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    const verdicts = JSON.parse(text) as Record<string, string>;
    for (
      const name of [
        "read",
        "write",
        "env",
        "net",
        "fetch",
        "run",
        "ffi",
        "importFile",
        "importNpm",
        "importRemote",
      ]
    ) {
      assert.equal(verdicts[name], "denied", `${name}: ${verdicts[name]}`);
    }
    if (prlimit !== undefined) assert.equal(verdicts.bigAlloc, "denied");
    else console.log("process_wall_test: prlimit absent, hard memory cap not checked");
    const files = [...Deno.readDirSync(`${dir}/work`)];
    assert.deepEqual(files, [], "the child wrote into its working folder");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
