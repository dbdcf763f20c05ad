/**
 * `deno fmt` for the notebooks, judged by the bytes it writes. Part of `deno task check`.
 *
 * Why not plain `deno fmt --check`: Deno 2.9's notebook formatter formats each cell, and the
 * TypeScript and Markdown formatters end every cell with a newline that Jupyter's cells do not
 * have; it counts that cell as changed, then trims the newline again and writes the notebook back
 * byte-identical. So `deno fmt --check` calls every notebook unformatted until `deno fmt` has run
 * once and its incremental cache (in DENO_DIR) remembers the files — red on a fresh clone, green on
 * a warm one. `deno.json` therefore leaves notebooks out of `deno fmt`, and this script formats
 * copies of them in a temporary folder, with the project's fmt options, and compares the bytes.
 *
 * Usage: deno run -A notebooks/fmt.ts [--check]
 *   (no flag)  rewrite each notebook whose cells deno fmt would change
 *   --check    change nothing; list those notebooks and exit 1 if there are any
 * @module
 */

const USAGE = "Usage: deno run -A notebooks/fmt.ts [--check]";

/** The notebooks whose formatted copy differs from the file, with the formatted text. */
export async function formatNotebooks(
  paths: readonly string[],
  fmtOptions: Record<string, unknown>,
): Promise<{ path: string; formatted: string }[]> {
  const tmp = await Deno.makeTempDir({ prefix: "azr-nbfmt-" });
  try {
    // The copies are named by index: two notebooks may share a file name in different folders.
    const copies = paths.map((_, i) => `${tmp}/${i}.ipynb`);
    await Promise.all(paths.map((p, i) => Deno.copyFile(p, copies[i]!)));
    await Deno.writeTextFile(`${tmp}/deno.json`, JSON.stringify({ fmt: fmtOptions }));
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["fmt", "--config", `${tmp}/deno.json`, ...copies],
      cwd: tmp,
      env: { NO_COLOR: "1" },
      stdout: "null",
      stderr: "piped",
    }).output();
    if (code !== 0) {
      throw new Error(`deno fmt failed on the notebooks:\n${new TextDecoder().decode(stderr)}`);
    }
    const changed = [];
    for (const [i, path] of paths.entries()) {
      const formatted = await Deno.readTextFile(copies[i]!);
      if (formatted !== await Deno.readTextFile(path)) changed.push({ path, formatted });
    }
    return changed;
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

if (import.meta.main) {
  const unknown = Deno.args.filter((a) => a !== "--check");
  if (unknown.includes("--help") || unknown.includes("-h")) {
    console.log(USAGE);
    Deno.exit(0);
  }
  if (unknown.length > 0) {
    console.error(`notebooks/fmt.ts: unknown argument '${unknown[0]}'. ${USAGE}`);
    Deno.exit(2);
  }
  const check = Deno.args.includes("--check");
  const root = new URL("../", import.meta.url).pathname;
  const config = JSON.parse(await Deno.readTextFile(`${root}deno.json`));
  // The project's options (line width & co.) without its file lists, which exclude notebooks.
  const { exclude: _exclude, include: _include, ...fmtOptions } = config.fmt ?? {};
  const dir = `${root}notebooks/`;
  const paths = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.endsWith(".ipynb"))
    .sort().map((n) => dir + n);
  const changed = await formatNotebooks(paths, fmtOptions);
  for (const { path, formatted } of changed) {
    const name = path.slice(root.length);
    if (check) console.error(`not formatted: ${name} (run: deno run -A notebooks/fmt.ts)`);
    else {
      await Deno.writeTextFile(path, formatted);
      console.log(`formatted ${name}`);
    }
  }
  console.log(`Checked ${paths.length} notebooks`);
  Deno.exit(check && changed.length > 0 ? 1 : 0);
}
