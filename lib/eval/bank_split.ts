/**
 * The generator bank's split as a config makes it, and the check that the hand-written suites
 * measure what they claim: where each suite program lies in that split.
 *
 * A suite program is *in the train split as written* when its tokens are a train-split program of
 * the bank, and *by behaviour* when some train-split program computes the same outputs on the
 * bank's probe inputs (the bank keeps one program per behaviour, so a suite program written
 * `v - 1` is the bank's `v + -1`). With `pretrainHoldOutSuites`, every bank behaviour of a suite
 * program goes to the held-out part, and the check reads zero in the train split.
 * @module
 */
import type { Config } from "../config.ts";
import type { TaskType } from "../task_types.ts";
import {
  type Bank,
  isHeldOut,
  probeSet,
  programKey,
  runInWorld,
  type SignatureBank,
  splitBank,
} from "../lang/generate.ts";
import { signatureByName, type World } from "../lang/types.ts";
import { type EvalSuite, loadSuites } from "./suite.ts";
import { evalTaskRecords } from "./task_records.ts";

/** Probe inputs per signature that define a behaviour (the bank's default). */
export const PROBES = 24;

/** The config values a split reads. */
export type SplitConfig =
  & Pick<Config, "pretrainHeldOut" | "pretrainHoldOutSuites" | "evalSuites">
  & World;

/** A bank's two parts, and how many behaviours the suites moved to the held-out one. */
export interface BankSplit {
  train: Bank;
  heldout: Bank;
  /** Bank programs held out because a suite program has their behaviour (0 when not asked). */
  suiteHeldOut: number;
  /** Those programs (by `programKey`), beside the hash's share. */
  alsoHeldOut: ReadonlySet<string>;
}

/**
 * The split a config makes of a bank (`pretrainHeldOut`, `pretrainHoldOutSuites`); `suites`: the
 * config's suites when the caller has them loaded (else read from `evalSuites` when needed).
 */
export function configSplit(
  bank: Bank,
  cfg: SplitConfig,
  suites?: readonly EvalSuite[],
): BankSplit {
  const also = cfg.pretrainHoldOutSuites
    ? suiteBehaviourPrograms(bank, suites ?? Object.values(loadSuites(cfg.evalSuites, cfg)), cfg)
    : new Set<string>();
  const fraction = cfg.pretrainHeldOut;
  const newlyHeld = bank.signatures.reduce(
    (n, s) =>
      n + s.programs.filter((p) => also.has(programKey(p.tokens)) && !isHeldOut(p.tokens, fraction))
        .length,
    0,
  );
  return {
    train: splitBank(bank, "train", fraction, also),
    heldout: splitBank(bank, "heldout", fraction, also),
    suiteHeldOut: newlyHeld,
    alsoHeldOut: also,
  };
}

/** A program's outputs on the probe inputs, as one string (a failure or out-of-world value: null). */
export function behaviour(
  tokens: readonly number[],
  signature: NonNullable<ReturnType<typeof signatureByName>>,
  probes: readonly (readonly unknown[])[],
  world: World,
): string {
  return JSON.stringify(
    probes.map((args) => runInWorld(tokens, signature, args as never, world) ?? null),
  );
}

/** The suites' programs that the language parses, with their tokens and signature. */
function suitePrograms(suites: readonly EvalSuite[], world: World) {
  const out: { suite: string; id: string; task: TaskType; tokens: number[]; signature: string }[] =
    [];
  for (const suite of suites) {
    for (const t of suite.tasks) {
      const records = evalTaskRecords(t, world);
      const r = typeof records === "string" ? undefined : records[0];
      // An induction task without a parsed reference carries the placeholder [0].
      if (r && r.tokens.length > 1) {
        out.push({
          suite: suite.name,
          id: t.id,
          task: t.task,
          tokens: r.tokens,
          signature: r.signature,
        });
      }
    }
  }
  return out;
}

/** Each signature bank's behaviours, computed once (a pre-training run checks and splits alike). */
const BEHAVIOURS = new WeakMap<SignatureBank, Map<string, readonly number[]>>();

