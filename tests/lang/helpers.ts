/** Shared test helpers: sampling under a mask from random logits (Gumbel-max). */
import type { TokenConstraint } from "../../lib/lang/constraint.ts";
import { VOCAB_SIZE } from "../../lib/lang/mod.ts";
import type { Rng } from "../../lib/rng.ts";

/** Random logits for one sequence: normal-ish, scale `scale`. */
export function randomLogits(rng: Rng, scale = 3): Float64Array {
  const l = new Float64Array(VOCAB_SIZE);
  for (let t = 0; t < l.length; t++) l[t] = (rng.next() + rng.next() + rng.next() - 1.5) * scale;
  return l;
}

/** Samples a whole sequence under `c` from fixed logits plus Gumbel noise per step. */
export function sampleWithLogits(
  c: TokenConstraint,
  logits: Float64Array,
  rng: Rng,
  limit = 10_000,
): number[] {
  const out: number[] = [];
  while (!c.done()) {
    if (out.length > limit) throw new Error("constraint never finished");
    const mask = c.allowed();
    let best = -1;
    let bestScore = -Infinity;
    for (let t = 0; t < mask.length; t++) {
      if (mask[t] !== 1) continue;
      const s = logits[t]! - Math.log(-Math.log(rng.next() + 1e-12));
      if (s > bestScore) {
        bestScore = s;
        best = t;
      }
    }
    if (best < 0) throw new Error("no token allowed but the constraint is not done");
    c.advance(best);
    out.push(best);
  }
  return out;
}
