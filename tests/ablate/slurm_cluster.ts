/**
 * A throwaway one-node Slurm cluster on localhost for tests: munged, slurmctld and slurmd run in
 * the foreground as children of the test, with a generated munge key and `slurm.conf`, every
 * state, spool, socket and log file in one temp folder, and ports nobody else uses.
 * Cgroup-free (proctrack/linuxproc, task/none) and without accounting, so it runs as root in a
 * container without systemd. {@linkcode SlurmCluster.stop} shuts it down and removes the folder.
 * @module
 */

/** The daemons a cluster needs and the client commands the tests use. */
const BINARIES = [
  "munged",
  "slurmctld",
  "slurmd",
  "sbatch",
  "squeue",
  "scancel",
  "scontrol",
  "sinfo",
];

/** A binary's path: on PATH, or in /usr/sbin or /sbin (daemons, often not on a user's PATH). */
function which(bin: string): string | undefined {
  const path = (Deno.env.get("PATH") ?? "").split(":").filter(Boolean);
  for (const dir of [...path, "/usr/sbin", "/sbin"]) {
    try {
      if (Deno.statSync(`${dir}/${bin}`).isFile) return `${dir}/${bin}`;
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e; // else: not in this folder
    }
  }
  return undefined;
}

/** Which of the needed binaries are missing ([] when Slurm and munge are installed). */
export function missingSlurmBinaries(): string[] {
  return BINARIES.filter((bin) => which(bin) === undefined);
}

/** A needed binary's path (see {@linkcode missingSlurmBinaries}). */
function bin(name: string): string {
  const path = which(name);
  if (!path) {
    throw new Error(`Slurm test cluster: ${name} not found (apt-get install slurm-wlm munge)`);
  }
  return path;
}

/** A running cluster. */
export interface SlurmCluster {
  /** The temp folder holding its config, state and logs. */
  dir: string;
  /** Environment for Slurm commands (and whatever runs them): `SLURM_CONF`. */
  env: Record<string, string>;
  /** Runs a Slurm client command against this cluster; throws with its stderr if it fails. */
  run(cmd: string, args: string[]): Promise<string>;
  /** The last lines of the daemons' logs, for a failure message. */
  logs(): Promise<string>;
  /** Shuts the daemons down (scontrol shutdown, then signals) and deletes the folder. */
  stop(): Promise<void>;
}

/** A TCP port free right now on localhost. */
function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

