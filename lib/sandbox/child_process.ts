/**
 * One locked-down child process: `deno run` with no `--allow-*` flag, no remote or npm
 * modules, no config, a cleared environment, a fresh empty working folder and DENO_DIR,
 * and a hard data-segment limit from `prlimit`.
 * @module
 */
import { z } from "zod";
import type { ChildBatch, ChildHello, ChildReply } from "./child_main.ts";

/** How to start a child. */
export interface ChildSpec {
  /** Path of the trusted entry module (see `writeChildEntry`). */
  entry: string;
  /** Folder under which each child gets its own `cN/` working and DENO_DIR folders. */
  baseDir: string;
  /** Limits sent in the first stdin line (the nonce is added per child). */
  limits: Omit<ChildHello, "nonce">;
  /** V8 old-space limit, in MiB (soft: ArrayBuffers and wasm memory pass it). */
  heapMb: number;
  /** Hard `RLIMIT_DATA`, in bytes, or undefined when `prlimit` is missing. */
  dataBytes: number | undefined;
  /** Absolute path of `prlimit`, or undefined. */
  prlimit: string | undefined;
}

/** How a child ended. */
export interface ChildExit {
  code: number;
  signal: string | null;
  /** Last few KiB of its stderr (for classifying out-of-memory deaths; never shown to callers). */
  stderrTail: string;
  /** Set when the parent killed it for a framed reply that broke the protocol: what was wrong. */
  badReply?: string;
}

/**
 * The frames a child may send, checked before anything in them is used: the ready mark,
 * then one reply per job; console text longer than the cap is a protocol error.
 */
export function frameSchema(consoleCap: number) {
  const printed = z.strictObject({ text: z.string().max(consoleCap), truncated: z.boolean() });
  const ms = z.number().nonnegative();
  return z.union([
    z.strictObject({ ready: z.literal(true) }),
    z.strictObject({ ok: z.literal(true), text: z.string(), ms, console: printed.optional() }),
    z.strictObject({
      ok: z.literal(false),
      kind: z.string(),
      message: z.string(),
      ms,
      console: printed.optional(),
    }),
  ]);
}

let spawnCounter = 0;

/** A running child; replies and its exit are delivered through callbacks. */
export class SandboxChild {
  /** Called with each job reply, in order. */
  onReply: (reply: ChildReply) => void = () => {};
  /** Called once, when the process has exited and its stdout is drained. */
  onExit: (exit: ChildExit) => void = () => {};
  /** Resolves when the child has locked down and said ready; rejects if it dies first. */
  readonly ready: Promise<void>;
  /** Resolves once the process has exited, its folder is removed and `onExit` has run. */
  readonly done: Promise<void>;
  readonly #proc: Deno.ChildProcess;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #dir: string;
  #stderrTail = "";
  #badReply: string | undefined;
  #exited = false;

  private constructor(
    proc: Deno.ChildProcess,
    dir: string,
    nonce: string,
    hello: string,
    schema: ReturnType<typeof frameSchema>,
  ) {
    this.#proc = proc;
    this.#dir = dir;
    this.#writer = proc.stdin.getWriter();
    let markReady: () => void = () => {};
    let failReady: (e: Error) => void = () => {};
    this.ready = new Promise<void>((res, rej) => {
      markReady = res;
      failReady = rej;
    });
    this.ready.catch(() => {});
    this.#write(hello + "\n");
    const stdoutDone = this.#readStdout(nonce, schema, markReady);
    const stderrDone = this.#readStderr();
    this.done = Promise.all([proc.status, stdoutDone, stderrDone]).then(async ([status]) => {
      this.#exited = true;
      const exit: ChildExit = {
        code: status.code,
        signal: status.signal,
        stderrTail: this.#stderrTail,
        ...(this.#badReply === undefined ? {} : { badReply: this.#badReply }),
      };
      failReady(
        new Error(
          `sandbox child exited during start-up (code ${exit.code}): ` +
            exit.stderrTail.slice(-600),
        ),
      );
      await Deno.remove(this.#dir, { recursive: true }).catch(() => {});
      this.onExit(exit);
    });
  }

  /** Start a child; await `ready` before sending it work. */
  static async spawn(spec: ChildSpec): Promise<SandboxChild> {
    const dir = `${spec.baseDir}/c${spawnCounter++}`;
    await Deno.mkdir(`${dir}/work`, { recursive: true });
    await Deno.mkdir(`${dir}/deno`, { recursive: true });
    const proc = new Deno.Command(...childCommand(spec, spec.entry, dir)).spawn();
    const nonce = crypto.randomUUID();
    const hello = JSON.stringify({ ...spec.limits, nonce });
    return new SandboxChild(proc, dir, nonce, hello, frameSchema(spec.limits.consoleCap));
  }

  /** True once the process has exited. */
  get exited(): boolean {
    return this.#exited;
  }

  /** Send one batch (one line on stdin). */
  send(batch: ChildBatch): void {
    this.#write(JSON.stringify(batch) + "\n");
  }

  /** SIGKILL the child (it spawns no processes of its own: it has no run permission). */
  kill(): void {
    if (this.#exited) return;
    try {
      this.#proc.kill("SIGKILL");
    } catch {
      // already gone
    }
  }

  #write(text: string): void {
    this.#writer.write(new TextEncoder().encode(text)).catch(() => {
      // The child died; its exit callback reports it.
    });
  }

