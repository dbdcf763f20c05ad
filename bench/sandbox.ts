/**
 * Sandbox throughput, measured side by side in one run:
 * (a) the pool with every layer on, on four kinds of traffic: a few program texts repeated,
 *     the same with the determinism check, every program text distinct with one input each,
 *     and self-play-like traffic (distinct programs, each run on 1–10 inputs, half of them
 *     with the determinism check), with the default fresh compartment per run; the last two
 *     also with `compartmentReuse: "batch"` (a compartment reused while pristine) for comparison;
 * (b) one locked-down `deno run` process per program (the naive baseline);
 * (c) a plain in-process call with no isolation (the limit).
 *
 * Each pool row is the best of 3 interleaved rounds (other work shares the machine).
 *
 * Usage: deno run -A bench/sandbox.ts [--jobs N] [--quick] [--out FILE]
 * Writes runs/bench/sandbox.json (the committed numbers: `--out data/bench/sandbox.json`).
 * @module
 */
import { createSandbox, type JsonValue, type SandboxJob } from "../lib/sandbox/mod.ts";
import { Rng } from "../lib/rng.ts";
import { benchFlags, progress, writeBenchJson } from "./_cli.ts";

const flags = benchFlags(
  "sandbox",
  "Sandbox jobs/s: the pool on four kinds of traffic, one process per program, in-process calls.",
  { jobs: "jobs per row (default 6000; --quick: 300)" },
);
const N = flags.values.jobs ?? (flags.quick ? 300 : 6000);
const NAIVE = flags.quick ? 4 : 30;
const REPS = flags.quick ? 1 : 3;
const cores = navigator.hardwareConcurrency;

/** Program shapes the kit's language renders; `k` varies a constant so texts differ. */
const TEMPLATES: [(k: number) => string, (i: number) => JsonValue[]][] = [
  [(k) => `function f(xs) { return xs.map((v) => v * ${k}); }`, (i) => [[i, 1, 2, 3]]],
  [(k) => `function f(xs) { return xs.filter((v) => v % ${k} === 0).length; }`, (i) => [[i, 4, 5]]],
  [(k) => `function f(xs) { return xs.reduce((a, v) => a + v, ${k}); }`, (i) => [[i, 7, 8]]],
  [(k) => `function f(xs) { return [...new Set(xs.concat([${k}]))]; }`, (i) => [[i % 3, 1, 1, 2]]],
  [
    (k) => `function f(xs) { return xs.slice(${k % 2}).sort((a, b) => a - b); }`,
    (i) => [[3, i, 1]],
  ],
  [
    (k) => `function f(n) { return Array.from({ length: n }, (_, i) => Math.max(i, ${k})); }`,
    (i) => [i % 9],
  ],
  [
    (k) => `function f(xs, j) { return xs.includes(j) ? xs.indexOf(j) + ${k} : -1; }`,
    (i) => [[1, 2, 3], i % 4],
  ],
  [(k) => `function f(a, b) { return Math.abs(Math.trunc(a / (b || ${k}))); }`, (i) => [i, 3]],
];

/** Job `i` of program number `p` (texts differ whenever `p` differs). */
function jobOf(p: number, i: number, det = false): SandboxJob {
  const [program, args] = TEMPLATES[p % TEMPLATES.length]!;
  const k = 1 + Math.floor(p / TEMPLATES.length);
  return { program: program(k), args: args(i), checkDeterminism: det };
}

const repeated = Array.from({ length: N }, (_, i) => jobOf(i % TEMPLATES.length, i));
const repeatedDet = repeated.map((j) => ({ ...j, checkDeterminism: true }));
/** Every text distinct, one input each; `round` shifts the texts so no round repeats one. */
const distinct = (round: number): SandboxJob[] =>
  Array.from({ length: N }, (_, i) => jobOf(TEMPLATES.length * (1 + round * N) + i, i));
/** Self-play-like: each program's inputs arrive together, as the trainer submits them. */
function selfPlay(round: number): SandboxJob[] {
  const jobs: SandboxJob[] = [];
  const rng = new Rng(3 + round);
  for (let p = TEMPLATES.length * (1 + round * N); jobs.length < N; p++) {
    const inputs = 1 + rng.int(10);
    const det = rng.int(2) === 0;
    for (let i = 0; i < inputs && jobs.length < N; i++) jobs.push(jobOf(p, i, det));
  }
  return jobs;
}
const selfPlayPrograms = new Set(selfPlay(0).map((j) => j.program)).size;

/** Jobs per second of `fn` over `n` jobs. */
async function rate(n: number, fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return n / ((performance.now() - t0) / 1000);
}

// (a) the pool, every layer on; one warm-up pass over each kind of traffic first.
const sb = await createSandbox({ poolSize: cores });
// Warm-up texts differ from every measured one (the rounds use p < 1e7 with the default N).
const warmJobs = [
  ...repeated.slice(0, 2000),
  ...Array.from(
    { length: flags.quick ? 100 : 1000 },
    (_, i) => jobOf(1e7 + Math.floor(i / 3), i, i % 2 === 0),
  ),
];
const warmUp = (x: { run(jobs: SandboxJob[]): Promise<unknown> }) => x.run(warmJobs);
await warmUp(sb);
const poolRate = (jobs: SandboxJob[]) =>
  rate(jobs.length, async () => {
    const rs = await sb.run(jobs);
    const bad = rs.find((r) => !r.ok);
    if (bad) throw new Error(`bench job failed: ${JSON.stringify(bad)}`);
  });

