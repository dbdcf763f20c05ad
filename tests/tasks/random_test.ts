/**
 * The random-task helpers: proposals with the inputs the environment draws instead of the
 * proposer's (config `proposalInputs: natural`), programs and rollouts kept.
 */
import assert from "node:assert/strict";
import { parseProgram } from "../../lib/lang/parse.ts";
import { WORLDS } from "../../lib/lang/types.ts";
import { Rng } from "../../lib/rng.ts";
import type { Proposal } from "../../lib/tasks/propose.ts";
import { withNaturalInputs } from "../../lib/tasks/random.ts";

Deno.test("withNaturalInputs: the proposer's one-element lists become the world's natural lists", () => {
  const parsed = parseProgram("function f(xs) { return xs.length; }");
  assert.ok(parsed.ok);
  const rollout = {} as NonNullable<Proposal["rollout"]>;
  const proposals: Proposal[] = Array.from({ length: 200 }, () => ({
    task: "deduction",
    programTokens: parsed.tokens,
    signature: parsed.signature,
    inputs: [[[1]]],
    rollout,
  }));
  const unreadable: Proposal = {
    task: "abduction",
    programTokens: [],
    inputs: [],
    formatError: "x",
  };
  const out = withNaturalInputs([...proposals, unreadable], new Rng(5), WORLDS.small);
  assert.equal(out.length, 201);
  assert.equal(out[200], unreadable, "a proposal that could not be read is left as it is");
  const lengths = new Set<number>();
  for (const p of out.slice(0, 200)) {
    assert.equal(p.programTokens, parsed.tokens);
    assert.equal(p.rollout, rollout, "the proposer's rollout is kept");
    assert.equal(p.inputs.length, 1, "as many inputs as the proposer wrote");
    const [xs] = p.inputs[0]! as [number[]];
    assert.ok(Array.isArray(xs) && xs.length <= WORLDS.small.maxListLen);
    for (const v of xs) assert.ok(Number.isInteger(v) && v >= -9 && v <= 9);
    lengths.add(xs.length);
  }
  // The world's lists are 0..6 long; 200 natural draws cover every length, not only 1.
  assert.deepEqual([...lengths].sort(), [0, 1, 2, 3, 4, 5, 6]);
  assert.deepEqual(withNaturalInputs(proposals, new Rng(5), WORLDS.small), out.slice(0, 200));
});