  async #readStdout(
    nonce: string,
    schema: ReturnType<typeof frameSchema>,
    markReady: () => void,
  ): Promise<void> {
    const prefix = nonce + " ";
    let buf = "";
    const decoder = new TextDecoder();
    try {
      for await (const chunk of this.#proc.stdout) {
        buf += decoder.decode(chunk, { stream: true });
        let nl: number;
        while ((nl = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          // Only framed lines count; anything else on stdout is noise.
          if (!line.startsWith(prefix)) continue;
          const msg = parseFrame(line.slice(prefix.length), schema);
          if (typeof msg === "string") {
            // The trusted loop wrote it, so this is a bug: kill the child, whose exit then
            // reports the running job as crashed with this reason.
            this.#badReply ??= msg;
            this.kill();
            return;
          }
          if ("ready" in msg) markReady();
          else this.onReply(msg);
        }
      }
    } catch {
      // stream broken by a kill: the exit callback reports it
    }
  }

  async #readStderr(): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of this.#proc.stderr) {
        this.#stderrTail = (this.#stderrTail + decoder.decode(chunk, { stream: true })).slice(
          -4096,
        );
      }
    } catch {
      // stream broken by a kill
    }
  }
}

/** One frame's JSON, checked against `schema`; a string says what was wrong with it. */
export function parseFrame(
  text: string,
  schema: ReturnType<typeof frameSchema>,
): ChildReply | { ready: true } | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return "not JSON";
  }
  const r = schema.safeParse(json);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  return issue === undefined ? "malformed" : `${issue.path.join(".") || "frame"}: ${issue.message}`;
}

/**
 * The command line of a child running `entry` in `dir` (which holds `work/` and `deno/`):
 * no permission flags, no prompt, no remote or npm modules, no config or lock file, a
 * V8 heap limit, a hard data limit through `prlimit`, a cleared environment (but `TZ=UTC`).
 */
export function childCommand(
  spec: Pick<ChildSpec, "heapMb" | "dataBytes" | "prlimit">,
  entry: string,
  dir: string,
): [string, Deno.CommandOptions] {
  const denoArgs = [
    "run",
    "--no-prompt",
    "--no-remote",
    "--no-npm",
    "--cached-only",
    "--no-config",
    "--no-lock",
    "--quiet",
    `--v8-flags=--max-old-space-size=${spec.heapMb}`,
    entry,
  ];
  const [cmd, args] = spec.prlimit !== undefined && spec.dataBytes !== undefined
    ? [spec.prlimit, [`--data=${spec.dataBytes}`, "--", Deno.execPath(), ...denoArgs]]
    : [Deno.execPath(), denoArgs];
  return [cmd, {
    args,
    cwd: `${dir}/work`,
    clearEnv: true,
    // TZ: local time is UTC whatever the host's zone, so `new Date(2020, 0, 1)` and
    // `getHours()` give the same answer on every machine.
    env: { DENO_DIR: `${dir}/deno`, NO_COLOR: "1", TZ: "UTC" },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }];
}

/** Absolute path of `prlimit` on PATH, or undefined (the child then has only V8's soft cap). */
export async function findPrlimit(): Promise<string | undefined> {
  const path = Deno.env.get("PATH") ?? "/usr/bin:/bin";
  for (const dir of [...path.split(":"), "/usr/bin", "/bin"]) {
    if (dir === "") continue;
    try {
      const info = await Deno.stat(`${dir}/prlimit`);
      if (info.isFile) return `${dir}/prlimit`;
    } catch {
      // not here
    }
  }
  return undefined;
}
