/**
 * The trusted loop that runs inside each sandbox child, after `lockdown()`.
 *
 * Its source is shipped into the child with `Function#toString`, so `childMain` must stay
 * self-contained: it sees only its `deps` argument and the child's globals.
 *
 * Protocol (one JSON document per line):
 * - stdin, first line: {@link ChildHello} (the frame nonce and the limits);
 * - stdin, then: one {@link ChildBatch} per line;
 * - stdout: `<nonce> <json>` frames, first `{"ready":true}`, then one {@link ChildReply}
 *   per job, in order, written as soon as the job ends (the parent's watchdog uses them
 *   as progress marks).
 * @module
 */
import type { ConsoleLine } from "./console_format.ts";
import type { SandboxConsole } from "./types.ts";
import type { JsonDomainLimits, JsonEncoding } from "./value_domain.ts";

/** First line on the child's stdin. */
export interface ChildHello {
  nonce: string;
  maxDepth: number;
  maxChars: number;
  /** Output cap in bytes of UTF-8. */
  maxBytes: number;
  /** When a pristine compartment may serve another run (see `SandboxOptions`). */
  compartmentReuse: "none" | "program" | "batch";
  /** Most console output kept per run, in UTF-16 code units. */
  consoleCap: number;
}

/** One job as the child sees it; `args` is JSON text, parsed afresh for every run. */
export interface ChildJob {
  program: string;
  args: string;
  det: boolean;
}

/** One batch of jobs. */
export interface ChildBatch {
  jobs: ChildJob[];
}

/** The child's answer for one job; `text` is the value's JSON encoding. */
export type ChildReply =
  | { ok: true; text: string; ms: number; console?: SandboxConsole | undefined }
  | { ok: false; kind: string; message: string; ms: number; console?: SandboxConsole | undefined };

/** What the entry module passes in. */
export interface ChildDeps {
  encode: (value: unknown, limits: JsonDomainLimits) => JsonEncoding;
  isProxy: (v: object) => boolean;
  format: (
    args: readonly unknown[],
    maxChars: number,
    isProxy: (v: object) => boolean,
  ) => ConsoleLine;
}

