/**
 * Pre-training: every view's target is what its constraint accepts and never sits in its
 * prompt; a tiny run lowers the loss on a fixed batch; a run cut in two resumes exactly; a base
 * loads into self-play only in its own world and at its own sizes.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { resolveConfig } from "../../lib/config.ts";
import { buildBank, splitBank } from "../../lib/lang/generate.ts";
import { ANSWER, worldVocab } from "../../lib/lang/vocab.ts";
import { initBackend } from "../../lib/model/backend.ts";
import { TransformerPolicy } from "../../lib/model/policy.ts";
import { Rng } from "../../lib/rng.ts";
import { loadBase } from "../../lib/trainer/init.ts";
import { RunStopped, train } from "../../lib/trainer/loop.ts";
import { readMetrics } from "../../lib/trainer/metrics.ts";
import { curriculumWeights, pretrain, pretrainLr } from "../../lib/trainer/pretrain.ts";
import {
  makeBatch,
  PRETRAIN_VIEWS,
  type PretrainExample,
} from "../../lib/trainer/pretrain_data.ts";
import { RunError } from "../../lib/trainer/run_dir.ts";

await initBackend("wasm", { log: false });

function cfg(runsDir: string, name: string, extra: Record<string, unknown> = {}) {
  return resolveConfig({
    preset: "tiny",
    overrides: {
      runsDir,
      name,
      pretrainMaxSize: 3,
      pretrainBatch: 12,
      pretrainEvalTasks: 2,
      pretrainEvalEvery: 0,
      evalLimit: 1,
      checkpointEvery: 2,
      // A run of a few steps is all warm-up under the cosine schedule; and a resumed run with a
      // longer pretrainSteps would stretch the schedule (tested on its own below).
      pretrainLrSchedule: "constant",
      ...extra,
    },
  });
}

const c0 = cfg("unused", "x");
const bank = splitBank(buildBank({ world: c0, maxSize: 3 }), "train");

Deno.test("views: every target is accepted by its constraint, and a solver prompt never holds it", () => {
  const batch = makeBatch(new Rng(0), bank, PRETRAIN_VIEWS, 60, c0);
  assert.deepEqual(new Set(batch.map((e) => e.view)), new Set(PRETRAIN_VIEWS));
  for (const e of batch) {
    assert.equal(e.masks.length, e.target.length);
    e.target.forEach((t, k) => assert.equal(e.masks[k]![t], 1, `${e.view} token ${k}`));
    assert.equal(e.prompt.at(-1), ANSWER);
    // Tokens are inside the small world's vocabulary prefix.
    const V = worldVocab(c0).size;
    assert.ok([...e.prompt, ...e.target].every((t) => t < V));
  }
  const ded = batch.filter((e) => e.view === "induction");
  // The induction target (the program) is never a contiguous part of the prompt.
  for (const e of ded) {
    const p = e.prompt.join(",");
    assert.ok(!p.includes(e.target.join(",")), "program appears in the induction prompt");
  }
});

Deno.test("size curriculum unlocks sizes one at a time", () => {
  assert.deepEqual(curriculumWeights(4, 0), [0, 1, 0, 0, 0]);
  assert.deepEqual(curriculumWeights(4, 0.5), [0, 1, 1, 1, 0]);
  assert.deepEqual(curriculumWeights(4, 0.99), [0, 1, 1, 1, 1]);
});

/** Mean cross-entropy (nats/token) of a batch under a policy. */
function batchLoss(policy: TransformerPolicy, batch: PretrainExample[]): number {
  return tf.tidy(() => {
    const out = policy.logprobs({
      prompts: batch.map((e) => e.prompt),
      completions: batch.map((e) => e.target),
      masks: batch.map((e) => e.masks),
      temperature: 1,
    });
    const n = batch.reduce((s, e) => s + e.target.length, 0);
    return -tf.sum(tf.mul(out.logprobs, out.weights)).dataSync()[0]! / n;
  });
}

