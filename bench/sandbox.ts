/**
 * Sandbox throughput, measured side by side in one run on the same programs:
 * (a) the pool with every layer on, (b) one locked-down `deno run` process per program
 * (the naive baseline), (c) a plain in-process call with no isolation (the limit);
 * plus (a) with the determinism check (two runs per job).
 *
 * Usage: deno run -A bench/sandbox.ts [--jobs=N]
 * Writes data/bench/sandbox.json.
 * @module
 */
import { createSandbox, type JsonValue, type SandboxJob } from "../lib/sandbox/mod.ts";

const jobsArg = Deno.args.find((a) => a.startsWith("--jobs="));
const N = jobsArg ? Number(jobsArg.slice(7)) : 6000;
const NAIVE = 30;
const cores = navigator.hardwareConcurrency;

// Programs shaped like the kit's language renders them: [program, args(i)].
const PROGRAMS: [string, (i: number) => JsonValue[]][] = [
  ["function f(xs) { return xs.map((v) => v * 2); }", (i) => [[i, 1, 2, 3]]],
  ["function f(xs) { return xs.filter((v) => v % 2 === 0).length; }", (i) => [[i, 4, 5, 6]]],
  ["function f(xs) { return xs.reduce((a, v) => a + v, 0); }", (i) => [[i, 7, 8]]],
  ["function f(xs) { return [...new Set(xs)]; }", (i) => [[i % 3, 1, 1, 2]]],
  ["function f(xs) { return xs.slice().sort((a, b) => a - b); }", (i) => [[3, i, 1]]],
  ["function f(n) { return Array.from({ length: n }, (_, i) => Math.max(i, 2)); }", (i) => [i % 9]],
  ["function f(xs, k) { return xs.includes(k) ? xs.indexOf(k) : -1; }", (i) => [[1, 2, 3], i % 4]],
  ["function f(a, b) { return Math.abs(Math.trunc(a / (b || 1))); }", (i) => [i, 3]],
];

const jobs: SandboxJob[] = Array.from({ length: N }, (_, i) => {
  const [program, args] = PROGRAMS[i % PROGRAMS.length]!;
  return { program, args: args(i) };
});

/** Jobs per second of `fn` over `n` jobs. */
async function rate(n: number, fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return n / ((performance.now() - t0) / 1000);
}

// (a) the pool, every layer on; one warm-up pass first.
const sb = await createSandbox({ poolSize: cores });
await sb.run(jobs.slice(0, 500));
const pool = await rate(N, async () => {
  const rs = await sb.run(jobs);
  const bad = rs.find((r) => !r.ok);
  if (bad) throw new Error(`bench job failed: ${JSON.stringify(bad)}`);
});
// Every program text distinct: the screen's memo never hits.
const distinct = await rate(
  N,
  () => sb.run(jobs.map((j, i) => ({ ...j, program: `${j.program} // ${i}` }))),
);
const det = await rate(N, () => sb.run(jobs.map((j) => ({ ...j, checkDeterminism: true }))));
await sb.close();

// (b) naive: one locked-down process per program, `cores` at a time.
const dir = await Deno.makeTempDir({ prefix: "azr-bench-" });
const naiveOne = async (i: number): Promise<void> => {
  const job = jobs[i]!;
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
  for (const job of jobs) {
    const f = new Function(`${job.program}\nreturn f;`)() as (...a: unknown[]) => unknown;
    out.push(JSON.stringify(f(...JSON.parse(JSON.stringify(job.args)))));
  }
  return Promise.resolve(out);
});

const rows: [string, number][] = [
  ["(a) pool, every layer on", pool],
  ["(a) pool, every program text distinct", distinct],
  ["(a) pool + determinism check", det],
  ["(b) one `deno run` per program", naive],
  ["(c) plain in-process call", plain],
];
console.log(`Sandbox, ${N} simple jobs, ${cores} cores, pool of ${cores}\n`);
console.log("| executor | jobs/s |\n|---|---:|");
for (const [name, v] of rows) console.log(`| ${name} | ${v.toFixed(0)} |`);
console.log(`\n| ratio | value |\n|---|---:|`);
console.log(`| a / b (pool vs naive) | ${(pool / naive).toFixed(0)}× |`);
console.log(`| c / a (isolation cost) | ${(plain / pool).toFixed(1)}× |`);
console.log(`| a / a+det | ${(pool / det).toFixed(2)}× |`);

const result = {
  date: new Date().toISOString(),
  jobs: N,
  cores,
  jobsPerSec: { pool, poolDistinct: distinct, poolDeterminism: det, naive, plain },
  ratios: { poolOverNaive: pool / naive, plainOverPool: plain / pool, poolOverDet: pool / det },
};
const outUrl = new URL("../data/bench/sandbox.json", import.meta.url);
await Deno.mkdir(new URL(".", outUrl), { recursive: true });
await Deno.writeTextFile(outUrl, JSON.stringify(result, null, 2) + "\n");
