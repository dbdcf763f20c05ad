/**
 * Notebooks run headless under Jupyter's Deno kernel, and their HTML export
 * shows the figures. Skipped (with the install command) when Jupyter is
 * absent, except under CI=true. The committed notebooks are only read: the
 * executed copies go to temporary folders.
 */
import assert from "node:assert/strict";
import { parseHTML } from "linkedom";
import { PRESETS } from "../lib/config.ts";
import { formatNotebooks } from "../notebooks/fmt.ts";
import {
  findJupyterPython,
  JUPYTER_INSTALL_HINT,
  type NotebookReport,
  runNotebooks,
} from "../notebooks/runner.ts";

const python = await findJupyterPython();
const inCI = Deno.env.get("CI") === "true";
if (!python && !inCI) {
  console.log(`notebook tests skipped: Jupyter not found. ${JUPYTER_INSTALL_HINT}`);
}
const NOTEBOOKS = new URL("../notebooks/", import.meta.url).pathname;

interface Output {
  output_type: string;
  data?: Record<string, string | string[]>;
  text?: string | string[];
}
interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: Output[];
}
const join = (s: string | string[] | undefined) => (Array.isArray(s) ? s.join("") : s ?? "");

async function execute(
  path: string,
  outDir: string,
): Promise<{ report: NotebookReport; cells: Cell[] }> {
  if (!python) throw new Error(`Jupyter is required under CI=true. ${JUPYTER_INSTALL_HINT}`);
  const [report] = await runNotebooks([path], { python, out: outDir, timeoutS: 300 });
  const executed = JSON.parse(await Deno.readTextFile(`${outDir}/${path.split("/").pop()}`));
  return {
    report: report!,
    cells: (executed.cells as Cell[]).filter((c) => c.cell_type === "code"),
  };
}

/** Writes a Deno-kernel notebook whose code cells hold `sources`. */
async function writeNotebook(path: string, sources: readonly string[]): Promise<void> {
  const nb = {
    nbformat: 4,
    nbformat_minor: 4,
    metadata: {
      kernelspec: { name: "deno", display_name: "Deno", language: "typescript" },
      // deno fmt formats code cells in the language named here, and skips them without it
      language_info: { name: "typescript", file_extension: ".ts" },
    },
    cells: sources.map((source) => ({
      cell_type: "code",
      metadata: {},
      execution_count: null,
      outputs: [],
      source,
    })),
  };
  await Deno.writeTextFile(path, JSON.stringify(nb));
}

