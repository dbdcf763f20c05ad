import { readProposals, selfPlayStats, selfPlayTable } from "./lib/ablate/diagnose.ts";
import { readMetrics } from "./lib/trainer/metrics.ts";
const dir = Deno.args[0]!;
const rows = (await readProposals(`${dir}/proposals.jsonl`)).filter((r) => r.step >= 0);
const metrics = await readMetrics(`${dir}/metrics.jsonl`);
const last = Math.max(...rows.map((r) => r.step));
console.log(selfPlayTable({ grid: "x", variants: [{ variant: dir.split("/").at(-1)!, seeds: 1, stats: selfPlayStats(rows, metrics, { windows: Number(Deno.args[1] ?? 3), lastStep: last, bounds: { intMin: -999, intMax: 999, maxListLen: 16 } }) }] }));
