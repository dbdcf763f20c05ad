/**
 * `createSandbox`: a pool of persistent locked-down child processes that runs batches of
 * jobs, enforces time and memory limits, and never throws for anything a program does.
 * @module
 */
import type { ChildJob, ChildReply } from "./child_main.ts";
import { type ChildExit, type ChildSpec, findPrlimit, SandboxChild } from "./child_process.ts";
import { writeChildEntry } from "./child_entry.ts";
import { SANDBOX_DEFAULTS } from "./options.ts";
import { screenProgram, type ScreenResult } from "./screen.ts";
import type {
  Executor,
  JsonValue,
  SandboxErrorKind,
  SandboxJob,
  SandboxOptions,
  SandboxResult,
} from "./types.ts";
import { checkJsonValue } from "./value_domain.ts";

/** Headroom for the child's own V8 and Deno runtime under the hard data limit, in MiB. */
const RUNTIME_HEADROOM_MB = 600;

/** Programs whose screen verdict is remembered (the map is cleared when full). */
const SCREEN_CACHE_SIZE = 10_000;

const KINDS: ReadonlySet<string> = new Set<SandboxErrorKind>([
  "syntax",
  "banned",
  "error",
  "timeout",
  "memory",
  "output_too_large",
  "invalid_value",
  "nondeterministic",
  "crashed",
]);

/** A job waiting for, or running in, a child. */
interface Pending {
  job: ChildJob;
  /** True once the static screen has passed it (screening waits until `#pump`). */
  screened: boolean;
  /** Limit for this job in ms (doubled when it runs twice). */
  limitMs: number;
  resolve: (r: SandboxResult) => void;
}

/** One pool slot: at most one live child and the batch it is running. */
interface Slot {
  child: SandboxChild | undefined;
  inflight: Pending[];
  /** performance.now() of the last reply (or of the send), in ms. */
  progressAt: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** The start in progress, if any. */
  spawning: Promise<void> | undefined;
}

/** Options with every default filled in. */
type Resolved = Required<SandboxOptions>;

function resolveOptions(o: SandboxOptions): Resolved {
  const poolSize = o.poolSize && o.poolSize > 0 ? o.poolSize : navigator.hardwareConcurrency;
  const r: Resolved = {
    poolSize,
    timeoutMs: o.timeoutMs ?? SANDBOX_DEFAULTS.timeoutMs,
    memoryMb: o.memoryMb ?? SANDBOX_DEFAULTS.memoryMb,
    outputCap: o.outputCap ?? SANDBOX_DEFAULTS.outputCap,
    batchSize: o.batchSize ?? SANDBOX_DEFAULTS.batchSize,
    maxDepth: o.maxDepth ?? SANDBOX_DEFAULTS.maxDepth,
    consoleCap: o.consoleCap ?? SANDBOX_DEFAULTS.consoleCap,
    screen: o.screen ?? SANDBOX_DEFAULTS.screen,
    compartmentReuse: o.compartmentReuse ?? SANDBOX_DEFAULTS.compartmentReuse,
  };
  if (!["none", "program", "batch"].includes(r.compartmentReuse)) {
    throw new Error(
      `Cannot create sandbox: 'compartmentReuse' must be "none", "program" or "batch", ` +
        `got ${JSON.stringify(r.compartmentReuse)}`,
    );
  }
  const positive = [
    "poolSize",
    "timeoutMs",
    "memoryMb",
    "outputCap",
    "batchSize",
    "maxDepth",
    "consoleCap",
  ];
  for (const key of positive) {
    const v = r[key as keyof Resolved] as number;
    if (!Number.isInteger(v) || v <= 0) {
      throw new Error(`Cannot create sandbox: '${key}' must be a positive integer, got ${v}`);
    }
  }
  return r;
}

