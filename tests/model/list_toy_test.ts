/**
 * Evidence that a correct model closes lists of every length (issue 11, item 4: the old kit's
 * models answered list queries with one int repeated up to the length limit).
 *
 * A supervised toy on its own tiny vocabulary, not the language's: sequences
 * `BOS task [ x1 … xk ] SEP [ y1 … yk ] EOS` where task ∈ {copy, reverse}, xi ∈ −9..9 and
 * k ∈ 0..6 (the small world's longest list). The kit's Transformer is trained with
 * teacher-forced cross-entropy on the answer tokens only (completionLogprobs + AdamW), then
 * decoded greedily with the kit's sampler under a constraint that allows every token and stops
 * after EOS. Every length must come out right, not just the common ones: a model (or a sampler,
 * or a loss) that cannot emit `]` at the right place fails here at some length.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import {
  AdamW,
  completionLogprobs,
  sampleTokens,
  type TokenConstraint,
  Transformer,
} from "../../lib/model/mod.ts";
import { Rng } from "../../lib/rng.ts";
import { useBackend } from "./helpers.ts";

await useBackend("wasm");

// Vocabulary: ints −9..9 are ids 0..18, then the structural tokens.
const INT0 = 9; // id of int x is x + INT0
const BOS = 19;
const EOS = 20;
const SEP = 21;
const OPEN = 22;
const CLOSE = 23;
const COPY = 24;
const REVERSE = 25;
const VOCAB = 26;
const MAX_LEN = 6; // the small world's longest list

type Task = "copy" | "reverse";
const TASK_TOKEN: Record<Task, number> = { copy: COPY, reverse: REVERSE };

/**
 * Toy settings. Two heads of width 32 learn the positional look-ups much faster than four of 16;
 * the learning rate warms up, then decays on a cosine to 0 (at a constant rate the longest lists
 * keep flipping between right and wrong). The budget is what the longest lists need: with batch
 * 32, or 800 steps, lengths 4..6 stay well below 90% (the CPU cost is about 0.1 s a step on wasm).
 */
const TOY = {
  model: { dModel: 64, nLayers: 2, nHeads: 2, mlpRatio: 4, contextLen: 24, seed: 0 },
  optim: { lr: 3e-3, weightDecay: 0.01, beta1: 0.9, beta2: 0.99, gradClip: 1 },
  warmup: 50,
  steps: 1200,
  batch: 64,
  dataSeed: 1,
  testSeed: 2,
  testPerCell: 40, // fresh lists per (task, length)
  threshold: 0.9, // exact-match accuracy required at every (task, length)
};

function listTokens(xs: readonly number[]): number[] {
  return [OPEN, ...xs.map((x) => x + INT0), CLOSE];
}

function answer(task: Task, xs: readonly number[]): number[] {
  return task === "copy" ? [...xs] : [...xs].reverse();
}

/** `BOS task [ x… ] SEP` */
function prompt(task: Task, xs: readonly number[]): number[] {
  return [BOS, TASK_TOKEN[task], ...listTokens(xs), SEP];
}

/** `[ y… ] EOS` */
function completion(task: Task, xs: readonly number[]): number[] {
  return [...listTokens(answer(task, xs)), EOS];
}

function randomList(rng: Rng, len: number): number[] {
  return Array.from({ length: len }, () => rng.int(19) - INT0);
}

/** Allows every token; done after EOS (so decoding stops where the model says). */
class UntilEos implements TokenConstraint {
  readonly #mask = new Uint8Array(VOCAB).fill(1);
  #done = false;
  allowed(): Uint8Array {
    return this.#mask;
  }
  advance(token: number): void {
    if (token === EOS) this.#done = true;
  }
  done(): boolean {
    return this.#done;
  }
}

