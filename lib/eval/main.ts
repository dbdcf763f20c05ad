/**
 * `deno task eval --checkpoint runs/NAME [--set suites|heldout|train|beyond] [--suites data/eval]
 * [--tasks N] [--limit N] [--bestOf K] [--passAt K] [--json]`
 *
 * Loads a checkpoint (a run folder's latest, or a checkpoint folder), rebuilds
 * the model from the config stored in it, and prints held-out accuracy per
 * task type and suite (greedy decoding) as `k/n (p%)` beside the chance levels of the same
 * tasks and the enumerative search, and the tasks that are not expressible in the language.
 * By default it evaluates as the run's final eval did (the run's `evalLimit` tasks per type and
 * suite, its sandbox limits and decoding), so the two agree; steps are counted as steps done.
 * `--set heldout|train` scores the generator's held-out behaviours or its train split instead
 * (the tasks pre-training evaluates, same seeds), `--set beyond` programs longer than the bank's
 * (self-play's `evalBeyond` set), and `--bestOf K` adds induction as a
 * synthesizer: best-of-K samples beside the enumerative search at K program checks. `--passAt K`
 * samples K answers per task at temperature 1 and prints the sampled accuracy and pass@j beside
 * the greedy accuracy: the room RL's sharpening can collect (with `--json`, per task too, so that
 * `deno task paired` gives the sampled accuracy's paired difference).
 * @module
 */
import { numberFlag, parseFlags, runCli, UsageError } from "../cli.ts";
import { type Config, ConfigSchema, TASK_TYPES } from "../config.ts";
import type { Bank } from "../lang/generate.ts";
import { configSplit, formatOverlap, overlapCounts, suiteOverlap } from "./bank_split.ts";
import { accuracyBySize, EVAL_CLI_SETS, isEvalCliSet, tallyBySize } from "./eval_sets.ts";
import { configBank } from "../trainer/bank_cache.ts";
import type { Executor } from "../sandbox/mod.ts";
import type { InductionRecord, TaskRecord } from "../tasks/records.ts";
import { bankSearchAt, inductionBestOf } from "./best_of.ts";
import {
  headroomRows,
  type PassAtRow,
  sampledCorrect,
  sampledOutcomes,
  type SampledTask,
} from "./pass_at.ts";
import { bufferSeeds } from "../tasks/seed.ts";
import {
  bankSizeShares,
  drawnQuality,
  drawnSizeShares,
  formatSizes,
  proposerQuality,
} from "./proposals.ts";
import { Rng } from "../rng.ts";
import { generatorSet, onlyPrograms } from "./generator_suite.ts";
import { beyondSet } from "./beyond.ts";
import { type EvalSuite, type EvalTask, limitedTasks } from "./suite.ts";
import { evalTaskRecords } from "./task_records.ts";
import { worldVocab } from "../lang/vocab.ts";
import { initBackend } from "../model/backend.ts";
import { latestCheckpoint, loadCheckpoint, readCheckpointMeta } from "../model/checkpoint.ts";
import { TransformerPolicy } from "../model/policy.ts";
import { createSandbox, sandboxOptionsFromConfig } from "../sandbox/mod.ts";
import { formatChanceTable, formatKN, type Tally } from "./baselines.ts";
import { evaluateSuites, type TaskOutcome } from "./evaluate.ts";
import { loadSuites } from "./suite.ts";

