/**
 * The generator's bank, built once per setting and kept in `runs/cache/` (git-ignored): a bank of
 * programs up to 5 tokens takes minutes to enumerate and is the same every time. The file name
 * hashes the bank's options and {@linkcode BANK_FORMAT}. An absent file is built; a corrupt one
 * (not JSON, not the format) is rebuilt with a warning; any other error reading it propagates.
 * @module
 */
import { z } from "zod";
import { type Bank, type BankOptions, buildBank } from "../lang/generate.ts";
import { SIGNATURES, type World, worldOf } from "../lang/types.ts";
import { writeAtomic } from "./run_dir.ts";

/** Bumped whenever the generator's output for the same options changes. */
export const BANK_FORMAT = "azr-kit/bank@1";

const FileSchema = z.strictObject({
  format: z.literal(BANK_FORMAT),
  options: z.unknown(),
  signatures: z.array(z.strictObject({
    signature: z.string(),
    evals: z.number(),
    ms: z.number(),
    programs: z.array(z.tuple([z.array(z.number().int()), z.number().int(), z.number()])),
  })),
});

async function digest(text: string): Promise<string> {
  const bytes = new TextEncoder().encode(text);
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...d.slice(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The generator's bank a run uses: its world, programs of up to `pretrainMaxSize` tokens, cached
 * in `<runsDir>/cache` (pre-training and the random curriculum share it).
 */
export function configBank(
  cfg: World & { pretrainMaxSize: number; runsDir: string },
): Promise<{ bank: Bank; cached: boolean }> {
  return cachedBank({ world: worldOf(cfg), maxSize: cfg.pretrainMaxSize }, `${cfg.runsDir}/cache`);
}

/**
 * A cached bank's file: the bank, "absent", or why it is corrupt. Errors other than the file's
 * absence or its content (no permission, a folder in its place) propagate.
 */
async function readBankFile(
  path: string,
  opts: BankOptions,
): Promise<Bank | { corrupt: string } | "absent"> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return "absent";
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    if (e instanceof SyntaxError) return { corrupt: `not JSON (${e.message})` };
    throw e;
  }
  const file = FileSchema.safeParse(json);
  if (!file.success) {
    return { corrupt: z.prettifyError(file.error).split("\n").map((l) => l.trim()).join(" ") };
  }
  const signatures = [];
  for (const s of file.data.signatures) {
    const signature = SIGNATURES.find((x) => x.name === s.signature);
    if (!signature) return { corrupt: `unknown signature ${s.signature}` };
    signatures.push({
      signature,
      evals: s.evals,
      ms: s.ms,
      programs: s.programs.map(([tokens, size, valid]) => ({ tokens, size, valid })),
    });
  }
  return { world: opts.world, maxSize: opts.maxSize ?? 5, signatures };
}

/**
 * The bank of `opts`, from `dir` when it was built before, else built and saved there (a corrupt
 * file is rebuilt, said through `warn`: the build can take minutes).
 */
export async function cachedBank(
  opts: BankOptions,
  dir = "runs/cache",
  warn: (line: string) => void = (line) => console.error(line),
): Promise<{ bank: Bank; cached: boolean }> {
  const key = JSON.stringify({ format: BANK_FORMAT, ...opts });
  const path = `${dir}/bank-${await digest(key)}.json`;
  const read = await readBankFile(path, opts);
  if (read !== "absent" && !("corrupt" in read)) return { bank: read, cached: true };
  if (read !== "absent") warn(`bank cache ${path} is corrupt (${read.corrupt}): rebuilding it`);
  const bank = buildBank(opts);
  await Deno.mkdir(dir, { recursive: true });
  await writeAtomic(
    path,
    JSON.stringify({
      format: BANK_FORMAT,
      options: opts,
      signatures: bank.signatures.map((s) => ({
        signature: s.signature.name,
        evals: s.evals,
        ms: s.ms,
        programs: s.programs.map((p) => [p.tokens, p.size, p.valid]),
      })),
    }),
  );
  return { bank, cached: false };
}
