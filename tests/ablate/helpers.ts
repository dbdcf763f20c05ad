/** Shared by the ablation tests: the ablate CLI as a subprocess, and a folder's file times. */

const ROOT = new URL("../../", import.meta.url).pathname;
const dec = new TextDecoder();

/** `deno run -A lib/ablate/main.ts ARGS` from the repo root, its exit code and output. */
export async function ablateCli(
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}lib/ablate/main.ts`, ...args],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: r.code, stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr) };
}

/** Every file under `dir` with its modification time (ms), relative path → mtime. */
export async function snapshot(dir: string, prefix = ""): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for await (const e of Deno.readDir(`${dir}/${prefix}`)) {
    const rel = `${prefix}${e.name}`;
    if (e.isDirectory) { for (const [k, v] of await snapshot(dir, `${rel}/`)) out.set(k, v); }
    else out.set(rel, (await Deno.stat(`${dir}/${rel}`)).mtime?.getTime() ?? NaN);
  }
  return out;
}
