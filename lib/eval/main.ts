/**
 * `deno task eval --checkpoint runs/NAME [--suites data/eval] [--limit N] [--json]`
 *
 * Loads a checkpoint (a run folder's latest, or a checkpoint folder), rebuilds
 * the model from the config stored in it, and prints held-out accuracy per
 * task type and suite (greedy decoding), the enumerative-search baseline's
 * induction score, and the tasks that are not expressible in the language.
 * @module
 */
import { parseArgs as parseCli } from "node:util";
import { ConfigSchema } from "../config.ts";
import { VOCAB_SIZE, vocabHash } from "../lang/vocab.ts";
import { initBackend } from "../model/backend.ts";
import { loadCheckpoint, readCheckpointMeta } from "../model/checkpoint.ts";
import { TransformerPolicy } from "../model/policy.ts";
import { createSandbox } from "../sandbox/mod.ts";
import { latestCheckpoint } from "../trainer/checkpoint.ts";
import { formatChanceTable } from "./baselines.ts";
import { evaluateSuites } from "./evaluate.ts";
import { loadSuites } from "./suite.ts";

if (import.meta.main) {
  const { values } = parseCli({
    args: Deno.args,
    options: {
      checkpoint: { type: "string" },
      suites: { type: "string" },
      limit: { type: "string", default: "0" },
      json: { type: "boolean", default: false },
      backend: { type: "string" },
    },
  });
  if (!values.checkpoint) {
    console.error(
      "Usage: deno task eval --checkpoint runs/NAME [--suites data/eval] [--limit N] [--json]",
    );
    Deno.exit(2);
  }
  const path = (await latestCheckpoint(`${values.checkpoint}/checkpoints`)) ?? values.checkpoint;
  const head = await readCheckpointMeta(path);
  if (!head.ok) {
    console.error(head.message);
    Deno.exit(1);
  }
  const cfg = ConfigSchema.parse(head.meta.config);
  await initBackend((values.backend ?? cfg.backend) as typeof cfg.backend, { log: !values.json });
  const policy = TransformerPolicy.fromConfig(cfg, VOCAB_SIZE);
  const { model } = policy;
  const loaded = await loadCheckpoint(path, { model, vocabHash });
  if (!loaded.ok) {
    console.error(loaded.message);
    Deno.exit(1);
  }
  const suites = Object.values(loadSuites(values.suites ?? cfg.evalSuites, cfg));
  const executor = await createSandbox({
    poolSize: cfg.sandboxPoolSize,
    timeoutMs: cfg.sandboxTimeoutMs,
  });
  try {
    const report = await evaluateSuites(policy, executor, suites, {
      ...cfg,
      greedy: cfg.evalGreedy,
      limit: Number(values.limit),
      seed: cfg.seed,
      searchEvals: cfg.searchMaxEvals,
    });
    if (values.json) {
      console.log(JSON.stringify({ checkpoint: path, step: head.meta.step, ...report }, null, 2));
    } else {
      console.log(`checkpoint ${path} (step ${head.meta.step})`);
      console.table(report.perSuite);
      // Every accuracy as k/n (p%) beside the chance levels of the same tasks.
      const lengths = report.listLength.n > 0 ? { list_length: report.listLength } : undefined;
      console.log(
        formatChanceTable(report.baselines, report.counts, lengths ? { deduction: lengths } : {}),
      );
      console.log(`${report.notExpressible.length} tasks not expressible in the language:`);
      for (const n of report.notExpressible) {
        console.log(`  ${n.suite}/${n.id} (${n.task}): ${n.reason}`);
      }
    }
  } finally {
    await executor.close();
    policy.dispose();
  }
}
