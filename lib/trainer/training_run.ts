/**
 * One run's lifecycle, shared by every training loop (self-play's `train`, `pretrain`, and
 * whatever trains next), so that each loop holds only its step:
 *
 * - **open**: the run folder (new, `overwrite`, or `resume` with the saved config), the
 *   backend, the policy and the sandbox;
 * - **resume**: weights, optimizer, RNG and elapsed time from the newest checkpoint that loads,
 *   the loop's JSONL logs cut back to its step; a run without a checkpoint starts over (its
 *   files cleared, so no log holds a step twice);
 * - **budget**: `maxMinutes` of the run's own, counted across resumes;
 * - **checkpoints**: every `checkpointEvery` steps, every `checkpointMinutes`, and the last
 *   finished step whether the run ends on its step count, its budget or a stop;
 * - **stop**: one mechanism, an `AbortSignal`; the loop checks {@linkcode TrainingRun.stopping}
 *   between stages and ends with {@linkcode RunStopped};
 * - **final files**: `eval.json`, then `summary.json` (its presence marks a finished run), then
 *   `report.html`;
 * - **cleanup**: the sandbox closed and the weights freed (`await using`).
 * @module
 */
import type { Config } from "../config.ts";
import { worldVocab } from "../lang/vocab.ts";
import { initBackend } from "../model/backend.ts";
import { TransformerPolicy } from "../model/policy.ts";
import { Rng } from "../rng.ts";
import { createSandbox, type Executor, sandboxOptionsFromConfig } from "../sandbox/mod.ts";
import { type Restored, restoreNewest, saveTrainer } from "./checkpoint.ts";
import { loadBase } from "./init.ts";
import { clearRun, openRunDir, RunError, truncateJsonl, writeAtomic } from "./run_dir.ts";
import type { RunPaths } from "./run_files.ts";
import { writeRunReport } from "./run_report.ts";

/** How a training loop opens its run, and what it may be told while it runs; all optional. */
export interface RunOptions {
  /**
   * Continue the run from its newest checkpoint that loads (a run without one starts over
   * with its saved config).
   */
  resume?: boolean;
  /** Continue the run from this checkpoint folder of it (implies `resume`). */
  from?: string;
  /** Replace an existing run of the same name instead of refusing to start. */
  overwrite?: boolean;
  /**
   * On resume, the config keys given explicitly (the command line's): only these override the
   * saved config. Default: every key of the config passed in.
   */
  explicitKeys?: readonly string[];
  /**
   * Stops the run between stages: the last finished step is checkpointed, the report written,
   * and the loop rejects with {@linkcode RunStopped}.
   */
  signal?: AbortSignal;
  /** One-line messages (backend, resume, eval). */
  log?: (line: string) => void;
  /** One-line warnings (a checkpoint skipped); default: stderr. */
  warn?: (line: string) => void;
  /**
   * Called once the run is open and the loop set up, with the first step to run, the config the run uses (a
   * resumed run's saved one) and the wall-clock seconds it has used before.
   */
  onStart?: (step: number, run: { config: Config; elapsedS: number }) => void;
}

/** What a loop tells the lifecycle about itself. */
export interface LoopSpec {
  /** The steps the run lasts, from the config it runs with (a resumed run's saved one). */
  steps: (cfg: Config) => number;
  /** The optimizer's initial learning rate (default: `cfg.lr`). */
  lr?: (cfg: Config) => number;
  /** The JSONL logs cut back to the checkpoint's step on resume, besides `metrics.jsonl`. */
  logs?: (paths: RunPaths) => string[];
}

