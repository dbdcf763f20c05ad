/**
 * Benchmarks of the program language, measured side by side in one run:
 * constrained decoding cost per token (`allowed` + `advance`, against a plain scan of the
 * mask that any sampler does anyway), interpreter executions per second (against the
 * rendered JS compiled once with `new Function` in-process), and enumerative search
 * candidates per second. Prints a markdown table; writes `runs/bench/lang.json` (the committed
 * numbers: `--out data/bench/lang.json`).
 *
 * Usage: deno run -A bench/lang.ts [--quick] [--out FILE]
 * @module
 */
import {
  compileProgram,
  enumerativeSearch,
  programConstraint,
  programSignature,
  renderProgram,
  sampleArgs,
  sampleProgram,
  signatureByName,
  valueConstraint,
} from "../lib/lang/mod.ts";
import { Rng } from "../lib/rng.ts";
import { benchFlags, progress, writeBenchJson } from "./_cli.ts";

const flags = benchFlags(
  "lang",
  "Constrained decoding per token, interpreter and enumerative-search throughput.",
);
/** Work per measurement: a tenth of it with --quick. */
const SCALE = flags.quick ? 0.1 : 1;

const BOUNDS = { intMin: -999, intMax: 999, maxListLen: 16 };

function time(fn: () => number): { ms: number; units: number } {
  const t0 = performance.now();
  const units = fn();
  return { ms: performance.now() - t0, units };
}

// ── decoding: allowed() + advance() per token, vs scanning the mask once ────
const decode = (kind: "program" | "value") => {
  const make = () =>
    kind === "program"
      ? programConstraint({ budget: 24 })
      : valueConstraint("int[]", { ...BOUNDS, budget: 40 });
  // Record sequences first, then time only the replay: allowed() + advance() per token.
  const rng = new Rng(1);
  const seqs = Array.from({ length: 20_000 * SCALE }, () => {
    const c = make();
    const seq: number[] = [];
    while (!c.done()) {
      const m = c.allowed();
      let t = rng.nextU32() % m.length;
      while (m[t] !== 1) t = t + 1 === m.length ? 0 : t + 1;
      c.advance(t);
      seq.push(t);
    }
    return seq;
  });
  return time(() => {
    let tokens = 0;
    let check = 0;
    for (const seq of seqs) {
      const c = make();
      for (const t of seq) {
        check += c.allowed()[t]!;
        c.advance(t);
        tokens++;
      }
    }
    return check === tokens ? tokens : 0;
  });
};
const scan = time(() => {
  const m = programConstraint({ budget: 24 }).allowed();
  let s = 0;
  for (let n = 0; n < 200_000 * SCALE; n++) for (let t = 0; t < m.length; t++) s += m[t]!;
  return s > 0 ? 200_000 * SCALE : 0;
});
progress("lang", "decoding programs");
const prog = decode("program");
progress("lang", "decoding values");
const value = decode("value");
progress("lang", "interpreter vs rendered JS");

// ── interpreter vs compiled rendered JS ──────────────────────────────────────
const rng = new Rng(2);
const cases = Array.from({ length: 2000 * SCALE }, () => {
  const tokens = sampleProgram(rng, { budget: 16 });
  return { tokens, args: sampleArgs(rng, programSignature(tokens), BOUNDS) };
});
const REPS = 20;
const interp = time(() => {
  const fns = cases.map((c) => compileProgram(c.tokens));
  for (let r = 0; r < REPS; r++) cases.forEach((c, k) => fns[k]!(c.args));
  return cases.length * REPS;
});
const native = time(() => {
  const fns = cases.map((c) =>
    new Function(`${renderProgram(c.tokens)}\nreturn f;`)() as (...a: unknown[]) => unknown
  );
  for (let r = 0; r < REPS; r++) {
    cases.forEach((c, k) => {
      try {
        fns[k]!(...c.args.map((a) => (Array.isArray(a) ? a.slice() : a)));
      } catch { /* errors count as executions */ }
    });
  }
  return cases.length * REPS;
});

// ── enumerative search ───────────────────────────────────────────────────────
progress("lang", "enumerative search");
const search = time(() =>
  enumerativeSearch({
    signature: signatureByName("(int[]) -> int[]")!,
    examples: [{ input: [[1, 2, 3, 4]], output: [2, 4] }, {
      input: [[5, -2, 6, 7]],
      output: [-2, 6],
    }],
    maxEvals: 300_000 * SCALE,
  }).evals
);

const perSec = (x: { ms: number; units: number }) => (x.units / x.ms) * 1000;
const nsPer = (x: { ms: number; units: number }) => (x.ms * 1e6) / x.units;
const rows = {
  "decode/program_ns_per_token": nsPer(prog),
  "decode/value_ns_per_token": nsPer(value),
  "decode/mask_scan_ns": nsPer(scan),
  "interp/execs_per_s": perSec(interp),
  "interp/native_execs_per_s": perSec(native),
  "search/candidates_per_s": perSec(search),
};
console.log("| measure | value | ratio |");
console.log("|---|---:|---|");
console.log(
  `| program allowed+advance per token | ${rows["decode/program_ns_per_token"].toFixed(0)} ns | ${
    (rows["decode/program_ns_per_token"] / rows["decode/mask_scan_ns"]).toFixed(2)
  }× one scan of the mask |`,
);
console.log(
  `| value allowed+advance per token | ${rows["decode/value_ns_per_token"].toFixed(0)} ns | ${
    (rows["decode/value_ns_per_token"] / rows["decode/mask_scan_ns"]).toFixed(2)
  }× one scan of the mask |`,
);
console.log(
  `| one scan of a ${VOCAB()}-token mask | ${rows["decode/mask_scan_ns"].toFixed(0)} ns | 1× |`,
);
console.log(
  `| interpreter executions/s | ${rows["interp/execs_per_s"].toFixed(0)} | ${
    (rows["interp/execs_per_s"] / rows["interp/native_execs_per_s"]).toFixed(2)
  }× rendered JS via new Function |`,
);
console.log(
  `| rendered JS (new Function) executions/s | ${
    rows["interp/native_execs_per_s"].toFixed(0)
  } | 1× |`,
);
console.log(
  `| enumerative search candidates/s | ${rows["search/candidates_per_s"].toFixed(0)} | — |`,
);

function VOCAB(): number {
  return programConstraint({ budget: 24 }).allowed().length;
}

await writeBenchJson(flags.out, {
  date: new Date().toISOString(),
  ...(flags.quick ? { quick: true } : {}),
  ...rows,
});
