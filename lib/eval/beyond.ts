/**
 * The eval set beyond the bank (`beyond`): tasks whose programs are longer than any the base was
 * pre-trained on — `pretrainMaxSize + 1` to `pretrainMaxSize + beyondExtra` body tokens — and
 * whose behaviour on the bank's probe inputs is none of the bank's. The bank keeps one program of
 * every behaviour up to its size, train and held-out alike, so no program pre-training could
 * have shown computes what these do: a base can solve them only by generalizing past its
 * world's sizes. This is where self-play can show what pre-training alone cannot (its proposer
 * writes programs of any length the context allows).
 *
 * The programs are sampled under the decoder's own constraint (`sampleProgram`), kept when their
 * literals are the world's, they run validly on half the probes or more, return two different outputs at least, and have a
 * behaviour neither the bank nor an earlier kept program has; tasks are then drawn from them as
 * from the bank (`generatorSuite`, config `beyondEvalSeed`). One caveat: the bank's enumeration
 * has an evaluation budget per signature (`maxEvals`), and a behaviour it did not reach counts
 * as beyond it.
 * @module
 */
import type { Config } from "../config.ts";
import type { Bank, BankProgram, SignatureBank } from "../lang/generate.ts";
import { probeSet } from "../lang/generate.ts";
import { sampleProgram } from "../lang/sample.ts";
import { Rng } from "../rng.ts";
import type { World } from "../lang/types.ts";
import { tokenInt } from "../lang/vocab.ts";
import { bankBehaviours, behaviour, PROBES } from "./bank_split.ts";
import { generatorSuite } from "./generator_suite.ts";
import type { EvalSuite } from "./suite.ts";

/** Options of {@linkcode beyondBank}. */
export interface BeyondOptions {
  /** Sizes kept: the bank's `maxSize + 1` to `maxSize + extra` body tokens. */
  extra: number;
  /** Programs kept per signature (fewer when sampling does not find them). */
  perSignature: number;
  /** Seed of the sampling. */
  seed: number;
}

/** The bank of programs beyond `bank` (see the module doc): one program per new behaviour. */
export function beyondBank(bank: Bank, opts: BeyondOptions): Bank {
  const names = new Set(bank.signatures.map((s) => s.signature.name));
  const known = bankBehaviours(bank, names);
  const lo = bank.maxSize + 1;
  const hi = bank.maxSize + opts.extra;
  const signatures = bank.signatures.map((s, i): SignatureBank => {
    const t0 = performance.now();
    const rng = new Rng(opts.seed + 7919 * i);
    const probes = probeSet(s.signature, bank.world, PROBES, 0);
    const seen = new Set(known.get(s.signature.name)?.keys());
    const programs: BankProgram[] = [];
    let evals = 0;
    for (let tries = 0; tries < 400 * opts.perSignature && programs.length < opts.perSignature;) {
      // Each size in turn: the sampler grows programs to its budget, so one budget gives one size.
      const target = lo + (tries++ % (hi - lo + 1));
      const tokens = sampleProgram(rng, {
        budget: target + 1,
        signature: s.signature,
        minTokens: target + 1,
      });
      const size = tokens.length - 1;
      if (size < lo || !literalsInWorld(tokens, bank.world)) continue;
      evals++;
      const key = behaviour(tokens, s.signature, probes, bank.world);
      if (seen.has(key)) continue;
      seen.add(key);
      const outputs: unknown[] = JSON.parse(key);
      const valid = outputs.filter((v) => v !== null);
      if (valid.length < PROBES / 2) continue;
      if (new Set(valid.map((v) => JSON.stringify(v))).size < 2) continue;
      programs.push({ tokens, size, valid: valid.length / PROBES });
    }
    return { signature: s.signature, programs, evals, ms: performance.now() - t0 };
  });
  return { world: bank.world, maxSize: hi, signatures };
}

/** Whether every int literal of a program is one of the world's (the bank's programs' are). */
function literalsInWorld(tokens: readonly number[], world: World): boolean {
  return tokens.every((t) => {
    const n = tokenInt(t);
    return n === undefined || (n >= world.literalMin && n <= world.literalMax);
  });
}

/** The config values the `beyond` set reads. */
export type BeyondConfig = Pick<Config, "beyondExtra" | "beyondEvalSeed">;

/** Sampled programs kept per signature: enough that tasks rarely repeat a program. */
const PER_SIGNATURE = 60;

/**
 * The `beyond` eval set of a bank (the whole bank, as built: `configBank`), `perType` tasks of
 * each type, the same for every run with the same bank and config seeds.
 */
export function beyondSet(bank: Bank, perType: number, cfg: BeyondConfig): EvalSuite {
  const programs = beyondBank(bank, {
    extra: cfg.beyondExtra,
    perSignature: PER_SIGNATURE,
    seed: cfg.beyondEvalSeed,
  });
  return generatorSuite(programs, perType, "beyond", cfg.beyondEvalSeed + 1);
}
