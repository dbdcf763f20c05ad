/**
 * Types shared by the sandbox: jobs, results, error kinds, options, the executor.
 * @module
 */

/** A plain JSON value: the only values that go into or come out of the sandbox. */
export type JsonValue = null | boolean | number | string | JsonValue[] | {
  [key: string]: JsonValue;
};

/** One execution: `program` defines `function f(...)`; the sandbox calls `f(...args)`. */
export interface SandboxJob {
  /** JavaScript source that defines `f` (a script, not a module). */
  program: string;
  /** Arguments passed to `f`, as JSON values (each run gets a fresh copy). */
  args: JsonValue[];
  /** Run twice, each run in a pristine compartment, and require the same value (paper: j = 2). */
  checkDeterminism?: boolean;
}

/** Why a job failed. */
export type SandboxErrorKind =
  /** The program does not parse. */
  | "syntax"
  /** The static screen found a banned name (import, eval, Date, Math.random, …). */
  | "banned"
  /** The program threw, or does not define `f`. */
  | "error"
  /** The job ran past the time limit; the child was killed. */
  | "timeout"
  /** The job ran past the memory limit. */
  | "memory"
  /** The result's JSON encoding is larger than the output cap. */
  | "output_too_large"
  /** The result is not a plain JSON value (NaN, undefined, Map, Promise, cycle, …). */
  | "invalid_value"
  /** Two runs gave different results. */
  | "nondeterministic"
  /** The child process died for another reason, or the executor was closed. */
  | "crashed";

/**
 * What a program wrote with `console.log`, `info`, `warn`, `error` or `debug`, in call
 * order, one line per call (see `formatConsoleArgs` for how arguments are written). It
 * travels beside the value, never on the result channel, and never changes the value.
 */
export interface SandboxConsole {
  /** The lines, each ending in `\n`; at most `consoleCap` UTF-16 code units. */
  text: string;
  /** True when the program wrote more than `consoleCap`; the rest was dropped. */
  truncated: boolean;
}

/**
 * One job's outcome; `ms` is the wall time of the job in milliseconds. `console` is
 * present when the program wrote to the console and the child answered (not on `timeout`,
 * `memory` or `crashed`); with `checkDeterminism` it is the first run's.
 */
export type SandboxResult =
  | { ok: true; value: JsonValue; ms: number; console?: SandboxConsole }
  | { ok: false; kind: SandboxErrorKind; message: string; ms: number; console?: SandboxConsole };

/** Runs jobs; never throws for anything a program does. Every job gets one result, in order. */
export interface Executor extends AsyncDisposable {
  /** Run `jobs`; `results[i]` belongs to `jobs[i]`. */
  run(jobs: SandboxJob[]): Promise<SandboxResult[]>;
  /** Kill every child process and remove the temporary folder. Idempotent. */
  close(): Promise<void>;
}

/** Limits and pool shape; every field defaults to the `default` config preset. */
export interface SandboxOptions {
  /** Child processes (0 or absent = one per core). */
  poolSize?: number;
  /** Wall-clock limit per job, in milliseconds (doubled for a determinism check). */
  timeoutMs?: number;
  /** Memory a program may use on top of the child's own V8, in MiB. */
  memoryMb?: number;
  /** Largest result, in bytes of JSON. */
  outputCap?: number;
  /** Jobs sent to a child in one message. */
  batchSize?: number;
  /** Deepest nesting a result may have (arrays and objects). */
  maxDepth?: number;
  /** Most console output kept per job, in UTF-16 code units (default 4096); the rest is dropped. */
  consoleCap?: number;
  /**
   * Run the static screen before the realm (default true). Turn it off only to test the
   * inner walls on their own.
   */
  screen?: boolean;
  /**
   * When a compartment may serve another run after one run left its global object exactly
   * as created (checked after every run; a changed compartment is dropped):
   * `"none"` (default, as the design asks) a fresh compartment for every run; `"batch"`
   * across the jobs of one batch, `"program"` only across runs of the same program text in
   * one batch (2–3× the throughput on distinct programs, see README.md). Results
   * are the same in all three; see `child_main.ts` for why jobs stay isolated.
   */
  compartmentReuse?: "none" | "program" | "batch";
}