/** How a loop ends when its `signal` aborts: after the checkpoint and the report. */
export class RunStopped extends Error {
  override name = "RunStopped";
  constructor(
    /** Steps finished (the next run step is this one). */
    readonly step: number,
    /** The checkpoint to resume from, or undefined when no step finished. */
    readonly checkpoint: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** An open run: its config, folder, policy and sandbox, its budget and its checkpoints. */
export class TrainingRun implements AsyncDisposable {
  /** The newest checkpoint; the `checkpointMinutes` cadence counts from its time. */
  #last: { step: number; at: number; path?: string } = { step: -1, at: performance.now() };

  private constructor(
    /** The config the run uses (a resumed run's saved one, with the keys given again). */
    readonly cfg: Config,
    readonly paths: RunPaths,
    /** The world's vocabulary: its size and the hash checkpoints record. */
    readonly vocab: { size: number; hash: string },
    readonly policy: TransformerPolicy,
    readonly executor: Executor,
    /** The steps the run lasts. */
    readonly steps: number,
    /** `performance.now()` the run started at, moved back by a resumed run's elapsed time. */
    private started: number,
    private readonly opts: RunOptions,
  ) {}

  /** The checkpoint the run resumed from (undefined: it starts at step 0). */
  restored: Restored | undefined;
  /** The first step to run: 0, or the one after the restored checkpoint's. */
  firstStep = 0;
  /** The run's RNG: seeded from the config, or the restored checkpoint's state. */
  rng!: Rng;

  /** Opens (or resumes) the run folder and starts the backend, the policy and the sandbox. */
  static async open(config: Config, opts: RunOptions, loop: LoopSpec): Promise<TrainingRun> {
    const resuming = opts.resume === true || opts.from !== undefined;
    if (resuming && opts.overwrite) {
      throw new RunError("Pass either --resume (or --from) or --overwrite, not both");
    }
    const log = opts.log ?? (() => {});
    const started = performance.now();
    const { cfg, paths } = await openRunDir(config, {
      mode: resuming ? "resume" : opts.overwrite ? "overwrite" : "new",
      ...(opts.explicitKeys ? { explicitKeys: opts.explicitKeys } : {}),
    });
    const backend = await initBackend(cfg.backend, { log: false });
    log(`backend: ${backend.name} (${backend.reason})`);
    const vocab = worldVocab(cfg);
    const policy = TransformerPolicy.fromConfig(
      { ...cfg, lr: loop.lr?.(cfg) ?? cfg.lr },
      vocab.size,
    );
    let executor: Executor;
    try {
      executor = await createSandbox(sandboxOptionsFromConfig(cfg));
    } catch (e) {
      policy.dispose();
      throw e;
    }
    const run = new TrainingRun(
      cfg,
      paths,
      vocab,
      policy,
      executor,
      loop.steps(cfg),
      started,
      opts,
    );
    try {
      await run.#resume(resuming, loop);
    } catch (e) {
      await run[Symbol.asyncDispose]();
      throw e;
    }
    return run;
  }

  async #resume(resuming: boolean, loop: LoopSpec): Promise<void> {
    const { paths, policy: { model, optimizer } } = this;
    this.rng = new Rng(this.cfg.seed);
    if (!resuming) return;
    const r = await restoreNewest(paths.checkpoints, {
      model,
      optimizer,
      vocabHash: this.vocab.hash,
    }, {
      ...(this.opts.from !== undefined ? { from: this.opts.from } : {}),
      warn: this.opts.warn ?? ((line) => console.error(line)),
    });
    if (!r) {
      // Nothing to continue from: what the run wrote before goes, or its logs would hold
      // steps 0, 1, … twice.
      this.#log(
        `no checkpoint in ${paths.checkpoints}: starting '${this.cfg.name}' over from step 0`,
      );
      await clearRun(paths, { keepConfig: true });
      await Deno.mkdir(paths.buffers, { recursive: true });
      await Deno.mkdir(paths.checkpoints, { recursive: true });
      return;
    }
    this.restored = r;
    this.rng = Rng.fromState(r.rngState);
    this.firstStep = r.step + 1;
    this.started -= r.elapsedS * 1000;
    this.#last = { step: r.step, at: performance.now(), path: r.path };
    for (const path of [paths.metrics, ...(loop.logs?.(paths) ?? [])]) {
      await truncateJsonl(path, r.step);
    }
    this.#log(`resumed '${this.cfg.name}' after step ${r.step} from ${r.path}`);
  }

  /**
   * Announces the start to `onStart`, once the loop's own setup is done (so that a setup error
   * comes before any progress display), and returns the first step to run.
   */
  begin(): number {
    this.opts.onStart?.(this.firstStep, { config: this.cfg, elapsedS: this.elapsedS });
    return this.firstStep;
  }