const USAGE =
  `Usage: deno task eval --checkpoint runs/NAME [--set S] [--suites PATH] [--tasks N] [--limit N]
                      [--bestOf K] [--passAt K] [--proposals N] [--seedBuffers S] [--overlap]
                      [--backend B] [--json]

  --checkpoint PATH  a run folder (its latest checkpoint) or one checkpoint folder
  --set S            suites (default): the hand-written suites; heldout: the generator's held-out
                     behaviours; train: the generator's train split (trained-on behaviours, fresh
                     inputs) — the sets pre-training evaluates, drawn with the same seeds;
                     beyond: programs longer than the bank's, of behaviours it lacks (evalBeyond)
  --suites PATH      folder or .jsonl file of eval suites (default: the run's evalSuites)
  --tasks N          generator sets: tasks per type (default: the run's pretrainEvalTasks)
  --bestOf K         also induction best-of-K (K samples, the first fitting the shown pairs is
                     scored) beside the enumerative search at K program checks
  --passAt K         also K answers per task sampled at temperature 1 (as self-play's solver
                     samples): the sampled accuracy and pass@1, 2, 4, …, K beside greedy;
                     with --json each task's share of right samples too (sampledOutcomes, which
                     deno task paired pairs as the set 'NAME sampled')
  --search N         the enumerative search's budget per induction task (default: the run's
                     searchMaxEvals; 0 skips the search)
  --proposals N      also N proposals per task type sampled as self-play's seeding stage samples
                     them: valid, constant and distinct shares, program sizes beside the bank's
  --seedBuffers S    what those buffers start from: identity (the paper) or generator (seedTasks
                     tasks per type of the generator's train split); default: the run's
  --programs P       heldout and train: all (default), or lambda: only programs that use a lambda
                     variable (v, i, a: the per-element work of map, filter, reduce; 7% of the
                     bank, so few in the uniform draws)
  --overlap          also where the suites' programs lie in the generator's split for the run's
                     config (as written, by behaviour on the bank's probes): are the suites unseen?
  --limit N          only the first N tasks of each type per suite (default: the run's evalLimit,
                     so the numbers match the run's final eval; 0 = all)
  --backend NAME     tfjs backend: ${
    ConfigSchema.shape.backend.unwrap().options.join(", ")
  } (default: the run's)
  --json             print the report as JSON`;

