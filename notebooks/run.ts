/**
 * `deno task notebooks`: executes every notebook in `notebooks/` headless under
 * Jupyter's Deno kernel (repo-local kernelspec in `.jupyter/`), with the
 * late-output-safe runner `nbrun.py`, and fails on any cell error.
 *
 * Executed copies go to `runs/notebooks/` (git-ignored) for inspection. With
 * `--write`, each notebook that ran without error is also copied back over
 * `notebooks/NAME.ipynb`, outputs included, so that the committed notebooks
 * show their figures without being run; a failing notebook is left as it was.
 * Without Jupyter it prints the install command and exits 0 — except under
 * `CI=true`, where a missing Jupyter is a failure.
 *
 * Usage: deno task notebooks [--write] [NAME_SUBSTRING ...]
 * @module
 */
import { parseArgs } from "node:util";
import { findJupyterPython, JUPYTER_INSTALL_HINT, runNotebooks } from "./runner.ts";

const USAGE = `Usage: deno task notebooks [--write] [NAME_SUBSTRING ...]

Executes the notebooks in notebooks/ (all, or those whose file name contains one of the
substrings) headless under Jupyter's Deno kernel; executed copies go to runs/notebooks/.

  --write   also write each notebook that ran without error back into notebooks/, outputs included
  --help    show this message`;

if (import.meta.main) {
  let args;
  try {
    args = parseArgs({
      args: Deno.args,
      allowPositionals: true,
      options: { write: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    });
  } catch (e) {
    console.error(
      `notebooks: ${(e as Error).message.split(". ")[0]}. See deno task notebooks --help`,
    );
    Deno.exit(2);
  }
  if (args.values.help) {
    console.log(USAGE);
    Deno.exit(0);
  }
  const filters = args.positionals;
  const python = await findJupyterPython();
  if (!python) {
    if (Deno.env.get("CI") === "true") {
      console.error(`Jupyter is required under CI=true but was not found. ${JUPYTER_INSTALL_HINT}`);
      Deno.exit(1);
    }
    console.log(`notebooks: skipped, Jupyter not found. ${JUPYTER_INSTALL_HINT}`);
    Deno.exit(0);
  }
  const dir = new URL(".", import.meta.url).pathname;
  const out = new URL("../runs/notebooks", import.meta.url).pathname;
  const names = [...Deno.readDirSync(dir)]
    .map((e) => e.name)
    .filter((n) =>
      n.endsWith(".ipynb") && (filters.length === 0 || filters.some((f) => n.includes(f)))
    )
    .sort();
  if (names.length === 0) {
    console.error(`notebooks: no notebook in notebooks/ matches ${filters.join(", ")}`);
    Deno.exit(2);
  }
  const reports = await runNotebooks(names.map((n) => dir + n), { python, out });
  let failed = 0;
  for (const r of reports) {
    const name = r.notebook.split("/").pop()!;
    const mark = r.ok ? "ok  " : "FAIL";
    let written = "";
    if (args.values.write && r.ok) {
      await Deno.copyFile(`${out}/${name}`, `${dir}${name}`);
      written = `, written to notebooks/${name}`;
    }
    console.log(
      `${mark} ${name}  ${r.cells} cells, ${r.outputs} outputs ` +
        `(${r.late_outputs} arrived late), ${r.seconds}s${written}` +
        (r.error ? `\n     ${r.error}` : ""),
    );
    if (!r.ok) failed++;
  }
  console.log(`${reports.length - failed} passed, ${failed} failed`);
  Deno.exit(failed ? 1 : 0);
}