// The same pool reusing a compartment within a batch while its global stays pristine.
const sbFresh = await createSandbox({ poolSize: cores, compartmentReuse: "batch" });
await warmUp(sbFresh);
const freshRate = (jobs: SandboxJob[]) =>
  rate(jobs.length, async () => {
    const rs = await sbFresh.run(jobs);
    const bad = rs.find((r) => !r.ok);
    if (bad) throw new Error(`bench job failed: ${JSON.stringify(bad)}`);
  });
// Best of REPS rounds per row, the rows interleaved, to damp noise from other processes.
let [pool, poolDet, poolDistinct, poolSelfPlay, freshDistinct, freshSelfPlay] = [0, 0, 0, 0, 0, 0];
for (let rep = 0; rep < REPS; rep++) {
  progress("sandbox", `pool rows, round ${rep + 1}/${REPS}`);
  pool = Math.max(pool, await poolRate(repeated));
  poolDet = Math.max(poolDet, await poolRate(repeatedDet));
  poolDistinct = Math.max(poolDistinct, await poolRate(distinct(rep)));
  poolSelfPlay = Math.max(poolSelfPlay, await poolRate(selfPlay(rep)));
  freshDistinct = Math.max(freshDistinct, await freshRate(distinct(rep)));
  freshSelfPlay = Math.max(freshSelfPlay, await freshRate(selfPlay(rep)));
}
await sb.close();
await sbFresh.close();

// (b) naive: one locked-down process per program, `cores` at a time.
progress("sandbox", `one deno process per program (${NAIVE})`);
const dir = await Deno.makeTempDir({ prefix: "azr-bench-" });
const naiveOne = async (i: number): Promise<void> => {
  const job = repeated[i]!;
  const file = `${dir}/p${i}.js`;
  await Deno.writeTextFile(
    file,
    `${job.program}\nconsole.log(JSON.stringify(f(...${JSON.stringify(job.args)})));\n`,
  );
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "--no-remote", "--no-npm", "--no-config", "--quiet", file],
    cwd: dir,
    clearEnv: true,
    env: { DENO_DIR: `${dir}/deno` },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
};
const naive = await rate(NAIVE, async () => {
  let next = 0;
  await Promise.all(Array.from({ length: cores }, async () => {
    while (next < NAIVE) await naiveOne(next++);
  }));
});
await Deno.remove(dir, { recursive: true });

// (c) plain in-process calls, no isolation (args copied through JSON as the pool does).
const plain = await rate(N, () => {
  const out: string[] = [];
  for (const job of repeated) {
    const f = new Function(`${job.program}\nreturn f;`)() as (...a: unknown[]) => unknown;
    out.push(JSON.stringify(f(...JSON.parse(JSON.stringify(job.args)))));
  }
  return Promise.resolve(out);
});

const rows: [string, number][] = [
  ["(a) pool, 8 program texts repeated", pool],
  ["(a) pool, 8 texts repeated + determinism check", poolDet],
  ["(a) pool, every text distinct, 1 input each", poolDistinct],
  [`(a) pool, self-play mix (${selfPlayPrograms} texts × 1–10 inputs, ½ det)`, poolSelfPlay],
  ["(a′) pool + compartment reuse, every text distinct", freshDistinct],
  ["(a′) pool + compartment reuse, self-play mix", freshSelfPlay],
  ["(b) one `deno run` per program", naive],
  ["(c) plain in-process call", plain],
];
console.log(
  `Sandbox, ${N} simple jobs per row (pool rows: best of ${REPS}), ${cores} cores, pool of ${cores}\n`,
);
console.log("| executor | jobs/s |\n|---|---:|");
for (const [name, v] of rows) console.log(`| ${name} | ${v.toFixed(0)} |`);
console.log(`\n| ratio | value |\n|---|---:|`);
console.log(`| a / b, repeated texts (pool vs naive) | ${(pool / naive).toFixed(0)}× |`);
console.log(`| a / b, self-play mix | ${(poolSelfPlay / naive).toFixed(0)}× |`);
console.log(`| a / b, distinct texts | ${(poolDistinct / naive).toFixed(0)}× |`);
console.log(`| reuse / fresh, self-play mix | ${(freshSelfPlay / poolSelfPlay).toFixed(2)}× |`);
console.log(`| reuse / fresh, distinct texts | ${(freshDistinct / poolDistinct).toFixed(2)}× |`);
console.log(`| c / a (isolation cost, repeated texts) | ${(plain / pool).toFixed(1)}× |`);
console.log(`| a / a+det (repeated texts) | ${(pool / poolDet).toFixed(2)}× |`);

const result = {
  date: new Date().toISOString(),
  jobs: N,
  reps: REPS,
  cores,
  selfPlayPrograms,
  jobsPerSec: {
    pool,
    poolDeterminism: poolDet,
    poolDistinct,
    poolSelfPlay,
    poolDistinctReuse: freshDistinct,
    poolSelfPlayReuse: freshSelfPlay,
    naive,
    plain,
  },
  ratios: {
    poolOverNaive: pool / naive,
    selfPlayOverNaive: poolSelfPlay / naive,
    distinctOverNaive: poolDistinct / naive,
    plainOverPool: plain / pool,
    poolOverDet: pool / poolDet,
    reuseSelfPlay: freshSelfPlay / poolSelfPlay,
    reuseDistinct: freshDistinct / poolDistinct,
  },
};
await writeBenchJson(flags.out, flags.quick ? { ...result, quick: true } : result);