/** The command: bad input throws a UsageError (one line, exit 2 through runCli). */
async function main(): Promise<void> {
  const { values } = parseFlags(Deno.args, {
    checkpoint: { type: "string" },
    suites: { type: "string" },
    limit: { type: "string" },
    json: { type: "boolean", default: false },
    backend: { type: "string" },
    set: { type: "string", default: "suites" },
    tasks: { type: "string" },
    bestOf: { type: "string" },
    passAt: { type: "string" },
    proposals: { type: "string" },
    seedBuffers: { type: "string" },
    search: { type: "string" },
    overlap: { type: "boolean", default: false },
    programs: { type: "string", default: "all" },
  }, USAGE);
  const set = values.set;
  if (!isEvalCliSet(set)) {
    const names = `${EVAL_CLI_SETS.slice(0, -1).join(", ")} or ${EVAL_CLI_SETS.at(-1)}`;
    throw new UsageError(`--set must be ${names}, got '${set}'`);
  }
  const programs = values.programs;
  if (programs !== "all" && programs !== "lambda") {
    throw new UsageError(`--programs must be all or lambda, got '${programs}'`);
  }
  if (programs === "lambda" && set !== "heldout" && set !== "train") {
    throw new UsageError(`--programs lambda needs --set heldout or train, got --set ${set}`);
  }
  const tasksFlag = numberFlag(values.tasks, "tasks", true);
  const bestOf = numberFlag(values.bestOf, "bestOf", true);
  const passAtK = numberFlag(values.passAt, "passAt", true);
  const nProposals = numberFlag(values.proposals, "proposals", true);
  const searchFlag = numberFlag(values.search, "search", true);
  if (!values.checkpoint) {
    throw new UsageError("Missing --checkpoint runs/NAME (see --help)");
  }
  const limitFlag = numberFlag(values.limit, "limit", true);
  const seedFlag = values.seedBuffers === undefined
    ? undefined
    : ConfigSchema.shape.seedBuffers.safeParse(values.seedBuffers);
  if (seedFlag && !seedFlag.success) {
    throw new UsageError(
      `--seedBuffers must be identity or generator, got '${values.seedBuffers}'`,
    );
  }
  const backend = values.backend === undefined
    ? undefined
    : ConfigSchema.shape.backend.safeParse(values.backend);
  if (backend && !backend.success) {
    throw new UsageError(
      `--backend must be one of ${
        ConfigSchema.shape.backend.unwrap().options.join(", ")
      }, got '${values.backend}'`,
    );
  }
  const path = (await latestCheckpoint(`${values.checkpoint}/checkpoints`)) ?? values.checkpoint;
  const head = await readCheckpointMeta(path);
  if (!head.ok) throw new UsageError(head.message);
  const saved = ConfigSchema.safeParse(head.meta.config);
  if (!saved.success) {
    throw new UsageError(
      `Cannot use checkpoint '${path}': its config does not parse (${
        saved.error.issues[0]?.message ?? "invalid"
      } at '${saved.error.issues[0]?.path.join(".")}')`,
    );
  }
  const cfg = { ...saved.data, ...(seedFlag ? { seedBuffers: seedFlag.data } : {}) };
  // The run's own limit by default: the training's final eval used it, so both agree.
  const limit = limitFlag ?? cfg.evalLimit;
  // Checkpoints store the index of their last step; reports count steps done.
  const steps = head.meta.step + 1;
  await initBackend(backend?.data ?? cfg.backend, { log: !values.json });
  const vocab = worldVocab(cfg);
  const policy = TransformerPolicy.fromConfig(cfg, vocab.size);
  const { model } = policy;
  const loaded = await loadCheckpoint(path, { model, vocabHash: vocab.hash });
  if (!loaded.ok) {
    policy.dispose();
    throw new UsageError(loaded.message);
  }
  const bank = set !== "suites" || bestOf || nProposals || values.overlap
    ? (await configBank(cfg)).bank
    : undefined;
  const split = bank && configSplit(bank, cfg);
  const perType = tasksFlag ?? cfg.pretrainEvalTasks;
  const suites = set === "suites" || !split || !bank
    ? Object.values(loadSuites(values.suites ?? cfg.evalSuites, cfg))
    : set === "beyond"
    ? [beyondSet(bank, perType, cfg)]
    : [
      generatorSet(
        onlyPrograms(split, programs),
        set === "heldout" ? "generator" : "train",
        perType,
        cfg,
      ),
    ];
  const executor = await createSandbox(sandboxOptionsFromConfig(cfg));
  try {
    const report = await evaluateSuites(policy, executor, suites, {
      ...cfg,
      greedy: cfg.evalGreedy,
      limit,
      seed: cfg.seed,
      searchEvals: searchFlag ?? cfg.searchMaxEvals,
    });
    const synth = bestOf && bank
      ? await synthesizerRows(policy, executor, bank, suites, { ...cfg, limit, k: bestOf })
      : undefined;
    const sampled = passAtK
      ? await sampledSet(policy, executor, suites, report.outcomes, {
        ...cfg,
        limit,
        k: passAtK,
      })
      : undefined;
    const headroom = sampled?.rows;
    const proposals = nProposals && bank && split
      ? {
        seedBuffers: cfg.seedBuffers,
        rows: await proposerQuality(policy, executor, new Rng(cfg.seed), {
          ...cfg,
          temperature: cfg.proposeTemperature,
          perType: nProposals,
          seeds: await bufferSeeds(cfg, () => Promise.resolve(split.train)),
        }),
        bankSizes: bankSizeShares(bank),
        drawnSizes: drawnSizeShares(split.train, new Rng(0)),
        drawn: drawnQuality(split.train, new Rng(1), nProposals, cfg),
      }
      : undefined;
    const overlap = values.overlap && bank && split
      ? suiteOverlap(
        bank,
        Object.values(loadSuites(values.suites ?? cfg.evalSuites, cfg)),
        cfg,
        cfg.pretrainHeldOut,
        split.alsoHeldOut,
      )
      : undefined;
    if (values.json) {
      console.log(
        JSON.stringify(
          {
            checkpoint: path,
            step: steps,
            limit,
            set,
            programs,
            ...report,
            bySize: accuracyBySize(report),
            bestOf: synth,
            passAt: headroom,
            sampledOutcomes: sampled?.outcomes,
            proposals,
            overlap: overlap && overlapCounts(overlap),
          },
          null,
          2,
        ),
      );
    } else {
      const tasks = TASK_TYPES.filter((t) => report.counts[t])
        .map((t) => `${report.counts[t]!.n} ${t}`).join(", ");
      console.log(`checkpoint ${path}: after ${steps} steps`);
      if (programs === "lambda") {
        console.log("only programs that use a lambda variable (--programs lambda)");
      }
      console.log(
        `${tasks} queries (induction: tasks); ${
          limit === 0
            ? "every task of the suites"
            : `at most ${limit} per task type and suite (${
              limitFlag === undefined ? "the run's evalLimit, as its final eval" : "--limit"
            }; --limit 0 for all)`
        }`,
      );
      // Every accuracy as k/n (p%): per suite, then beside the chance levels of the same tasks.
      for (const [suite, line] of Object.entries(perSuiteCounts(report.outcomes))) {
        console.log(`  ${suite.padEnd(16)} ${line}`);
      }
      const lengths = report.listLength.n > 0 ? { list_length: report.listLength } : undefined;
      console.log(
        formatChanceTable(report.baselines, report.counts, lengths ? { deduction: lengths } : {}),
      );
      for (const [task, bySize] of Object.entries(countsBySize(report.outcomes))) {
        console.log(`  ${task.padEnd(10)} by program size: ${bySize}`);
      }
      if (synth) {
        console.log(
          `induction as a synthesizer (${synth.bestOf.n} tasks): best-of-${bestOf} ${
            formatKN(synth.bestOf.k, synth.bestOf.n)
          } · search@${bestOf} programs ${formatKN(synth.search.k, synth.search.n)}`,
        );
      }
      if (headroom) {
        console.log(formatHeadroom(headroom, report.counts));
      }
      if (proposals) {
        const pct = (x: number) => (Number.isNaN(x) ? "—" : `${(100 * x).toFixed(1)}%`);
        console.log(`proposals as self-play's seeding stage samples them:`);
        for (const r of proposals.rows) {
          console.log(
            `  ${r.task.padEnd(10)} ${r.n} sampled · valid ${pct(r.valid)} · constant ${
              pct(r.constant)
            } · distinct ${pct(r.distinct)}${
              Object.keys(r.sizes).length ? ` · sizes ${formatSizes(r.sizes)}` : ""
            }`,
          );
        }
        console.log(`  bank sizes ${formatSizes(proposals.bankSizes)}`);
        const d = proposals.drawn;
        console.log(
          `  pre-training draws sizes ${formatSizes(proposals.drawnSizes)} · constant ${
            pct(d.constant)
          } · distinct ${pct(d.distinct)} (sets of ${d.n} draws)`,
        );
      }
      if (overlap) {
        console.log(
          `suite programs in the generator's split (pretrainHeldOut ${cfg.pretrainHeldOut}, pretrainHoldOutSuites ${cfg.pretrainHoldOutSuites}):`,
        );
        for (const line of formatOverlap(overlap)) console.log(`  ${line}`);
      }
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

/** Induction best-of-k and the search at k program checks, on the suites' induction tasks. */
async function synthesizerRows(
  policy: TransformerPolicy,
  executor: Executor,
  bank: Bank,
  suites: readonly EvalSuite[],
  opts: Config & { limit: number; k: number },
): Promise<{ bestOf: Tally; search: Tally }> {
  const records = setRecords(suites, opts).filter((r): r is InductionRecord =>
    r.task === "induction"
  );
  return {
    bestOf: await inductionBestOf(policy, executor, records, { ...opts, seed: opts.seed }),
    search: await bankSearchAt(executor, bank, records, opts.k),
  };
}

/** The set's expressible tasks (at most `limit` per task type and suite) and their query records. */
function setTasks(
  suites: readonly EvalSuite[],
  opts: Config & { limit: number },
): { suite: string; t: EvalTask; records: TaskRecord[] }[] {
  return suites.flatMap((suite) =>
    limitedTasks(suite, opts.limit).flatMap((t) => {
      const records = evalTaskRecords(t, opts);
      return typeof records === "string" ? [] : [{ suite: suite.name, t, records }];
    })
  );
}

/** Every query of the suites (at most `limit` tasks per type and suite). */
function setRecords(
  suites: readonly EvalSuite[],
  opts: Config & { limit: number },
): TaskRecord[] {
  return setTasks(suites, opts).flatMap((e) => e.records);
}

/**
 * K answers per query of the set's tasks at temperature 1: the headroom rows, and per task the
 * share of right samples (outcomes keyed, sized and signed as the greedy eval's, for pairing).
 */
async function sampledSet(
  policy: TransformerPolicy,
  executor: Executor,
  suites: readonly EvalSuite[],
  greedy: readonly TaskOutcome[],
  opts: Config & { limit: number; k: number },
): Promise<{ rows: PassAtRow[]; outcomes: TaskOutcome[] }> {
  const scored = new Map(greedy.map((o) => [`${o.suite}/${o.id}`, o]));
  const records: TaskRecord[] = [];
  const tasks: SampledTask[] = [];
  for (const { suite, t, records: rs } of setTasks(suites, opts)) {
    // Every expressible task has a greedy outcome; its fields key, size and sign the sampled one.
    const key: SampledTask = scored.get(`${suite}/${t.id}`) ?? { suite, id: t.id, task: t.task };
    records.push(...rs);
    tasks.push(...rs.map(() => key));
  }
  const correct = await sampledCorrect(policy, executor, records, opts);
  return {
    rows: headroomRows(records, correct, opts.k),
    outcomes: sampledOutcomes(tasks, correct, opts.k),
  };
}

/** The sampled accuracy and pass@j per task type, beside the greedy accuracy of the same set. */
function formatHeadroom(rows: readonly PassAtRow[], greedy: Record<string, Tally>): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  return [
    `sampled at temperature 1, ${
      rows[0]?.k ?? 0
    } answers per task (pass@j: some of j right; pass@1: a sample's accuracy):`,
    ...rows.map((r) => {
      const g = greedy[r.task];
      return `  ${r.task.padEnd(10)} ${r.n} tasks · greedy ${g ? formatKN(g.k, g.n) : "—"} · ${
        Object.entries(r.passAt).map(([j, p]) => `pass@${j} ${pct(p)}`).join(" · ")
      }`;
    }),
  ].join("\n");
}

/**
 * Per suite: `deduction k/n (p%) · …`, k the summed task scores (each shipped task is one query;
 * induction scores whole tasks), n the tasks.
 */
function perSuiteCounts(outcomes: readonly TaskOutcome[]): Record<string, string> {
  const tally: Record<string, Record<string, { k: number; n: number }>> = {};
  for (const o of outcomes) {
    const c = ((tally[o.suite] ??= {})[o.task] ??= { k: 0, n: 0 });
    c.k += o.score;
    c.n += 1;
  }
  return Object.fromEntries(
    Object.entries(tally).map(([suite, byTask]) => [
      suite,
      TASK_TYPES.filter((t) => byTask[t]).map((t) => `${t} ${formatKN(byTask[t]!.k, byTask[t]!.n)}`)
        .join(" · "),
    ]),
  );
}

if (import.meta.main) await runCli(main);

/** Per task type: `size: k/n` for each program size the outcomes carry. */
function countsBySize(outcomes: readonly TaskOutcome[]): Record<string, string> {
  return Object.fromEntries(
    Object.entries(tallyBySize(outcomes)).map(([task, bySize]) => [
      task,
      Object.entries(bySize).map(([s, c]) => `${s}: ${formatKN(c.k, c.n)}`).join(" · "),
    ]),
  );
}