/**
 * Start a sandbox: `poolSize` persistent children, each locked down with SES, ready to
 * run jobs. Throws only when the children cannot start (a setup problem).
 *
 * @example
 * ```ts
 * await using sb = await createSandbox({ poolSize: 1, timeoutMs: 200 });
 * const [r] = await sb.run([{ program: "function f(xs) { return xs.map((v) => v * 2); }", args: [[1, 2]] }]);
 * // r = { ok: true, value: [2, 4], ms: 0.2 }
 * ```
 */
export async function createSandbox(options: SandboxOptions = {}): Promise<Executor> {
  const opts = resolveOptions(options);
  const baseDir = await Deno.makeTempDir({ prefix: `${TEMP_PREFIX}${Deno.pid}-` });
  await removeStaleDirs(baseDir);
  const entry = await writeChildEntry(baseDir);
  const prlimit = await findPrlimit();
  const spec: ChildSpec = {
    entry,
    baseDir,
    limits: {
      maxDepth: opts.maxDepth,
      maxChars: opts.outputCap,
      maxBytes: opts.outputCap,
      compartmentReuse: opts.compartmentReuse,
      consoleCap: opts.consoleCap,
    },
    heapMb: opts.memoryMb,
    dataBytes: (opts.memoryMb + RUNTIME_HEADROOM_MB) * 1024 * 1024,
    prlimit,
  };
  const pool = new Pool(opts, spec);
  try {
    await pool.start();
  } catch (e) {
    await pool.close();
    throw e;
  }
  return pool;
}

class Pool implements Executor {
  readonly #opts: Resolved;
  readonly #spec: ChildSpec;
  readonly #slots: Slot[] = [];
  /** Jobs not yet sent to a child, oldest first. */
  #queue: Pending[] = [];
  #closed = false;
  readonly #screened = new Map<string, ScreenResult>();
  /** Every child process not yet fully exited, live or evicted. */
  readonly #children = new Set<SandboxChild>();

  constructor(opts: Resolved, spec: ChildSpec) {
    this.#opts = opts;
    this.#spec = spec;
  }