Deno.test("a tiny pre-training run lowers the loss on a fixed batch; its base loads into self-play", async () => {
  const runs = await Deno.makeTempDir();
  try {
    const c = cfg(runs, "pt", { pretrainSteps: 40 });
    const fixed = makeBatch(new Rng(99), bank, PRETRAIN_VIEWS, 36, c);
    const fresh = TransformerPolicy.fromConfig(c, worldVocab(c).size); // same seed → same init
    const before = batchLoss(fresh, fixed);
    const summary = await pretrain(c);
    assert.equal(summary.steps, 40);
    const metrics = await readMetrics(`${runs}/pt/metrics.jsonl`);
    assert.equal(metrics.filter((m) => typeof m["pretrain/loss"] === "number").length, 40);
    assert.ok(
      metrics.every((m) => m["pretrain/loss"] === undefined || Number.isFinite(m["pretrain/loss"])),
    );
    assert.equal(typeof metrics.at(-1)!["eval/generator/deduction"], "number");
    // The shipped form: weights only, loaded into a fresh policy through loadBase.
    const { path, step, pretrainMaxSize } = await loadBase(`${runs}/pt/base`, {
      model: fresh.model,
      cfg: c,
      vocabHash: worldVocab(c).hash,
    });
    assert.equal(path, `${runs}/pt/base`);
    assert.equal(step, 39);
    assert.equal(pretrainMaxSize, c.pretrainMaxSize);
    const after = batchLoss(fresh, fixed);
    assert.ok(after < before - 0.1, `loss on a fixed batch: ${before} → ${after}`);
    fresh.dispose();

    // A base of another world, or other model sizes, is refused with both sides named.
    const wide = resolveConfig({ preset: "tiny", overrides: { world: "wide" } });
    const other = TransformerPolicy.fromConfig(wide, worldVocab(wide).size);
    await assert.rejects(
      loadBase(`${runs}/pt/base`, {
        model: other.model,
        cfg: wide,
        vocabHash: worldVocab(wide).hash,
      }),
      (e: Error) => e instanceof RunError && /ints \[-9, 9\].*ints \[-999, 999\]/.test(e.message),
    );
    other.dispose();
    const bigger = { ...c, dModel: 64 };
    const big = TransformerPolicy.fromConfig(bigger, worldVocab(c).size);
    await assert.rejects(
      loadBase(`${runs}/pt`, { model: big.model, cfg: bigger, vocabHash: worldVocab(c).hash }),
      (e: Error) => e instanceof RunError && /dModel 32.*dModel 64/.test(e.message),
    );
    big.dispose();
    await assert.rejects(
      loadBase(`${runs}/nowhere`, { model: fresh.model, cfg: c, vocabHash: "x" }),
      (e: Error) => e instanceof RunError && /scratch/.test(e.message),
    );

    // Self-play from the base (--init), with the variants of issue 12 switched on.
    const lines: string[] = [];
    const selfPlay = resolveConfig({
      preset: "tiny",
      overrides: {
        runsDir: runs,
        name: "sp",
        steps: 2,
        evalLimit: 1,
        init: `${runs}/pt/base`,
        pretrainMaxSize: c.pretrainMaxSize,
        learnability: "chance",
        solverCe: 1,
      },
    });
    const s = await train(selfPlay, { log: (l) => lines.push(l) });
    assert.equal(s.step, 2);
    assert.ok(lines.some((l) => l.includes(`initial weights: ${runs}/pt/base`)), lines.join("\n"));
    assert.ok(!lines.some((l) => l.includes("the base was taught")), lines.join("\n"));
    // A run whose bank is not the base's says so (its generator sets are not the base's own).
    const otherBank: string[] = [];
    await train(
      resolveConfig({
        preset: "tiny",
        overrides: {
          runsDir: runs,
          name: "sp-bank",
          steps: 0,
          evalLimit: 1,
          init: `${runs}/pt/base`,
          pretrainMaxSize: c.pretrainMaxSize + 1,
        },
      }),
      { log: (l) => otherBank.push(l) },
    );
    assert.ok(
      otherBank.some((l) =>
        l.includes(
          `the base was taught programs of up to ${c.pretrainMaxSize} tokens, this run's generator bank has up to ${
            c.pretrainMaxSize + 1
          }`,
        )
      ),
      otherBank.join("\n"),
    );
    const sp = await readMetrics(`${runs}/sp/metrics.jsonl`);
    const ce = sp.flatMap((m) =>
      typeof m["loss/solver_ce"] === "number" ? [m["loss/solver_ce"]] : []
    );
    assert.equal(ce.length, 2);
    assert.ok(ce.every((x) => Number.isFinite(x) && x > 0));
    // A wide-world run cannot start from a small-world base.
    const wideRun = resolveConfig({
      preset: "tiny",
      overrides: { runsDir: runs, name: "sp-wide", world: "wide", init: `${runs}/pt/base` },
    });
    await assert.rejects(
      train(wideRun),
      (e: Error) => e instanceof RunError && /world is ints \[-9, 9\]/.test(e.message),
    );
  } finally {
    await Deno.remove(runs, { recursive: true });
  }
});

