/**
 * What self-play did, read back from runs: per task type and stretch of
 * training, what the proposer proposed (valid rate, share of programs that
 * ignore their input, program size, duplicates, signature mix), how the
 * learnability rollouts went (never / sometimes / always solved: only
 * "sometimes" gives the proposer a non-zero reward), and the solver's
 * accuracy on its own batch and the policy's entropy; and, from each run's
 * `eval.json`, which held-out tasks each variant solves and how varied its
 * greedy answers are. The answers to "why does it (not) learn" start here;
 * `deno task ablate` writes them next to the grid's summary as
 * `selfplay.{json,md}` and `solved.{json,md}`.
 * @module
 */
import { resolveConfig } from "../config.ts";
import { parseProgram } from "../lang/parse.ts";
import type { ValueBounds } from "../lang/types.ts";
import { constantOnProbes } from "../tasks/constant.ts";
import { mean, type Metrics, readMetrics } from "../trainer/metrics.ts";
import {
  type Outcomes,
  type ProposalRow,
  readEvalOutcomes,
  readProposals,
} from "../trainer/run_files.ts";
import type { Grid } from "./grids.ts";
import { planGrid, readCellFile, readCellSummary } from "./cell.ts";
import { writeResultFiles } from "./summary.ts";

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
  /** Mean program length (tokens, the signature token and the body) of valid proposals. */
  programTokens: number;
  /**
   * Share of valid proposals whose body is longer than the base's bank (`bankSize` tokens): the
   * programs pre-training never showed. NaN without a bank size.
   */
  beyondBank: number;
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

/**
 * Splits steps 0..lastStep into `windows` equal stretches and computes, per task type and
 * stretch, the statistics of {@linkcode SelfPlayStats} over the given rows and metrics
 * (which may pool several seeds of one variant).
 */
