/**
 * What self-play did, read back from runs: per task type and stretch of
 * training, what the proposer proposed (valid rate, share of programs that
 * ignore their input, program size, duplicates, signature mix), how the
 * learnability rollouts went (never / sometimes / always solved: only
 * "sometimes" gives the proposer a non-zero reward), and the solver's
 * accuracy on its own batch and the policy's entropy. The answers to "why does
 * it (not) learn" start here; `deno task ablate` writes them next to the
 * grid's summary as `selfplay.json` / `selfplay.md`.
 * @module
 */
import { z } from "zod";
import { compileProgram } from "../lang/interpret.ts";
import { parseProgram } from "../lang/parse.ts";
import type { ValueBounds } from "../lang/types.ts";
import { canonicalValue, type JsonValue } from "../sandbox/mod.ts";
import { probeInputs } from "../tasks/validate.ts";
import { type Metrics, readMetrics } from "../trainer/metrics.ts";
import type { ProposalRow } from "../trainer/report.ts";
import type { Grid } from "./grids.ts";
import { planGrid, readRunSummary } from "./runner.ts";

/** A row of a run's `proposals.jsonl`, as the trainer writes it. */
export const ProposalRowSchema = z.object({
  step: z.number().int(),
  task: z.string(),
  valid: z.boolean(),
  kind: z.string().optional(),
  programTokens: z.number().int().nonnegative(),
  solveRate: z.number().min(0).max(1).optional(),
  reward: z.number(),
  program: z.string(),
  duplicate: z.boolean().optional(),
});

/** Reads a run's `proposals.jsonl`; a malformed line is an error naming the file and line. */
export async function readProposals(path: string): Promise<ProposalRow[]> {
  const lines = (await Deno.readTextFile(path)).split("\n");
  const rows: ProposalRow[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch (e) {
      throw new Error(`Cannot parse ${path}:${i + 1}: ${(e as Error).message}`);
    }
    const r = ProposalRowSchema.safeParse(data);
    if (!r.success) throw new Error(`Cannot read ${path}:${i + 1}: ${z.prettifyError(r.error)}`);
    rows.push(r.data as ProposalRow);
  });
  return rows;
}

/**
 * Whether a program returns one and the same value on the constant-output gate's probe inputs
 * (run in the interpreter; probes that fail do not count). Undefined when the program cannot
 * be read or no probe runs.
 */
export function isConstantProgram(source: string, bounds: ValueBounds): boolean | undefined {
  const parsed = parseProgram(source);
  if (!parsed.ok) return undefined;
  const run = compileProgram(parsed.tokens);
  const outputs = new Set<string>();
  for (const args of probeInputs(parsed.signature, bounds)) {
    const r = run(args);
    if (r.ok) outputs.add(canonicalValue(r.value as JsonValue)); // in the JSON domain (toDomain)
  }
  return outputs.size === 0 ? undefined : outputs.size === 1;
}

/** Self-play statistics of one task type over a stretch of steps. NaN where nothing was measured. */
export interface SelfPlayStats {
  task: string;
  /** First and last step of the stretch (inclusive). */
  fromStep: number;
  toStep: number;
  proposals: number;
  validRate: number;
  /** Share of valid proposals whose program ignores its input. */
  constantRate: number;
  /** Mean program length (tokens) of valid proposals. */
  programTokens: number;
  dupRate: number;
  /** Learnability rollouts of valid proposals: share never, sometimes, always solved. */
  solvedNever: number;
  solvedSometimes: number;
  solvedAlways: number;
  /** The three most proposed signatures with their shares, e.g. "(int[]) -> int 41%". */
  topSignatures: string[];
  /** Solver accuracy on its own batch, and policy entropy, from metrics.jsonl. */
  solverAcc: number;
  entropy: number;
}

const mean = (xs: readonly number[]) =>
  xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * Splits steps 0..lastStep into `windows` equal stretches and computes, per task type and
 * stretch, the statistics of {@linkcode SelfPlayStats} over the given rows and metrics
 * (which may pool several seeds of one variant).
 */