Deno.test({
  name: "notebook runner keeps every output, including those sent after idle",
  ignore: !python && !inCI,
  async fn() {
    // 80 quick cells, each with one distinct value: the Deno kernel sends some of
    // these results after `status: idle`, which plain nbconvert drops.
    const n = 80;
    const dir = await Deno.makeTempDir();
    try {
      await writeNotebook(`${dir}/many.ipynb`, Array.from({ length: n }, (_, i) => `${i} * 7 + 1`));
      const { report, cells } = await execute(`${dir}/many.ipynb`, `${dir}/out`);
      assert.ok(report.ok, report.error ?? "");
      assert.equal(cells.length, n);
      cells.forEach((cell, i) => {
        assert.equal(cell.outputs?.length, 1, `cell ${i} has ${cell.outputs?.length} outputs`);
        assert.equal(join(cell.outputs![0]!.data?.["text/plain"]), String(i * 7 + 1), `cell ${i}`);
      });
      console.log(`  ${report.late_outputs} of ${n} outputs arrived after idle and were kept`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "notebook runner reports a failing cell",
  ignore: !python && !inCI,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      await writeNotebook(`${dir}/bad.ipynb`, [
        "1 + 1",
        'throw new Error("boom from cell 2")',
        "3",
      ]);
      const { report } = await execute(`${dir}/bad.ipynb`, `${dir}/out`);
      assert.equal(report.ok, false);
      assert.match(report.error ?? "", /boom from cell 2/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "00_quickstart: config, overrides, error message and an SVG figure",
  ignore: !python && !inCI,
  async fn() {
    const out = await Deno.makeTempDir();
    try {
      const { report, cells } = await execute(`${NOTEBOOKS}00_quickstart.ipynb`, out);
      assert.ok(report.ok, report.error ?? "");
      const text = cells.map((c) =>
        (c.outputs ?? []).map((o) => join(o.data?.["text/plain"]) + join(o.text)).join("")
      );
      // the default preset: the small model from the shipped base
      assert.match(text[0]!, /dModel: 64/);
      assert.match(text[0]!, /init: "data\/base"/);
      assert.match(text[1]!, /sandboxTimeoutMs/);
      assert.match(text[2]!, /dModel: 32, nLayers: 1, batchSize: 2, lr: 0\.001/);
      assert.match(text[3]!, /unknown key 'lrr' \(did you mean 'lr'\?\)/);
      const svg = join(cells[4]!.outputs?.[0]?.data?.["text/html"]);
      assert.match(svg, /^<svg[\s\S]*<rect[\s\S]*<\/svg>$/);
      // one bar per preset
      assert.equal(svg.match(/<rect /g)?.length, Object.keys(PRESETS).length);
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "every notebook in notebooks/ executes without a cell error; 07's HTML export shows its figures",
  ignore: !python && !inCI,
  async fn(t) {
    const names = [...Deno.readDirSync(NOTEBOOKS)].map((e) => e.name).filter((n) =>
      n.endsWith(".ipynb")
    )
      .sort();
    const committed = new Map(names.map((n) => [n, Deno.readFileSync(`${NOTEBOOKS}${n}`)]));
    const out = await Deno.makeTempDir();
    try {
      for (const name of names) {
        await t.step(name, async () => {
          const { report, cells } = await execute(`${NOTEBOOKS}${name}`, out);
          assert.ok(report.ok, `${name}: ${report.error}`);
          assert.ok(cells.length > 0, `${name} has no code cells`);
          if (name === "07_ablations.ipynb") {
            await assertRendersResults(cells);
            await assertHtmlExportShowsFigures(`${out}/${name}`, `${out}/html`);
          }
        });
      }
      for (const [name, bytes] of committed) {
        assert.deepEqual(Deno.readFileSync(`${NOTEBOOKS}${name}`), bytes, `${name} was modified`);
      }
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});

/** The part of linkedom's parsed HTML the export check uses. */
interface ParsedNode {
  querySelectorAll(selector: string): ArrayLike<ParsedNode>;
}

/**
 * Exports an executed 07_ablations to HTML with nbconvert, as a reader would share it, and finds
 * every figure in it drawn: each committed grid's curves.svg and bars.svg verbatim, and the live
 * tiny grid's two. (nbconvert passes `image/svg+xml` outputs through lxml's clean_html, which
 * keeps an empty `<svg>` and drops every mark in it; `display` sends figures as text/html.)
 */
async function assertHtmlExportShowsFigures(notebook: string, outDir: string): Promise<void> {
  const { code, stderr } = await new Deno.Command(python!, {
    args: ["-m", "nbconvert", "--to", "html", "--output-dir", outDir, notebook],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, `nbconvert failed: ${new TextDecoder().decode(stderr)}`);
  const html = await Deno.readTextFile(
    `${outDir}/${notebook.split("/").pop()!.replace(/\.ipynb$/, ".html")}`,
  );
  const results = new URL("../data/results/", import.meta.url).pathname;
  let committed = 0;
  for (const grid of Deno.readDirSync(results)) {
    for (const figure of ["curves.svg", "bars.svg"]) {
      const svg = (await Deno.readTextFile(`${results}${grid.name}/${figure}`)).trim();
      assert.ok(html.includes(svg), `the HTML export lacks ${grid.name}/${figure}`);
      committed++;
    }
  }
  // linkedom's Window type differs from lib.dom's: only querySelectorAll is used.
  const { document } = parseHTML(html) as unknown as { document: ParsedNode };
  const svgs = Array.from(document.querySelectorAll("svg"));
  // the committed grids' figures, then the tiny grid run live in the notebook
  assert.equal(svgs.length, committed + 2);
  svgs.forEach((svg, i) => {
    const marks = svg.querySelectorAll("path, rect, line, circle").length;
    assert.ok(marks > 10, `figure ${i} of the HTML export has ${marks} marks`);
  });
}

Deno.test("notebooks/fmt.ts: the committed notebooks are formatted; a misformatted cell is caught", async () => {
  const names = [...Deno.readDirSync(NOTEBOOKS)].map((e) => e.name).filter((n) =>
    n.endsWith(".ipynb")
  );
  for (const name of names) {
    const nb = JSON.parse(await Deno.readTextFile(NOTEBOOKS + name));
    // without it deno fmt leaves the code cells alone
    assert.equal(nb.metadata?.language_info?.name, "typescript", `${name}: language_info.name`);
  }
  const config = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
  const { exclude: _exclude, ...fmtOptions } = config.fmt;
  assert.deepEqual(await formatNotebooks(names.map((n) => NOTEBOOKS + n), fmtOptions), []);

  const dir = await Deno.makeTempDir();
  try {
    await writeNotebook(`${dir}/bad.ipynb`, ["const   x = {a:1}\nx", "const y = 2;"]);
    const changed = await formatNotebooks([`${dir}/bad.ipynb`], fmtOptions);
    assert.equal(changed.length, 1);
    const cells = JSON.parse(changed[0]!.formatted).cells as Cell[];
    assert.equal(join(cells[0]!.source), "const x = { a: 1 };\nx;");
    assert.equal(join(cells[1]!.source), "const y = 2;");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** 07_ablations shows every committed grid: the rows of its summary.md and its self-play table. */
async function assertRendersResults(cells: Cell[]): Promise<void> {
  const shown = cells.flatMap((c) => c.outputs ?? []).map((o) =>
    join(o.data?.["text/markdown"]) + join(o.data?.["text/plain"]) + join(o.text)
  ).join("\n");
  const results = new URL("../data/results/", import.meta.url).pathname;
  let grids = 0;
  for (const e of Deno.readDirSync(results)) {
    const md = await Deno.readTextFile(`${results}${e.name}/summary.md`);
    const rows = md.split("\n").filter((l) => /^\| \w/.test(l) && !l.startsWith("| variant"));
    assert.ok(rows.length > 0, `${e.name}/summary.md has no table rows`);
    for (const row of rows) assert.ok(shown.includes(row), `07 does not show ${e.name}: ${row}`);
    const selfPlay = await Deno.readTextFile(`${results}${e.name}/selfplay.md`).catch(() => "");
    const firstRow = selfPlay.split("\n").find((l) =>
      /^\| \w/.test(l) && !l.startsWith("| variant")
    );
    if (firstRow) assert.ok(shown.includes(firstRow), `07 does not show ${e.name}/selfplay.md`);
    grids++;
  }
  assert.ok(grids > 0, "no committed results in data/results/");
}
