/**
 * What the kit writes when run as the README says, outside a test harness: benchmarks and
 * ablation grids write under `runs/` (git-ignored) unless given `--out`, so the committed
 * numbers in `data/` never change by accident.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url).pathname;
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** `git status --porcelain -- data/` and the mtime of every file under data/ (what a run could touch). */
async function dataState(): Promise<string> {
  const status = await new Deno.Command("git", {
    args: ["status", "--porcelain", "--", "data/"],
    cwd: ROOT,
    stdout: "piped",
  }).output();
  const mtimes: string[] = [];
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(`${ROOT}${dir}`)) {
      if (e.isDirectory) await walk(`${dir}/${e.name}`);
      else {mtimes.push(
          `${dir}/${e.name} ${(await Deno.stat(`${ROOT}${dir}/${e.name}`)).mtime?.getTime()}`,
        );}
    }
  };
  await walk("data");
  return `${text(status.stdout)}\n${mtimes.sort().join("\n")}`;
}

Deno.test("deno task bench --quick: every benchmark writes runs/bench/<name>.json, data/ untouched", async () => {
  const cwd = await Deno.makeTempDir(); // `runs/` is relative to where the bench runs
  try {
    const before = await dataState();
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `${ROOT}bench/main.ts`, "--quick"],
      cwd,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = text(out.stderr);
    assert.equal(out.code, 0, stderr);
    for (const name of ["lang", "model", "sandbox", "selfplay"]) {
      const json = JSON.parse(await Deno.readTextFile(`${cwd}/runs/bench/${name}.json`));
      assert.equal(json.quick, true, name);
    }
    // Long benches say what they are doing while they run (on stderr, beside the tables).
    assert.match(stderr, /\[bench selfplay\] tiny: step 1\/2/);
    assert.match(stderr, /\[bench sandbox\] pool rows/);
    assert.equal(await dataState(), before, "data/ changed");
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});

Deno.test("deno task ablate --grid tiny: the summary goes to <runsDir>/results/tiny, data/ untouched", async () => {
  const runs = await Deno.makeTempDir();
  try {
    const before = await dataState();
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "lib/ablate/main.ts",
        "--grid=tiny",
        "--seeds=1",
        "--steps=1",
        "--parallel=2",
        `--runsDir=${runs}`,
      ],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, text(out.stderr));
    for (const f of ["summary.json", "summary.md", "selfplay.md", "solved.md"]) {
      assert.ok((await Deno.stat(`${runs}/results/tiny/${f}`)).isFile, f);
    }
    assert.match(text(out.stdout), new RegExp(`wrote ${runs}/results/tiny/summary.json`));
    assert.equal(await dataState(), before, "data/ changed");
  } finally {
    await Deno.remove(runs, { recursive: true });
  }
});