async function waitFor(what: string, timeoutMs: number, ok: () => Promise<boolean>) {
  const until = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > until) throw new Error(`Slurm test cluster: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Starts a one-node cluster (node `localhost`, `cpus` CPUs, partition `debug`). */
export async function startCluster(opts: { cpus: number }): Promise<SlurmCluster> {
  const dir = await Deno.makeTempDir({ prefix: "azr-slurm-" });
  const dec = new TextDecoder();
  const user = dec.decode(
    (await new Deno.Command("id", { args: ["-un"], stdout: "piped" }).output()).stdout,
  ).trim();
  const daemons: { name: string; child: Deno.ChildProcess }[] = [];
  const env = { SLURM_CONF: `${dir}/slurm.conf` };
  const run = async (cmd: string, args: string[]): Promise<string> => {
    const out = await new Deno.Command(bin(cmd), { args, env, stdout: "piped", stderr: "piped" })
      .output();
    if (!out.success) {
      throw new Error(`${cmd} ${args.join(" ")} failed (${out.code}): ${dec.decode(out.stderr)}`);
    }
    return dec.decode(out.stdout);
  };
  const logs = async (): Promise<string> => {
    const parts: string[] = [];
    for (const name of ["munged.log", "slurmctld.log", "slurmd.log"]) {
      const text = await Deno.readTextFile(`${dir}/${name}`).catch((e) => `(unreadable: ${e})`);
      parts.push(`--- ${name} ---\n${text.split("\n").slice(-20).join("\n")}`);
    }
    return parts.join("\n");
  };
  const spawn = (name: string, cmd: string, args: string[]) => {
    const child = new Deno.Command(bin(cmd), { args, env, stdout: "null", stderr: "null" }).spawn();
    daemons.push({ name, child });
  };
  const stop = async () => {
    // Jobs outlive slurmd: cancel them first and give them time to go. Then slurmctld tells
    // slurmd to quit too; whatever is still up after that gets signals.
    if (daemons.some((d) => d.name === "slurmctld")) {
      try {
        await run("scancel", ["--user", user]);
        await waitFor(
          "cancelled jobs to leave",
          60_000,
          async () => (await run("squeue", ["-h", "-o", "%i"])).trim() === "",
        );
        await run("scontrol", ["shutdown"]);
      } catch (e) {
        console.error(`Slurm test cluster: stopping: ${(e as Error).message}`);
      }
    }
    for (const d of daemons.toReversed()) {
      // munged has no shutdown command: it gets SIGTERM at once.
      const exited = d.name !== "munged" && await Promise.race([
        d.child.status.then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), 10_000)),
      ]);
      if (!exited) {
        d.child.kill("SIGTERM");
        const done = await Promise.race([
          d.child.status.then(() => true),
          new Promise<boolean>((r) => setTimeout(() => r(false), 5_000)),
        ]);
        if (!done) d.child.kill("SIGKILL");
        await d.child.status;
      }
    }
    await Deno.remove(dir, { recursive: true });
  };
  try {
    // ── munge: its own key and socket ──────────────────────────────────────
    const key = crypto.getRandomValues(new Uint8Array(1024));
    await Deno.writeFile(`${dir}/munge.key`, key, { mode: 0o400 });
    const socket = `${dir}/munge.socket`;
    spawn("munged", "munged", [
      "--foreground",
      "--force",
      `--socket=${socket}`,
      `--key-file=${dir}/munge.key`,
      `--log-file=${dir}/munged.log`,
      `--pid-file=${dir}/munged.pid`,
      `--seed-file=${dir}/munged.seed`,
    ]);
    await waitFor("munged's socket", 20_000, async () => {
      try {
        return (await Deno.stat(socket)).isSocket === true;
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) return false; // not there yet
        throw e;
      }
    });

    // ── slurm.conf: one node, no cgroups, no accounting ─────────────────────
    await Deno.mkdir(`${dir}/state`);
    await Deno.mkdir(`${dir}/spool`);
    const conf = [
      "ClusterName=azrtest",
      "SlurmctldHost=localhost(127.0.0.1)",
      `SlurmUser=${user}`,
      `SlurmctldPort=${freePort()}`,
      `SlurmdPort=${freePort()}`,
      "AuthType=auth/munge",
      "CredType=cred/munge",
      `AuthInfo=socket=${socket}`,
      `StateSaveLocation=${dir}/state`,
      `SlurmdSpoolDir=${dir}/spool`,
      `SlurmctldPidFile=${dir}/slurmctld.pid`,
      `SlurmdPidFile=${dir}/slurmd.pid`,
      `SlurmctldLogFile=${dir}/slurmctld.log`,
      `SlurmdLogFile=${dir}/slurmd.log`,
      "MailProg=/bin/true",
      "ProctrackType=proctrack/linuxproc",
      "TaskPlugin=task/none",
      "SelectType=select/cons_tres",
      "SelectTypeParameters=CR_CPU",
      "SchedulerType=sched/backfill",
      "JobAcctGatherType=jobacct_gather/none",
      "AccountingStorageType=accounting_storage/none",
      "JobCompType=jobcomp/none",
      "MpiDefault=none",
      "ReturnToService=2",
      // The node's real layout may differ from CPUs=N: use the configured one, never drain.
      "SlurmdParameters=config_overrides",
      `NodeName=localhost NodeAddr=127.0.0.1 CPUs=${opts.cpus} State=UNKNOWN`,
      "PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP",
    ].join("\n") + "\n";
    await Deno.writeTextFile(env.SLURM_CONF, conf);

    // ── the controller and the node, in the foreground (-D) so they stay our children ──
    spawn("slurmctld", "slurmctld", ["-D", "-i", "-f", env.SLURM_CONF]);
    spawn("slurmd", "slurmd", ["-D", "-N", "localhost", "-f", env.SLURM_CONF]);
    await waitFor("the node to be idle (sinfo)", 60_000, async () => {
      const out = await new Deno.Command(bin("sinfo"), {
        args: ["-h", "-o", "%t"],
        env,
        stdout: "piped",
        stderr: "null",
      }).output();
      return out.success && dec.decode(out.stdout).trim() === "idle";
    });
  } catch (e) {
    const why = `${(e as Error).message}\n${await logs()}`;
    await stop();
    throw new Error(why);
  }
  return { dir, env, run, logs, stop };
}