Deno.test("pre-training cut after 4 steps and resumed matches an uninterrupted run exactly", async () => {
  const runs = await Deno.makeTempDir();
  const losses = async (name: string) =>
    (await readMetrics(`${runs}/${name}/metrics.jsonl`)).flatMap((m) =>
      // the token count too: the resumed run carries it on, curves are drawn against it
      typeof m["pretrain/loss"] === "number"
        ? [[m.step, m["pretrain/loss"], m["pretrain/tokens"]]]
        : []
    );
  try {
    await pretrain(cfg(runs, "whole", { pretrainSteps: 8 }));
    await pretrain(cfg(runs, "cut", { pretrainSteps: 4 }));
    await pretrain(cfg(runs, "cut", { pretrainSteps: 8 }), {
      resume: true,
      explicitKeys: ["pretrainSteps"],
    });
    const whole = await losses("whole");
    assert.equal(whole.length, 8);
    assert.deepEqual(await losses("cut"), whole);
  } finally {
    await Deno.remove(runs, { recursive: true });
  }
});

Deno.test("pre-training with the gradient worker: the one-thread run's losses, the worker's share logged", async () => {
  const runs = await Deno.makeTempDir();
  const read = async (name: string) =>
    (await readMetrics(`${runs}/${name}/metrics.jsonl`)).filter((m) =>
      typeof m["pretrain/loss"] === "number"
    );
  try {
    // Small micro-batches: several a step, so the worker has a share.
    const extra = { pretrainSteps: 6, ceMicroBatchTokens: 64 };
    await pretrain(cfg(runs, "one", { ...extra, pretrainGradWorker: false }));
    await pretrain(cfg(runs, "two", { ...extra, pretrainGradWorker: true }));
    const [one, two] = [await read("one"), await read("two")];
    assert.equal(two.length, 6);
    two.forEach((m, i) => {
      const want = one[i]!["pretrain/loss"] as number;
      const got = m["pretrain/loss"] as number;
      assert.ok(Math.abs(got - want) <= 1e-5 * want, `step ${i}: loss ${got} against ${want}`);
      assert.equal(one[i]!["perf/grad_worker_share"], 0);
      const share = m["perf/grad_worker_share"] as number;
      assert.ok(share > 0.2 && share < 0.8, `step ${i}: the worker computed ${share} of it`);
    });
  } finally {
    await Deno.remove(runs, { recursive: true });
  }
});