  async start(): Promise<void> {
    for (let i = 0; i < this.#opts.poolSize; i++) {
      this.#slots.push({
        child: undefined,
        inflight: [],
        progressAt: 0,
        timer: undefined,
        spawning: undefined,
      });
    }
    await Promise.all(this.#slots.map((s) => this.#spawn(s, true)));
  }

  run(jobs: SandboxJob[]): Promise<SandboxResult[]> {
    const out = jobs.map((job) => this.#admit(job));
    this.#pump();
    return Promise.all(out);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const closedResult = (): SandboxResult => fail("crashed", "the sandbox was closed", 0);
    this.#failQueued(closedResult);
    for (const s of this.#slots) {
      clearTimeout(s.timer);
      for (const p of s.inflight) p.resolve(closedResult());
      s.inflight = [];
      s.child = undefined;
    }
    for (const child of this.#children) child.kill();
    // Starts in progress see `#closed` and kill what they started; then every child is gone
    // (including evicted ones still exiting) before the folder is removed.
    await Promise.allSettled(this.#slots.map((s) => s.spawning));
    await Promise.all([...this.#children].map((c) => c.done));
    await Deno.remove(this.#spec.baseDir, { recursive: true }).catch(() => {});
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Check the arguments and queue one job; returns its result promise. The screen runs
   * later, when `#pump` hands the job to a child, so that screening a large `run` call
   * overlaps with the children's work instead of delaying their first batch.
   */
  #admit(job: SandboxJob): Promise<SandboxResult> {
    if (this.#closed) return Promise.resolve(fail("crashed", "the sandbox was closed", 0));
    const args = checkJsonValue(job.args, {
      maxDepth: this.#opts.maxDepth + 1,
      maxChars: Number.MAX_SAFE_INTEGER,
    });
    if (!args.ok) {
      return Promise.resolve(fail("invalid_value", `argument: ${args.message}`, 0));
    }
    const det = job.checkDeterminism === true;
    return new Promise((resolve) => {
      this.#queue.push({
        job: { program: job.program, args: JSON.stringify(job.args), det },
        screened: !this.#opts.screen,
        limitMs: this.#opts.timeoutMs * (det ? 2 : 1),
        resolve,
      });
    });
  }

  /** Screen a queued job once; a job that fails is answered here (true: it may run). */
  #passesScreen(p: Pending): boolean {
    if (p.screened) return true;
    const t0 = performance.now();
    const s = this.#screen(p.job.program);
    if (!s.ok) {
      p.resolve(fail(s.kind, s.message, performance.now() - t0));
      return false;
    }
    p.screened = true;
    return true;
  }

  /** Answer every queued job: with its screen verdict when it fails the screen, else `r`. */
  #failQueued(r: () => SandboxResult): void {
    for (const p of this.#queue) if (this.#passesScreen(p)) p.resolve(r());
    this.#queue = [];
  }

  /** The screen, memoized: the trainer runs each program on several inputs. */
  #screen(program: string): ScreenResult {
    let s = this.#screened.get(program);
    if (s === undefined) {
      if (this.#screened.size >= SCREEN_CACHE_SIZE) this.#screened.clear();
      s = screenProgram(program);
      this.#screened.set(program, s);
    }
    return s;
  }

  /** Hand queued jobs to idle children, splitting the queue evenly up to `batchSize`. */
  #pump(): void {
    for (const s of this.#slots) {
      if (this.#queue.length === 0) return;
      if (s.child === undefined || s.inflight.length > 0) continue;
      const share = Math.ceil(this.#queue.length / this.#slots.length);
      const size = Math.max(1, Math.min(this.#opts.batchSize, share));
      const batch: Pending[] = [];
      let taken = 0;
      while (batch.length < size && taken < this.#queue.length) {
        const p = this.#queue[taken++]!;
        if (this.#passesScreen(p)) batch.push(p);
      }
      this.#queue.splice(0, taken);
      if (batch.length === 0) return;
      s.inflight = batch;
      s.progressAt = performance.now();
      s.child.send({ jobs: batch.map((p) => p.job) });
      this.#arm(s);
    }
  }

  /** Watchdog: fires at the running job's deadline; re-arms if progress was made. */
  #arm(s: Slot): void {
    if (s.timer !== undefined) return;
    const head = s.inflight[0];
    if (head === undefined) return;
    const wait = Math.max(0, s.progressAt + head.limitMs - performance.now());
    s.timer = setTimeout(() => {
      s.timer = undefined;
      const running = s.inflight[0];
      if (running === undefined) return;
      const elapsed = performance.now() - s.progressAt;
      if (elapsed < running.limitMs) return this.#arm(s);
      this.#evict(s, fail("timeout", `ran longer than ${running.limitMs} ms`, elapsed));
    }, wait);
  }

  /** The running job failed and took its child down: answer it, requeue the rest, respawn. */
  #evict(s: Slot, result: SandboxResult): void {
    clearTimeout(s.timer);
    s.timer = undefined;
    const culprit = s.inflight.shift();
    culprit?.resolve(result);
    // The others never ran to completion: they go back to the front, in order.
    this.#queue.unshift(...s.inflight);
    s.inflight = [];
    const child = s.child;
    s.child = undefined;
    child?.kill();
    this.#pump();
    if (!this.#closed) void this.#spawn(s);
  }

  #onReply(s: Slot, reply: ChildReply): void {
    const p = s.inflight.shift();
    if (p === undefined) return;
    s.progressAt = performance.now();
    p.resolve(toResult(reply, p.limitMs));
    if (s.inflight.length === 0) {
      clearTimeout(s.timer);
      s.timer = undefined;
      this.#pump();
    }
  }

  #onExit(s: Slot, child: SandboxChild, exit: ChildExit): void {
    if (s.child !== child || this.#closed) return;
    const outOfMemory = /out of memory|allocation failed|OOM|heap limit/i.test(exit.stderrTail);
    const ms = performance.now() - s.progressAt;
    this.#evict(
      s,
      exit.badReply !== undefined
        ? fail("crashed", `the child sent an invalid reply (${exit.badReply})`, ms)
        : outOfMemory
        ? fail("memory", `ran past the memory limit (${this.#opts.memoryMb} MiB)`, ms)
        : fail("crashed", `the child process died (code ${exit.code}, signal ${exit.signal})`, ms),
    );
  }

  /** Start a child in slot `s` (at most one start per slot at a time). */
  #spawn(s: Slot, initial = false): Promise<void> {
    s.spawning ??= this.#startChild(s, initial).finally(() => (s.spawning = undefined));
    return s.spawning;
  }

  /** On re-spawn, a child that will not start is retried twice, then its slot stays empty. */
  async #startChild(s: Slot, initial: boolean): Promise<void> {
    try {
      for (let attempt = 0; !this.#closed; attempt++) {
        const child = await SandboxChild.spawn(this.#spec);
        this.#children.add(child);
        void child.done.then(() => this.#children.delete(child));
        child.onReply = (r) => {
          if (s.child === child) this.#onReply(s, r);
        };
        child.onExit = (e) => this.#onExit(s, child, e);
        if (this.#closed) child.kill();
        try {
          await child.ready;
        } catch (e) {
          if (initial || attempt >= 2 || this.#closed) throw e;
          continue;
        }
        if (this.#closed) {
          child.kill();
          await child.done;
          return;
        }
        s.child = child;
        this.#pump();
        return;
      }
    } catch (e) {
      if (initial) throw e;
      if (this.#closed) return;
      // A child that cannot start is a setup problem: when no child is left, fail what waits.
      if (this.#slots.every((x) => x.child === undefined)) {
        const msg = `sandbox child could not start: ${(e as Error).message}`;
        this.#failQueued(() => fail("crashed", msg, 0));
      }
    }
  }
}

function fail(kind: SandboxErrorKind, message: string, ms: number): SandboxResult {
  return { ok: false, kind, message, ms };
}

/** Child reply → result; a job that finished past its limit is still a timeout. */
function toResult(reply: ChildReply, limitMs: number): SandboxResult {
  if (reply.ms > limitMs) return fail("timeout", `ran longer than ${limitMs} ms`, reply.ms);
  const printed = reply.console === undefined ? {} : { console: reply.console };
  if (reply.ok) {
    return { ok: true, value: JSON.parse(reply.text) as JsonValue, ms: reply.ms, ...printed };
  }
  const kind = KINDS.has(reply.kind) ? reply.kind as SandboxErrorKind : "crashed";
  return { ...fail(kind, reply.message, reply.ms), ...printed };
}

/** Temp folders are named `azr-sandbox-<pid of the parent>-<random>`. */
const TEMP_PREFIX = "azr-sandbox-";

/**
 * Removes the temp folders of sandboxes whose parent process is gone (a parent killed with
 * SIGKILL cannot clean up after itself). Linux only (it asks /proc whether a pid lives);
 * elsewhere it does nothing. Folders of live processes are never touched.
 */
async function removeStaleDirs(ownDir: string): Promise<void> {
  const parent = ownDir.slice(0, ownDir.lastIndexOf("/"));
  try {
    await Deno.stat("/proc/self");
  } catch {
    return;
  }
  for await (const e of Deno.readDir(parent)) {
    const m = e.isDirectory ? /^azr-sandbox-(\d+)-/.exec(e.name) : null;
    if (!m || Number(m[1]) === Deno.pid) continue;
    const alive = await Deno.stat(`/proc/${m[1]}`).then(() => true, () => false);
    if (!alive) await Deno.remove(`${parent}/${e.name}`, { recursive: true }).catch(() => {});
  }
}
