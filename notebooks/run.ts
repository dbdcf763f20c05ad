/**
 * `deno task notebooks`: executes every notebook in `notebooks/` headless under
 * Jupyter's Deno kernel (repo-local kernelspec in `.jupyter/`), with the
 * late-output-safe runner `nbrun.py`, and fails on any cell error.
 *
 * Executed copies go to `runs/notebooks/` (git-ignored) for inspection.
 * Without Jupyter it prints the install command and exits 0 — except under
 * `CI=true`, where a missing Jupyter is a failure.
 *
 * Usage: deno task notebooks [NAME_SUBSTRING ...]
 * @module
 */
import { findJupyterPython, JUPYTER_INSTALL_HINT, runNotebooks } from "./runner.ts";

if (import.meta.main) {
  const filters = Deno.args;
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
  const paths = [...Deno.readDirSync(dir)]
    .map((e) => e.name)
    .filter((n) =>
      n.endsWith(".ipynb") && (filters.length === 0 || filters.some((f) => n.includes(f)))
    )
    .sort()
    .map((n) => dir + n);
  const reports = await runNotebooks(paths, { python, out: "runs/notebooks" });
  let failed = 0;
  for (const r of reports) {
    const mark = r.ok ? "ok  " : "FAIL";
    console.log(
      `${mark} ${r.notebook.split("/").pop()}  ${r.cells} cells, ${r.outputs} outputs ` +
        `(${r.late_outputs} arrived late), ${r.seconds}s${r.error ? `\n     ${r.error}` : ""}`,
    );
    if (!r.ok) failed++;
  }
  console.log(`${reports.length - failed} passed, ${failed} failed`);
  Deno.exit(failed ? 1 : 0);
}