Deno.test("pre-training from a base (pretrainInit) starts from its weights, not the seeded init", async () => {
  const runs = await Deno.makeTempDir();
  const loaded: TransformerPolicy[] = [];
  try {
    const c = cfg(runs, "first", { pretrainSteps: 20, pretrainLr: 3e-3 });
    await pretrain(c);
    // One step at a vanishing rate: the saved weights are the starting ones to ~1e-9.
    const lines: string[] = [];
    const more = { pretrainSteps: 1, pretrainLr: 1e-9 };
    await pretrain(cfg(runs, "more", { ...more, pretrainInit: `${runs}/first` }), {
      log: (l) => lines.push(l),
    });
    assert.match(
      lines.join("\n"),
      /initial weights: .*first\/checkpoints\/step-000019 \(pre-trained for 20 steps\)/,
    );
    await pretrain(cfg(runs, "fresh", more));
    const fixed = makeBatch(new Rng(99), bank, PRETRAIN_VIEWS, 36, c);
    const lossOf = async (dir: string) => {
      const p = TransformerPolicy.fromConfig(c, worldVocab(c).size);
      loaded.push(p);
      await loadBase(dir, { model: p.model, cfg: c, vocabHash: worldVocab(c).hash });
      return batchLoss(p, fixed);
    };
    const [first, fromIt, fresh] = [
      await lossOf(`${runs}/first/base`),
      await lossOf(`${runs}/more/base`),
      await lossOf(`${runs}/fresh/base`),
    ];
    assert.ok(Math.abs(fromIt - first) < 1e-4, `from the base ${fromIt}, the base ${first}`);
    assert.ok(fresh > first + 0.1, `the seeded init ${fresh}, the base ${first}`);
  } finally {
    loaded.forEach((p) => p.dispose());
    await Deno.remove(runs, { recursive: true });
  }
});

Deno.test("pre-training resumed without a checkpoint starts over: no step is logged twice", async () => {
  const runs = await Deno.makeTempDir();
  try {
    await pretrain(cfg(runs, "lost", { pretrainSteps: 2 }));
    // A run killed before its first checkpoint: its logs are there, its checkpoints are not.
    await Deno.remove(`${runs}/lost/checkpoints`, { recursive: true });
    const lines: string[] = [];
    const summary = await pretrain(cfg(runs, "lost", { pretrainSteps: 2 }), {
      resume: true,
      log: (l) => lines.push(l),
    });
    const steps = (await readMetrics(`${runs}/lost/metrics.jsonl`))
      .filter((m) => typeof m["pretrain/loss"] === "number").map((m) => m.step);
    assert.deepEqual(steps, [0, 1]);
    assert.equal(summary.steps, 2);
    assert.match(lines.join("\n"), /no checkpoint .*starting 'lost' over from step 0/);
  } finally {
    await Deno.remove(runs, { recursive: true });
  }
});

Deno.test("pre-training stops on its signal, as self-play does: RunStopped, the final files written", async () => {
  const runs = await Deno.makeTempDir();
  try {
    const err = await pretrain(cfg(runs, "stop", { pretrainSteps: 2 }), {
      signal: AbortSignal.abort("test"),
    }).catch((e) => e);
    assert.ok(err instanceof RunStopped, String(err));
    assert.equal(err.step, 0);
    assert.equal(err.checkpoint, undefined);
    assert.match(err.message, /no step finished.*--name stop --resume continues it/);
    // The final eval ran after the stop (pre-training reports even a stopped run).
    assert.equal(JSON.parse(await Deno.readTextFile(`${runs}/stop/summary.json`)).steps, 0);
  } finally {
    await Deno.remove(runs, { recursive: true });
  }
});

Deno.test("pre-training lr: constant, or warm-up then cosine to a tenth", () => {
  const c = { pretrainLr: 1e-3, pretrainSteps: 1000 };
  assert.equal(pretrainLr({ ...c, pretrainLrSchedule: "constant" }, 500), 1e-3);
  const cos = (step: number) => pretrainLr({ ...c, pretrainLrSchedule: "cosine" }, step);
  assert.ok(Math.abs(cos(0) - 1e-5) < 1e-12); // warm-up: 1/100 of the peak, times cos(0) = 1
  assert.ok(Math.abs(cos(99) - 1e-3 * (0.1 + 0.45 * (1 + Math.cos(Math.PI * 0.099)))) < 1e-12);
  assert.ok(Math.abs(cos(500) - 1e-3 * 0.55) < 1e-12); // halfway: 0.1 + 0.9 × ½
  assert.ok(Math.abs(cos(1000) - 1e-4) < 1e-12); // the end: a tenth
});