export function selfPlayStats(
  rows: readonly ProposalRow[],
  metrics: readonly Metrics[],
  opts: { windows: number; lastStep: number; bounds: ValueBounds; bankSize?: number },
): SelfPlayStats[] {
  const size = Math.max(1, Math.ceil((opts.lastStep + 1) / opts.windows));
  const { bankSize } = opts;
  const tasks = [...new Set(rows.map((r) => r.task))].sort();
  // Each distinct program is parsed and probed once, however often it was proposed.
  // constant: undefined when no probe runs.
  const facts = new Map<string, { signature?: string; constant?: boolean | undefined }>();
  const factsOf = (src: string) => {
    let f = facts.get(src);
    if (!f) {
      const p = parseProgram(src);
      f = p.ok
        ? {
          signature: p.signature.name,
          constant: constantOnProbes(p.tokens, p.signature, opts.bounds),
        }
        : {};
      facts.set(src, f);
    }
    return f;
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
      const checked = valid.map((r) => factsOf(r.program).constant).filter((c) => c !== undefined);
      const sigCount = new Map<string, number>();
      for (const r of valid) {
        const sig = factsOf(r.program).signature;
        if (sig) sigCount.set(sig, (sigCount.get(sig) ?? 0) + 1);
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
        // programTokens counts the signature token; a bank size counts the body.
        beyondBank: bankSize === undefined
          ? NaN
          : mean(valid.map((r) => (r.programTokens - 1 > bankSize ? 1 : 0))),
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

/**
 * Reads the finished runs of a grid and computes {@linkcode selfPlayStats} per variant, with the
 * value bounds of the variant's own config (they decide the probe inputs).
 */
export async function gridSelfPlay(
  grid: Grid,
  seeds: number,
  runsDir: string,
  opts: { windows: number },
): Promise<GridSelfPlay> {
  const planned = planGrid({ grid, seeds, runsDir });
  const variants: GridSelfPlay["variants"] = [];
  for (const v of grid.variants) {
    const rows: ProposalRow[] = [];
    const metrics: Metrics[] = [];
    let lastStep = -1;
    let done = 0;
    // Pre-training cells propose nothing.
    for (const run of planned.filter((r) => r.variant === v.name && r.command === "train")) {
      const summary = await readCellSummary(run);
      if (!summary || summary.step === 0) continue; // unfinished, or never trained
      done++;
      lastStep = Math.max(lastStep, summary.step - 1);
      // A loop, not push(...): a long run logs 10⁵+ rows, more than a call's arguments can hold.
      for (const r of await readCellFile(run, () => readProposals(`${run.dir}/proposals.jsonl`))) {
        rows.push(r);
      }
      for (const m of await readCellFile(run, () => readMetrics(`${run.dir}/metrics.jsonl`))) {
        metrics.push(m);
      }
    }
    if (done === 0) continue;
    const cfg = resolveConfig({ preset: grid.preset, overrides: { ...grid.base, ...v.overrides } });
    variants.push({
      variant: v.name,
      seeds: done,
      stats: selfPlayStats(rows.filter((r) => r.step >= 0), metrics, {
        windows: opts.windows,
        lastStep,
        bounds: cfg,
        bankSize: cfg.pretrainMaxSize,
      }),
    });
  }
  return { grid: grid.name, variants };
}

const pct = (x: number) => (Number.isFinite(x) ? `${Math.round(100 * x)}` : "–");

/** A markdown table of {@linkcode GridSelfPlay}: one row per variant, task type and stretch. */
export function selfPlayTable(s: GridSelfPlay): string {
  const head = "| variant | task | steps | valid % | constant % | tokens | > bank % | dup % | " +
    "never / sometimes / always solved % | solver acc % | entropy | top signatures |";
  const rule = `|${"---|".repeat(12)}`;
  const rows = s.variants.flatMap((v) =>
    v.stats.map((x) =>
      `| ${v.variant} | ${x.task} | ${x.fromStep}–${x.toStep} | ${pct(x.validRate)} | ${
        pct(x.constantRate)
      } | ${Number.isFinite(x.programTokens) ? x.programTokens.toFixed(1) : "–"} | ${
        pct(x.beyondBank)
      } | ${pct(x.dupRate)} | ${pct(x.solvedNever)} / ${pct(x.solvedSometimes)} / ${
        pct(x.solvedAlways)
      } | ${pct(x.solverAcc)} | ${Number.isFinite(x.entropy) ? x.entropy.toFixed(2) : "–"} | ${
        x.topSignatures.join(", ")
      } |`
    )
  );
  return [head, rule, ...rows].join("\n") + "\n";
}

/** Writes `selfplay.json` and `selfplay.md` into `dir`; returns their paths. */
export async function writeSelfPlay(s: GridSelfPlay, dir: string): Promise<string[]> {
  const md = `# Self-play in grid \`${s.grid}\`\n\nSeeds pooled per variant. "constant": valid ` +
    `programs that return one value on the constant-output gate's probe inputs. "tokens": the ` +
    `signature token and the body; "> bank": bodies longer than the base's bank (pretrainMaxSize). ` +
    `"sometimes solved": the only proposals whose learnability reward is non-zero.\n\n` +
    selfPlayTable(s);
  const files: [string, string][] = [
    ["selfplay.json", JSON.stringify(s, null, 2) + "\n"],
    ["selfplay.md", md],
  ];
  return await writeResultFiles(dir, files);
}

/**
 * Which held-out tasks each variant solves, and how varied its greedy answers are: the check
 * that a gain is skill rather than one answer that happens to be right (e.g. always `true`).
 */
export interface GridSolved {
  grid: string;
  /** Variants with their number of runs that have an `eval.json`. */
  variants: { variant: string; seeds: number }[];
  /** Every held-out task solved (score 1) by some run: per variant, in how many of its seeds. */
  solved: { suite: string; id: string; task: string; seeds: Record<string, number> }[];
  /** Per variant and task type: distinct answers over all seeds' tasks, and the commonest one. */
  answers: {
    variant: string;
    task: string;
    tasks: number;
    distinct: number;
    top: string;
    topShare: number;
  }[];
}

/** Reads the `eval.json` of a grid's finished runs into a {@linkcode GridSolved}. */
export async function gridSolved(grid: Grid, seeds: number, runsDir: string): Promise<GridSolved> {
  const planned = planGrid({ grid, seeds, runsDir });
  const out: GridSolved = { grid: grid.name, variants: [], solved: [], answers: [] };
  const solved = new Map<string, GridSolved["solved"][number]>();
  for (const v of grid.variants) {
    const evals: Outcomes[] = [];
    for (const run of planned.filter((r) => r.variant === v.name)) {
      if (!(await readCellSummary(run))) continue;
      const e = await readCellFile(run, () => readEvalOutcomes(`${run.dir}/eval.json`));
      if (e?.suite) evals.push(e.suite);
    }
    if (evals.length === 0) continue;
    out.variants.push({ variant: v.name, seeds: evals.length });
    const all = evals.flat();
    for (const o of all.filter((o) => o.score === 1)) {
      const key = `${o.suite}/${o.id}`;
      const row = solved.get(key) ?? { suite: o.suite, id: o.id, task: o.task, seeds: {} };
      row.seeds[v.name] = (row.seeds[v.name] ?? 0) + 1;
      solved.set(key, row);
    }
    for (const task of [...new Set(all.map((o) => o.task))].sort()) {
      const answers = all.filter((o) => o.task === task).map((o) => o.answer);
      const counts = new Map<string, number>();
      for (const a of answers) counts.set(a, (counts.get(a) ?? 0) + 1);
      const [top, n] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
      out.answers.push({
        variant: v.name,
        task,
        tasks: answers.length,
        distinct: counts.size,
        top,
        topShare: n / answers.length,
      });
    }
  }
  out.solved = [...solved.values()].sort((a, b) =>
    a.task.localeCompare(b.task) || a.id.localeCompare(b.id)
  );
  return out;
}

/** Markdown: the solved-task matrix and the answer-diversity table. */
export function solvedTable(s: GridSolved): string {
  const names = s.variants.map((v) => v.variant);
  const short = (a: string) => (a.length > 40 ? `${a.slice(0, 37)}…` : a).replaceAll("|", "\\|");
  const solved = [
    `| task | type | ${
      names.map((n) => `${n} (of ${s.variants.find((v) => v.variant === n)!.seeds})`).join(" | ")
    } |`,
    `|${"---|".repeat(names.length + 2)}`,
    ...s.solved.map((r) =>
      `| ${r.id} | ${r.task} | ${names.map((n) => r.seeds[n] ?? 0).join(" | ")} |`
    ),
  ];
  const answers = [
    "| variant | type | answers | distinct | commonest answer | its share |",
    "|---|---|---|---|---|---|",
    ...s.answers.map((a) =>
      `| ${a.variant} | ${a.task} | ${a.tasks} | ${a.distinct} | \`${short(a.top)}\` | ${
        Math.round(100 * a.topShare)
      }% |`
    ),
  ];
  return `Held-out tasks solved (score 1) by at least one run; each cell: seeds that solve it.\n\n${
    solved.join("\n")
  }\n\nGreedy answers over all seeds' held-out tasks: how many differ, and the commonest.\n\n${
    answers.join("\n")
  }\n`;
}

/** Writes `solved.json` and `solved.md` into `dir`; returns their paths. */
export async function writeSolved(s: GridSolved, dir: string): Promise<string[]> {
  const files: [string, string][] = [
    ["solved.json", JSON.stringify(s, null, 2) + "\n"],
    ["solved.md", `# Held-out tasks in grid \`${s.grid}\`\n\n${solvedTable(s)}`],
  ];
  return await writeResultFiles(dir, files);
}
