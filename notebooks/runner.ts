/**
 * Runs notebooks through `nbrun.py` (an nbclient subclass that keeps outputs
 * the Deno kernel publishes after `status: idle`) and returns its reports.
 * Used by `deno task notebooks` and by the notebook tests.
 * @module
 */
import { z } from "zod";

/** The Debian packages the notebooks need: a notebook server, headless execution, HTML export. */
export const JUPYTER_PACKAGES = [
  "jupyter-notebook",
  "jupyter-nbconvert",
  "python3-nbclient",
  "python3-ipykernel",
] as const;

/** What to run to get Jupyter on Debian. */
export const JUPYTER_INSTALL_HINT = `Install it with: apt-get install -y --no-install-recommends ${
  JUPYTER_PACKAGES.join(" ")
}`;

const ROOT = new URL("../", import.meta.url).pathname;

/** One notebook's outcome, as printed by nbrun.py. */
export const NotebookReport = z.object({
  notebook: z.string(),
  ok: z.boolean(),
  cells: z.number().int(),
  outputs: z.number().int(),
  late_outputs: z.number().int(),
  seconds: z.number(),
  error: z.string().optional(),
});
/** One notebook's outcome. */
export type NotebookReport = z.infer<typeof NotebookReport>;

/**
 * The Python that can run nbclient and nbconvert: Debian's `/usr/bin/python3`
 * first (another python3 on the PATH, e.g. pyenv's, usually lacks the Debian
 * packages). Returns undefined when none has them.
 */
export async function findJupyterPython(): Promise<string | undefined> {
  for (const candidate of ["/usr/bin/python3", "python3"]) {
    try {
      const { success } = await new Deno.Command(candidate, {
        args: ["-c", "import nbclient, nbconvert, nbformat"],
        stdout: "null",
        stderr: "null",
      }).output();
      if (success) return candidate;
    } catch {
      // not installed: try the next candidate
    }
  }
  return undefined;
}

/** Options of {@linkcode runNotebooks}. */
export interface RunNotebooksOptions {
  /** Python with nbclient (see findJupyterPython). */
  python: string;
  /** Folder for the executed copies (default: none written). */
  out?: string;
  /** Seconds per cell before the cell fails (default 600). */
  timeoutS?: number;
}

/** Executes the notebooks one after another; never throws for a failing notebook. */
export async function runNotebooks(
  paths: readonly string[],
  opts: RunNotebooksOptions,
): Promise<NotebookReport[]> {
  if (paths.length === 0) return [];
  const args = [`${ROOT}notebooks/nbrun.py`, "--timeout", String(opts.timeoutS ?? 600)];
  if (opts.out) args.push("--out", opts.out);
  // The kernelspec's launcher runs `deno` from the PATH (npx's pinned Deno when
  // there is none): put this very Deno first, so the kernel is the same version.
  const denoDir = Deno.execPath().replace(/\/[^/]*$/, "");
  const { stdout, stderr, code } = await new Deno.Command(opts.python, {
    args: [...args, ...paths],
    cwd: ROOT,
    env: {
      JUPYTER_PATH: `${ROOT}.jupyter`,
      PATH: `${denoDir}:${Deno.env.get("PATH") ?? ""}`,
      NO_COLOR: "1",
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const lines = new TextDecoder().decode(stdout).split("\n").filter((l) => l.startsWith("{"));
  const reports = lines.map((l) => NotebookReport.parse(JSON.parse(l)));
  if (reports.length !== paths.length) {
    const err = new TextDecoder().decode(stderr).trim().split("\n").slice(-5).join("\n");
    throw new Error(
      `nbrun.py exited ${code} after ${reports.length}/${paths.length} notebooks:\n${err}`,
    );
  }
  return reports;
}