/** Per signature: behaviour → the bank's program of that behaviour. */
export function bankBehaviours(bank: Bank, signatures: ReadonlySet<string>) {
  const out = new Map<string, Map<string, readonly number[]>>();
  for (const s of bank.signatures) {
    if (!signatures.has(s.signature.name)) continue;
    let byBehaviour = BEHAVIOURS.get(s);
    if (!byBehaviour) {
      const probes = probeSet(s.signature, bank.world, PROBES, 0);
      byBehaviour = new Map();
      for (const p of s.programs) {
        const key = behaviour(p.tokens, s.signature, probes, bank.world);
        if (!byBehaviour.has(key)) byBehaviour.set(key, p.tokens);
      }
      BEHAVIOURS.set(s, byBehaviour);
    }
    out.set(s.signature.name, byBehaviour);
  }
  return out;
}

/** The bank programs (by `programKey`) that compute what some suite program computes on the probes. */
export function suiteBehaviourPrograms(
  bank: Bank,
  suites: readonly EvalSuite[],
  world: World,
): Set<string> {
  return new Set(
    suiteOverlap(bank, suites, world, 0).flatMap((r) => r.bankProgram ? [r.bankProgram] : []),
  );
}

/** Where a suite program lies in the bank's split. */
export type Placement = "train" | "heldout" | "absent";

/** One suite program's row of the check. */
export interface OverlapRow {
  suite: string;
  id: string;
  task: TaskType;
  /** Body size in tokens. */
  size: number;
  /** Its tokens as a bank program: in which part, or absent from the bank. */
  written: Placement;
  /** The bank's program with its behaviour on the probes: in which part, or none. */
  behaviour: Placement;
  /** That bank program's key, when there is one. */
  bankProgram?: string;
}

/**
 * Where each parsed suite program lies in the bank's split by `heldOutFraction` plus
 * `alsoHeldOut`: as written and by behaviour.
 */
export function suiteOverlap(
  bank: Bank,
  suites: readonly EvalSuite[],
  world: World,
  heldOutFraction: number,
  alsoHeldOut: ReadonlySet<string> = new Set(),
): OverlapRow[] {
  const programs = suitePrograms(suites, world);
  const inBank = new Set(
    bank.signatures.flatMap((s) => s.programs.map((p) => programKey(p.tokens))),
  );
  const behaviours = bankBehaviours(bank, new Set(programs.map((p) => p.signature)));
  const part = (key: string, tokens: readonly number[]): Placement =>
    isHeldOut(tokens, heldOutFraction) || alsoHeldOut.has(key) ? "heldout" : "train";
  return programs.map((p) => {
    const key = programKey(p.tokens);
    const signature = signatureByName(p.signature)!;
    const probes = probeSet(signature, bank.world, PROBES, 0);
    const same = behaviours.get(p.signature)?.get(behaviour(p.tokens, signature, probes, world));
    const row: OverlapRow = {
      suite: p.suite,
      id: p.id,
      task: p.task,
      size: p.tokens.length - 1,
      written: inBank.has(key) ? part(key, p.tokens) : "absent",
      behaviour: same ? part(programKey(same), same) : "absent",
    };
    if (same) row.bankProgram = programKey(same);
    return row;
  });
}

/** The check per task type: parsed programs, and how many lie in each part. */
export interface OverlapCounts {
  parsed: number;
  /** In the train split as written (the same tokens). */
  trainWritten: number;
  /** In the train split by behaviour (what pre-training may have taught). */
  trainBehaviour: number;
  heldout: number;
  /** No bank program has the behaviour (longer or outside the bank's programs). */
  absent: number;
}

/** {@linkcode OverlapCounts} per task type. */
export function overlapCounts(rows: readonly OverlapRow[]): Record<string, OverlapCounts> {
  const out: Record<string, OverlapCounts> = {};
  for (const r of rows) {
    const c = out[r.task] ??= {
      parsed: 0,
      trainWritten: 0,
      trainBehaviour: 0,
      heldout: 0,
      absent: 0,
    };
    c.parsed++;
    if (r.written === "train") c.trainWritten++;
    if (r.behaviour === "train") c.trainBehaviour++;
    if (r.behaviour === "heldout") c.heldout++;
    if (r.behaviour === "absent") c.absent++;
  }
  return out;
}

/** The check as lines: per task type, parsed suite programs and where they lie in the split. */
export function formatOverlap(rows: readonly OverlapRow[]): string[] {
  return Object.entries(overlapCounts(rows)).map(([task, c]) =>
    `${
      task.padEnd(10)
    } ${c.parsed} suite programs parsed: in the train split ${c.trainWritten} as written, ` +
    `${c.trainBehaviour} by behaviour; held out ${c.heldout}; not in the bank ${c.absent}`
  );
}