  #log(line: string): void {
    this.opts.log?.(line);
  }

  /**
   * A fresh run's weights: a base model's (`from`: a checkpoint or run folder, in this world and
   * at these model sizes; self-play's config `init`, pre-training's `pretrainInit`), or the
   * seeded random init (`scratch`). Not on resume, where the checkpoint's weights are the run's.
   */
  async initWeights(from: string): Promise<void> {
    const { cfg, policy, vocab } = this;
    if (from === "scratch" || this.restored) return;
    const base = await loadBase(from, { model: policy.model, cfg, vocabHash: vocab.hash });
    this.#log(`initial weights: ${base.path} (pre-trained for ${base.step + 1} steps)`);
    if (base.pretrainMaxSize !== undefined && base.pretrainMaxSize !== cfg.pretrainMaxSize) {
      // Not an error: a run may score a larger bank on purpose. But the generator's sets and
      // replayed tasks then are not the base's own held-out set and teaching.
      this.#log(
        `note: the base was taught programs of up to ${base.pretrainMaxSize} tokens, this run's generator bank has up to ${cfg.pretrainMaxSize} (--pretrainMaxSize=${base.pretrainMaxSize} scores and replays the base's own)`,
      );
    }
  }

  /** Wall-clock seconds the run has used, across resumes. */
  get elapsedS(): number {
    return (performance.now() - this.started) / 1000;
  }

  /** Whether the signal asked the run to stop. */
  get stopping(): boolean {
    return this.opts.signal?.aborted === true;
  }

  /** Whether the run's own budget (`maxMinutes`, a resumed run's saved one unless given again) is spent. */
  timeUp(): boolean {
    return this.cfg.maxMinutes > 0 && this.elapsedS > this.cfg.maxMinutes * 60;
  }

  /** Whether step `step` should run: within the step count and the budget, and not stopped. */
  continues(step: number): boolean {
    return step < this.steps && !this.timeUp() && !this.stopping;
  }

  /**
   * After step `step` finished and was logged: a checkpoint every `checkpointEvery` steps, once
   * `checkpointMinutes` passed, and at the run's last step (its step count, its budget or a stop).
   */
  async stepDone(step: number): Promise<void> {
    const { cfg } = this;
    const minutesDue = cfg.checkpointMinutes > 0 &&
      performance.now() - this.#last.at >= cfg.checkpointMinutes * 60_000;
    if (
      (step + 1) % cfg.checkpointEvery === 0 || step + 1 === this.steps || this.timeUp() ||
      minutesDue || this.stopping
    ) {
      await this.checkpoint(step, this.rng);
    }
  }

  /**
   * Once the loop ended before step `next`: checkpoints the last finished step unless it is
   * already, with `rng` the state step `next` starts from (a step a stop dropped is redone from
   * the state it started with).
   */
  async end(next: number, rng: Rng = this.rng): Promise<void> {
    if (next - 1 > this.#last.step) await this.checkpoint(next - 1, rng);
  }

  /** Saves weights, optimizer, `rng` and the elapsed time after `step` (atomic). */
  async checkpoint(step: number, rng: Rng): Promise<void> {
    const { policy: { model, optimizer }, cfg, vocab } = this;
    const path = await saveTrainer(this.paths.checkpoints, {
      model,
      optimizer,
      config: cfg,
      vocabHash: vocab.hash,
      step,
      rng,
      elapsedS: this.elapsedS,
    });
    this.#last = { step, at: performance.now(), path };
  }

  /** Writes `report.html` from the run folder's files; returns its path. */
  async writeReport(): Promise<string> {
    return await writeRunReport(this.paths.dir);
  }

  /**
   * The final files: `eval.json` (task by task) first, `summary.json` (its presence marks a
   * finished run) after everything else, then the report from them.
   */
  async writeFinal(evalFinal: unknown, summary: unknown): Promise<void> {
    await writeAtomic(this.paths.evalFinal, JSON.stringify(evalFinal, null, 2) + "\n");
    await writeAtomic(this.paths.summary, JSON.stringify(summary, null, 2) + "\n");
    await this.writeReport();
  }

  /** The error a stopped loop ends with, after `steps` finished steps (`dropped`: one cut short). */
  stopped(steps: number, dropped = false): RunStopped {
    const ckpt = this.#last.step >= 0 ? this.#last.path : undefined;
    return new RunStopped(
      steps,
      ckpt,
      `Stopped${dropped ? ` during step ${steps + 1}` : ""} after ${steps} of ${this.steps} steps${
        ckpt ? `; checkpoint ${ckpt}` : " (no step finished: no checkpoint)"
      }; report ${this.paths.report}; --name ${this.cfg.name} --resume continues it`,
    );
  }

  /** Closes the sandbox and frees the weights. */
  async [Symbol.asyncDispose](): Promise<void> {
    try {
      await this.executor.close();
    } finally {
      this.policy.dispose();
    }
  }
}