export function selfPlayStats(
  rows: readonly ProposalRow[],
  metrics: readonly Metrics[],
  opts: { windows: number; lastStep: number; bounds: ValueBounds },
): SelfPlayStats[] {
  const size = Math.max(1, Math.ceil((opts.lastStep + 1) / opts.windows));
  const tasks = [...new Set(rows.map((r) => r.task))].sort();
  const constant = new Map<string, boolean | undefined>();
  const isConstant = (src: string) => {
    if (!constant.has(src)) constant.set(src, isConstantProgram(src, opts.bounds));
    return constant.get(src);
  };
  const out: SelfPlayStats[] = [];
  for (const task of tasks) {
    for (let w = 0; w < opts.windows; w++) {
      const [from, to] = [w * size, Math.min(opts.lastStep, (w + 1) * size - 1)];
      if (from > to) break;
      const inWindow = (step: number) => step >= from && step <= to;
      const all = rows.filter((r) => r.task === task && inWindow(r.step));
      const valid = all.filter((r) => r.valid);
      const rated = valid.flatMap((r) => (r.solveRate === undefined ? [] : [r.solveRate]));
      const checked = valid.map((r) => isConstant(r.program)).filter((c) => c !== undefined);
      const sigCount = new Map<string, number>();
      for (const r of valid) {
        const p = parseProgram(r.program);
        if (p.ok) sigCount.set(p.signature.name, (sigCount.get(p.signature.name) ?? 0) + 1);
      }
      const ms = metrics.filter((m) => inWindow(m.step));
      const metric = (key: string) =>
        mean(ms.flatMap((m) => (typeof m[key] === "number" ? [m[key] as number] : [])));
      out.push({
        task,
        fromStep: from,
        toStep: to,
        proposals: all.length,
        validRate: mean(all.map((r) => (r.valid ? 1 : 0))),
        constantRate: mean(checked.map((c) => (c ? 1 : 0))),
        programTokens: mean(valid.map((r) => r.programTokens)),
        dupRate: mean(all.map((r) => (r.duplicate ? 1 : 0))),
        solvedNever: mean(rated.map((s) => (s === 0 ? 1 : 0))),
        solvedSometimes: mean(rated.map((s) => (s > 0 && s < 1 ? 1 : 0))),
        solvedAlways: mean(rated.map((s) => (s === 1 ? 1 : 0))),
        topSignatures: [...sigCount].sort((a, b) => b[1] - a[1]).slice(0, 3)
          .map(([sig, n]) => `${sig} ${Math.round((100 * n) / valid.length)}%`),
        solverAcc: metric(`acc/solve/${task}`),
        entropy: metric("policy/entropy"),
      });
    }
  }
  return out;
}

/** Per variant of a grid: the self-play statistics of its finished runs, seeds pooled. */
export interface GridSelfPlay {
  grid: string;
  variants: { variant: string; seeds: number; stats: SelfPlayStats[] }[];
}

/** Reads the finished runs of a grid and computes {@linkcode selfPlayStats} per variant. */
export async function gridSelfPlay(
  grid: Grid,
  seeds: number,
  runsDir: string,
  opts: { windows: number; bounds: ValueBounds },
): Promise<GridSelfPlay> {
  const planned = planGrid({ grid, seeds, runsDir });
  const variants: GridSelfPlay["variants"] = [];
  for (const v of grid.variants) {
    const rows: ProposalRow[] = [];
    const metrics: Metrics[] = [];
    let lastStep = -1;
    let done = 0;
    for (const run of planned.filter((r) => r.variant === v.name)) {
      const summary = await readRunSummary(runsDir, run.name);
      if (!summary || summary.step === 0) continue; // unfinished, or never trained
      done++;
      lastStep = Math.max(lastStep, summary.step - 1);
      rows.push(...await readProposals(`${runsDir}/${run.name}/proposals.jsonl`));
      metrics.push(...await readMetrics(`${runsDir}/${run.name}/metrics.jsonl`));
    }
    if (done === 0) continue;
    variants.push({
      variant: v.name,
      seeds: done,
      stats: selfPlayStats(rows.filter((r) => r.step >= 0), metrics, { ...opts, lastStep }),
    });
  }
  return { grid: grid.name, variants };
}

const pct = (x: number) => (Number.isFinite(x) ? `${Math.round(100 * x)}` : "–");

/** A markdown table of {@linkcode GridSelfPlay}: one row per variant, task type and stretch. */
export function selfPlayTable(s: GridSelfPlay): string {
  const head = "| variant | task | steps | valid % | constant % | tokens | dup % | " +
    "never / sometimes / always solved % | solver acc % | entropy | top signatures |";
  const rule = `|${"---|".repeat(11)}`;
  const rows = s.variants.flatMap((v) =>
    v.stats.map((x) =>
      `| ${v.variant} | ${x.task} | ${x.fromStep}–${x.toStep} | ${pct(x.validRate)} | ${
        pct(x.constantRate)
      } | ${Number.isFinite(x.programTokens) ? x.programTokens.toFixed(1) : "–"} | ${
        pct(x.dupRate)
      } | ${pct(x.solvedNever)} / ${pct(x.solvedSometimes)} / ${pct(x.solvedAlways)} | ${
        pct(x.solverAcc)
      } | ${Number.isFinite(x.entropy) ? x.entropy.toFixed(2) : "–"} | ${
        x.topSignatures.join(", ")
      } |`
    )
  );
  return [head, rule, ...rows].join("\n") + "\n";
}

/** Writes `selfplay.json` and `selfplay.md` into `dir`; returns their paths. */
export async function writeSelfPlay(s: GridSelfPlay, dir: string): Promise<string[]> {
  await Deno.mkdir(dir, { recursive: true });
  const md = `# Self-play in grid \`${s.grid}\`\n\nSeeds pooled per variant. "constant": valid ` +
    `programs that return one value on the constant-output gate's probe inputs. ` +
    `"sometimes solved": the only proposals whose learnability reward is non-zero.\n\n` +
    selfPlayTable(s);
  const files: [string, string][] = [
    ["selfplay.json", JSON.stringify(s, null, 2) + "\n"],
    ["selfplay.md", md],
  ];
  for (const [name, text] of files) await Deno.writeTextFile(`${dir}/${name}`, text);
  return files.map(([name]) => `${dir}/${name}`);
}