/** Reads `[ y… ]` back into ints, or undefined when the answer is malformed. */
function readList(tokens: readonly number[]): number[] | undefined {
  if (tokens[0] !== OPEN) return undefined;
  const close = tokens.indexOf(CLOSE);
  if (close < 0 || tokens[close + 1] !== EOS || close + 2 !== tokens.length) return undefined;
  const body = tokens.slice(1, close);
  if (body.some((t) => t < 0 || t >= 19)) return undefined;
  return body.map((t) => t - INT0);
}

Deno.test("list toy: copy and reverse are closed at every length 0..6", async () => {
  const model = new Transformer({ vocabSize: VOCAB, tieEmbeddings: true, ...TOY.model });
  const opt = new AdamW(model.params, TOY.optim);
  const rng = new Rng(TOY.dataSeed);
  const t0 = performance.now();
  let lastLoss = NaN;
  for (let step = 0; step < TOY.steps; step++) {
    const progress = Math.max(0, step - TOY.warmup) / (TOY.steps - TOY.warmup);
    opt.options.lr = TOY.optim.lr * Math.min(1, (step + 1) / TOY.warmup) *
      0.5 * (1 + Math.cos(Math.PI * progress));
    const tasks: Task[] = [];
    const lists: number[][] = [];
    for (let i = 0; i < TOY.batch; i++) {
      tasks.push(rng.pick(["copy", "reverse"] as const));
      lists.push(randomList(rng, rng.int(MAX_LEN + 1)));
    }
    const batch = {
      prompts: lists.map((xs, i) => prompt(tasks[i]!, xs)),
      completions: lists.map((xs, i) => completion(tasks[i]!, xs)),
    };
    // Mean cross-entropy (nats/token) over the answer tokens only.
    const { loss } = await opt.step(() =>
      tf.tidy(() => {
        const r = completionLogprobs(model, batch);
        return tf.neg(tf.div(tf.sum(r.logprobs), tf.sum(r.weights))) as tf.Scalar;
      })
    );
    lastLoss = loss;
  }
  const seconds = (performance.now() - t0) / 1000;
  console.log(`${TOY.steps} steps in ${seconds.toFixed(0)} s; last loss ${lastLoss.toFixed(4)}`);

  const test = new Rng(TOY.testSeed);
  const cases: { task: Task; xs: number[] }[] = [];
  for (const task of ["copy", "reverse"] as const) {
    for (let len = 0; len <= MAX_LEN; len++) {
      for (let i = 0; i < TOY.testPerCell; i++) cases.push({ task, xs: randomList(test, len) });
    }
  }
  const out = await sampleTokens(model, cases.map(({ task, xs }) => prompt(task, xs)), {
    maxTokens: MAX_LEN + 3 + 4, // room to overshoot: a list that never closes shows up as wrong
    temperature: 1,
    greedy: true,
    constraints: cases.map(() => new UntilEos()),
  });
  const report: string[] = [];
  const failures: string[] = [];
  for (const task of ["copy", "reverse"] as const) {
    for (let len = 0; len <= MAX_LEN; len++) {
      let exact = 0;
      let rightLength = 0;
      cases.forEach(({ task: t, xs }, i) => {
        if (t !== task || xs.length !== len) return;
        const got = readList(out.tokens[i]!);
        if (got?.length === len) rightLength++;
        if (got && got.join(",") === answer(task, xs).join(",")) exact++;
      });
      const acc = exact / TOY.testPerCell;
      const lenAcc = rightLength / TOY.testPerCell;
      report.push(`${task} len ${len}: exact ${acc.toFixed(3)}, length ${lenAcc.toFixed(3)}`);
      if (acc < TOY.threshold || lenAcc < TOY.threshold) {
        failures.push(`${task} len ${len}: exact ${acc}, right length ${lenAcc}`);
      }
    }
  }
  console.log(report.join("\n"));
  assert.deepEqual(failures, [], `below ${TOY.threshold} at:\n${failures.join("\n")}`);
  model.dispose();
  opt.dispose();
});