/** The child's main loop: read batches, run each job in a pristine compartment, write replies. */
export async function childMain(deps: ChildDeps): Promise<void> {
  type Outcome =
    & ({ ok: true; text: string } | { ok: false; kind: string; message: string })
    & { console?: SandboxConsole };
  type CompartmentCtor = new (
    options: { __options__: true; globals: object },
  ) => { evaluate(src: string): unknown; globalThis: object };
  const { Compartment, harden } = globalThis as unknown as {
    Compartment: CompartmentCtor;
    harden: <T>(x: T) => T;
  };
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const reader = Deno.stdin.readable.getReader();
  let pending = "";

  const nextLine = async (): Promise<string | null> => {
    for (;;) {
      const nl = pending.indexOf("\n");
      if (nl >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        return line;
      }
      const { value, done } = await reader.read();
      if (done) return null;
      pending += decoder.decode(value, { stream: true });
    }
  };

  const hello = JSON.parse((await nextLine()) ?? "null") as ChildHello;
  const limits: JsonDomainLimits = {
    maxDepth: hello.maxDepth,
    maxChars: hello.maxChars,
    isProxy: deps.isProxy,
  };
  const send = (obj: unknown): void => {
    const bytes = encoder.encode(hello.nonce + " " + JSON.stringify(obj) + "\n");
    let off = 0;
    while (off < bytes.length) off += Deno.stdout.writeSync(bytes.subarray(off));
  };

  // A macrotask boundary: every microtask the program queued (however long the chain)
  // runs before it, so nothing a program schedules outlives its job.
  const channel = new MessageChannel();
  let wake: () => void = () => {};
  channel.port1.onmessage = () => wake();
  const drain = (): Promise<void> =>
    new Promise<void>((resolve) => {
      wake = resolve;
      channel.port2.postMessage(null);
    });

  // What a program may use besides the frozen intrinsics, the same hardened objects in
  // every compartment; their state lives here, out of the program's reach, and is reset
  // before every run. The console appends to this run's text (at most `consoleCap`, the
  // rest dropped, so flooding costs time, not memory). Timers are inert: they return an
  // id counted from 1 in each run and drop the callback, which never runs, so it cannot
  // change a result or reach a later job (a real callback would run only after `f` has
  // returned, so no synchronous program can tell the difference).
  let log = "";
  let logCut = false;
  let timers = 0;
  const write = (args: unknown[]): void => {
    if (logCut) return;
    const room = hello.consoleCap - log.length;
    const line = deps.format(args, room, deps.isProxy);
    if (line.complete && line.text.length < room) {
      log += line.text + "\n";
    } else {
      log += line.text;
      logCut = true;
    }
  };
  const globals = harden({
    console: {
      log: (...args: unknown[]): void => write(args),
      info: (...args: unknown[]): void => write(args),
      warn: (...args: unknown[]): void => write(args),
      error: (...args: unknown[]): void => write(args),
      debug: (...args: unknown[]): void => write(args),
    },
    setTimeout: (..._args: unknown[]): number => ++timers,
    setInterval: (..._args: unknown[]): number => ++timers,
    clearTimeout: (_id?: unknown): void => {},
    clearInterval: (_id?: unknown): void => {},
  });

  // Describe a thrown value without trusting it: only string `name`/`message` are used.
  const describe = (e: unknown, loading: boolean): Outcome => {
    let name = "";
    let message = "";
    try {
      if (e !== null && (typeof e === "object" || typeof e === "function")) {
        if (deps.isProxy(e)) {
          message = "a Proxy was thrown";
        } else {
          const n = (e as { name?: unknown }).name;
          const m = (e as { message?: unknown }).message;
          name = typeof n === "string" ? n : "";
          message = typeof m === "string" ? m : "";
          if (name === "" && message === "") message = "a non-Error object was thrown";
        }
      } else if (typeof e === "string") {
        message = "uncaught " + JSON.stringify(e);
      } else if (typeof e === "symbol") {
        message = "uncaught symbol";
      } else {
        message = "uncaught " + String(e);
      }
    } catch {
      message = "the thrown value could not be described";
    }
    const text = ((name === "" ? "" : name + ": ") + message).slice(0, 500);
    if (loading && name === "SyntaxError") return { ok: false, kind: "syntax", message: text };
    if (
      name === "RangeError" &&
      /Invalid string length|allocation failed|out of memory/i.test(message)
    ) {
      return { ok: false, kind: "memory", message: text };
    }
    return { ok: false, kind: "error", message: text };
  };

  // A compartment with the snapshot of its global object taken at creation.
  type Warm = {
    c: InstanceType<CompartmentCtor>;
    g: object;
    proto: object | null;
    keys: (string | symbol)[];
    descs: (PropertyDescriptor | undefined)[];
  };
  // Pristine compartments kept for the rest of the batch, by reuse key (see `acquire`).
  let warm = new Map<string, Warm>();

  // Why a reused compartment keeps jobs isolated. After lockdown, the only mutable object
  // reachable from a compartment is its global object: every intrinsic, and the
  // compartment's own eval, Function and Compartment, are frozen (tests/sandbox/
  // isolation_test.ts walks the graph from inside a compartment to check it). Everything
  // reachable but the global, eval, Function and Compartment is shared by all compartments
  // anyway, so any state hidden in internal slots there was never isolated by a fresh
  // compartment either; those three are frozen functions with no mutable state. Compartment
  // code is strict direct-eval code, so each `evaluate` (one per run: the program text is
  // evaluated afresh for every job and every determinism re-run, never just `f` re-called)
  // gets fresh bindings for its top-level var/let/const/function declarations, and
  // assigning an undeclared name throws. So the global object is the only place a run can
  // leave state for a later run, and an ordinary object's state is its prototype, its
  // extensibility and its own properties (keys, order and descriptors). `pristine`
  // compares all of them with the snapshot taken at creation after every run, once the
  // run's microtasks have drained and no code of the run can execute any more (nothing
  // reachable in a compartment schedules later callbacks: no timers, MessageChannel,
  // FinalizationRegistry, WeakRef or Atomics.waitAsync, also checked by that test); a
  // compartment that changed is dropped, so every run starts from a global that no program
  // can tell from a fresh one. (A private field stamped on the global is keyed by a
  // class that only its own run can reach.) Reuse never crosses batches.
  const reuse = hello.compartmentReuse;
  const acquire = (program: string): Warm => {
    const key = reuse === "batch" ? "" : program;
    let w = reuse === "none" ? undefined : warm.get(key);
    if (w === undefined) {
      const c = new Compartment({ __options__: true, globals });
      const g = c.globalThis;
      if (reuse === "none") return { c, g, proto: null, keys: [], descs: [] };
      const keys = Reflect.ownKeys(g);
      w = {
        c,
        g,
        proto: Reflect.getPrototypeOf(g),
        keys,
        descs: keys.map((k) => Reflect.getOwnPropertyDescriptor(g, k)),
      };
      warm.set(key, w);
    }
    return w;
  };
  const pristine = (w: Warm): boolean => {
    if (!Reflect.isExtensible(w.g) || Reflect.getPrototypeOf(w.g) !== w.proto) return false;
    const keys = Reflect.ownKeys(w.g);
    if (keys.length !== w.keys.length) return false;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string | symbol;
      if (k !== w.keys[i]) return false;
      const d = Reflect.getOwnPropertyDescriptor(w.g, k);
      const s = w.descs[i];
      if (
        d === undefined || s === undefined || !Object.is(d.value, s.value) || d.get !== s.get ||
        d.set !== s.set || d.writable !== s.writable || d.enumerable !== s.enumerable ||
        d.configurable !== s.configurable
      ) return false;
    }
    return true;
  };
  const runOnce = async (job: ChildJob): Promise<Outcome> => {
    const w = acquire(job.program);
    log = "";
    logCut = false;
    timers = 0;
    const out = await runIn(w.c, job);
    if (reuse !== "none" && !pristine(w)) {
      warm.delete(reuse === "batch" ? "" : job.program);
    }
    return log === "" && !logCut ? out : { ...out, console: { text: log, truncated: logCut } };
  };

  const runIn = async (c: InstanceType<CompartmentCtor>, job: ChildJob): Promise<Outcome> => {
    let f: unknown;
    try {
      f = c.evaluate(job.program + '\n;(typeof f === "function" ? f : void 0)');
    } catch (e) {
      const d = describe(e, true);
      await drain();
      return d;
    }
    if (typeof f !== "function") {
      await drain();
      return { ok: false, kind: "error", message: "the program does not define a function f" };
    }
    let value: unknown;
    try {
      value = (f as (...a: unknown[]) => unknown)(...(JSON.parse(job.args) as unknown[]));
    } catch (e) {
      const d = describe(e, false);
      await drain();
      return d;
    }
    await drain();
    // `encode` never calls code owned by the value (no getters, proxies or toJSON).
    const r = deps.encode(value, limits);
    if (!r.ok) return r;
    // Bytes >= chars; only encode when the UTF-8 length could pass the cap.
    if (r.text.length * 3 > hello.maxBytes && encoder.encode(r.text).length > hello.maxBytes) {
      return {
        ok: false,
        kind: "output_too_large",
        message: `result is larger than ${hello.maxBytes} bytes`,
      };
    }
    return r;
  };

  const runJob = async (job: ChildJob): Promise<ChildReply> => {
    const t0 = performance.now();
    const first = await runOnce(job);
    if (job.det) {
      const second = await runOnce(job);
      const same = first.ok && second.ok
        ? first.text === second.text
        : !first.ok && !second.ok && first.kind === second.kind && first.message === second.message;
      if (!same) {
        return {
          ok: false,
          kind: "nondeterministic",
          message: "two runs of the same job gave different results",
          ms: performance.now() - t0,
        };
      }
    }
    return { ...first, ms: performance.now() - t0 };
  };

  send({ ready: true });
  for (;;) {
    const line = await nextLine();
    if (line === null) break;
    const batch = JSON.parse(line) as ChildBatch;
    for (const job of batch.jobs) send(await runJob(job));
    warm = new Map();
  }
  channel.port1.close();
}
