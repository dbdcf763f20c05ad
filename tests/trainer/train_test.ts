/**
 * The whole loop on the `tiny` preset: parameters change, metrics are finite,
 * buffers grow, checkpoints resume exactly after SIGKILL, the report renders,
 * and bad input (existing run, corrupt buffer, no loadable checkpoint) gives a
 * clear error without overwriting anything. SIGINT, fallback, --from,
 * --overwrite: lifecycle_test.ts.
 */
import assert from "node:assert/strict";
import { resolveConfig } from "../../lib/config.ts";
import { worldVocab } from "../../lib/lang/vocab.ts";
import { decodeSafetensors } from "../../lib/model/safetensors.ts";
import { Transformer } from "../../lib/model/transformer.ts";
import { readMetrics } from "../../lib/trainer/metrics.ts";
import { train } from "../../lib/trainer/loop.ts";
import { readProposals } from "../../lib/trainer/run_files.ts";
import { configBank } from "../../lib/trainer/bank_cache.ts";
import { configSplit } from "../../lib/eval/bank_split.ts";
import { programKey } from "../../lib/lang/generate.ts";
import { readBufferFile } from "../../lib/tasks/buffer.ts";
import { isConstantProgram } from "../../lib/tasks/constant.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const tinyArgs = ["--preset=tiny", "--evalLimit=2", "--evalEvery=2", "--checkpointEvery=1"];

function cfg(runsDir: string, name: string, extra: Record<string, unknown> = {}) {
  return resolveConfig({
    preset: "tiny",
    overrides: { runsDir, name, evalLimit: 2, evalEvery: 2, ...extra },
  });
}

/** Metrics without the wall-clock ones (perf/*), which differ between any two runs. */
async function trajectory(path: string) {
  return (await readMetrics(path)).map((m) =>
    Object.fromEntries(Object.entries(m).filter(([k]) => !k.startsWith("perf/")))
  );
}

Deno.test("tiny run: parameters change, metrics finite, buffers grow, report renders", async () => {
  const runs = await Deno.makeTempDir();
  try {
    const c = cfg(runs, "t", { steps: 3 });
    const summary = await train(c);
    assert.equal(summary.step, 3);
    const metrics = await readMetrics(`${runs}/t/metrics.jsonl`);
    const steps = metrics.filter((m) => m.step >= 0);
    assert.equal(steps.length, 3);
    for (const m of steps) {
      for (const [k, v] of Object.entries(m)) {
        assert.ok(v !== null, `step ${m.step}: ${k} is not finite`);
      }
      for (
        const key of [
          "loss/grad_norm",
          "reward/solve/deduction",
          "acc/solve/induction",
          "valid_rate/all",
        ]
      ) {
        assert.equal(typeof m[key], "number", key);
      }
    }
    for (const t of ["deduction", "abduction", "induction"]) {
      // batchSize solver tasks per type a step (solverBatch 0).
      assert.deepEqual(steps.map((m) => m[`solve/tasks/${t}`]), [2, 2, 2], t);
      const sizes = steps.map((m) => m[`buffer/size/${t}`] as number);
      assert.ok(sizes.at(-1)! > 6, `${t} buffer did not grow past its 6 seeds: ${sizes}`);
    }
    // Weights after training differ from the same seed's initial weights.
    const latest = (await Deno.readTextFile(`${runs}/t/checkpoints/latest`)).trim();
    const saved = decodeSafetensors(
      await Deno.readFile(`${runs}/t/checkpoints/${latest}/model.safetensors`),
    );
    assert.ok(saved.ok);
    const fresh = new Transformer({ vocabSize: worldVocab(c).size, ...c });
    let changed = 0;
    for (const [name, v] of fresh.params) {
      const a = v.dataSync();
      const b: ArrayLike<number> = saved.tensors.get(`model.${name}`)!.data;
      assert.equal(b.length, a.length, name);
      if (a.some((x, i) => x !== b[i])) changed++;
    }
    fresh.dispose();
    assert.ok(
      changed >= fresh.params.size / 2,
      `only ${changed} of ${fresh.params.size} tensors changed`,
    );
    // eval.json: the final eval task by task; its scores average to the summary's accuracies.
    const evalFinal = JSON.parse(await Deno.readTextFile(`${runs}/t/eval.json`)) as {
      step: number;
      outcomes: { id: string; task: string; score: number; answer: string }[];
    };
    assert.equal(evalFinal.step, 3);
    for (const t of ["deduction", "abduction", "induction"]) {
      const own = evalFinal.outcomes.filter((o) => o.task === t);
      assert.ok(own.length > 0 && own.every((o) => o.id && typeof o.answer === "string"), t);
      const acc = own.reduce((a, o) => a + o.score, 0) / own.length;
      assert.ok(Math.abs(acc - summary.eval[t]!) < 1e-12, `${t}: ${acc} vs ${summary.eval[t]}`);
    }
    const report = await Deno.readTextFile(`${runs}/t/report.html`);
    assert.ok((report.match(/<svg/g) ?? []).length >= 8, "report has its figures");
    assert.match(report, /Proposer reward/);
  } finally {
    await Deno.remove(runs, { recursive: true });
  }
});

Deno.test("solverBatch: the solver takes that many tasks per type a step, the proposer batchSize", async () => {
  const runs = await Deno.makeTempDir();
  try {
    await train(cfg(runs, "sb", { steps: 2, solverBatch: 5, evalEvery: 0 }));
    const steps = (await readMetrics(`${runs}/sb/metrics.jsonl`)).filter((m) => m.step >= 0);
    const proposals = await readProposals(`${runs}/sb/proposals.jsonl`);
    for (const t of ["deduction", "abduction", "induction"]) {
      assert.deepEqual(steps.map((m) => m[`solve/tasks/${t}`]), [5, 5], t);
      // The proposer still writes batchSize (2) tasks of each type a step.
      for (const step of [0, 1]) {
        assert.equal(proposals.filter((p) => p.step === step && p.task === t).length, 2, t);
      }
    }
  } finally {
    await Deno.remove(runs, { recursive: true });
  }
});

Deno.test("solveOnRollouts: the solver's samples are the step's learnability rollouts, also with the proposer frozen", async () => {
  const runs = await Deno.makeTempDir();
  try {
    for (const trainProposer of [true, false]) {
      const name = `r${trainProposer}`;
      const over = { steps: 2, nRollouts: 3, solveOnRollouts: true, trainProposer, evalEvery: 0 };
      await train(cfg(runs, name, over));
      const steps = (await readMetrics(`${runs}/${name}/metrics.jsonl`)).filter((m) => m.step >= 0);
      const proposals = await readProposals(`${runs}/${name}/proposals.jsonl`);
      for (const t of ["deduction", "abduction", "induction"]) {
        for (const step of [0, 1]) {
          const valid = proposals.filter((p) => p.step === step && p.task === t && p.valid);
          // nRollouts (3) samples of each of this step's valid tasks, none from the buffer (which
          // holds the 6 seeds and more), each task's solve rate logged.
          assert.equal(steps[step]![`solve/tasks/${t}`], 3 * valid.length, `${t} step ${step}`);
          assert.ok(valid.every((p) => p.solveRate !== undefined), `${t}: a rate is missing`);
          // A frozen proposer earns nothing, whatever its tasks' rates.
          if (!trainProposer) assert.ok(valid.every((p) => p.reward === 0), t);
        }
      }
    }
    // Without it, a frozen proposer's tasks get no rollouts, and the solver takes batchSize (2).
    await train(cfg(runs, "plain", { steps: 1, nRollouts: 3, trainProposer: false, evalEvery: 0 }));
    const plain = (await readMetrics(`${runs}/plain/metrics.jsonl`)).filter((m) => m.step >= 0);
    assert.deepEqual(plain.map((m) => m["solve/tasks/deduction"]), [2]);
    const rows = await readProposals(`${runs}/plain/proposals.jsonl`);
    assert.ok(rows.every((p) => p.solveRate === undefined));
  } finally {
    await Deno.remove(runs, { recursive: true });
  }
});

Deno.test("resume after SIGKILL mid-run reproduces the uninterrupted run's metrics", async () => {
  const runs = await Deno.makeTempDir();
  try {
    const steps = 4;
    await train(cfg(runs, "straight", { steps, checkpointEvery: 1 }));
    const args = [
      "run",
      "-A",
      `${ROOT}lib/trainer/main.ts`,
      ...tinyArgs,
      `--steps=${steps}`,
      "--quiet",
    ];
    const child = new Deno.Command(Deno.execPath(), {
      args: [...args, `--runsDir=${runs}`, "--name=killed"],
      stdout: "null",
      stderr: "null",
    }).spawn();
    // Kill it as soon as it has checkpointed step index 1 (2 steps done), i.e. inside step 3.
    const latest = `${runs}/killed/checkpoints/latest`;
    for (let i = 0; i < 600; i++) {
      const name = await Deno.readTextFile(latest).catch(() => "");
      if (name.trim() >= "step-000001") break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill("SIGKILL");
    await child.status;
    const before = await readMetrics(`${runs}/killed/metrics.jsonl`);
    assert.ok(
      before.filter((m) => m.step >= 0).length < steps,
      "the run was killed before finishing",
    );
    const resumed = await new Deno.Command(Deno.execPath(), {
      args: [...args, `--runsDir=${runs}`, "--name=killed", "--resume"],
    }).output();
    assert.equal(resumed.code, 0, new TextDecoder().decode(resumed.stderr));
    assert.deepEqual(
      await trajectory(`${runs}/killed/metrics.jsonl`),
      await trajectory(`${runs}/straight/metrics.jsonl`),
    );
    const buffers = async (name: string) =>
      await Deno.readTextFile(`${runs}/${name}/buffers/abduction.jsonl`);
    assert.equal(await buffers("killed"), await buffers("straight"));
  } finally {
    await Deno.remove(runs, { recursive: true });
  }
});

Deno.test("bad input: existing run, corrupt buffer, corrupt checkpoint → clear errors, nothing overwritten", async () => {
  const runs = await Deno.makeTempDir();
  try {
    await train(cfg(runs, "r", { steps: 2, checkpointEvery: 1 }));
    const metricsBefore = await Deno.readTextFile(`${runs}/r/metrics.jsonl`);
    // Starting a run whose folder holds a run is refused, naming both ways on.
    await assert.rejects(
      train(cfg(runs, "r", { steps: 2 })),
      /already exists.*--resume to continue it, --overwrite to replace it/,
    );
    assert.equal(await Deno.readTextFile(`${runs}/r/metrics.jsonl`), metricsBefore);
    // Resuming with a changed setting that alters the trajectory is refused.
    await assert.rejects(
      train(cfg(runs, "r", { steps: 3, lr: 0.5 }), { resume: true }),
      /'lr' was .*drop the override/,
    );
    // A corrupt buffer line is named by file and line.
    const bufPath = `${runs}/r/buffers/deduction.jsonl`;
    const buf = await Deno.readTextFile(bufPath);
    await Deno.writeTextFile(bufPath, buf.replace(/\n/, "\n{ not json\n"));
    await assert.rejects(
      train(cfg(runs, "r", { steps: 3 }), { resume: true }),
      /deduction\.jsonl:2/,
    );
    await Deno.writeTextFile(bufPath, buf);
    // When no checkpoint loads (both kept ones corrupt), the error says so and the run's files
    // stay as they were (the fallback past one corrupt checkpoint: lifecycle_test.ts).
    for (const step of ["step-000000", "step-000001"]) {
      const weights = `${runs}/r/checkpoints/${step}/model.safetensors`;
      const bytes = await Deno.readFile(weights);
      await Deno.writeFile(weights, bytes.slice(0, bytes.length - 100));
    }
    await assert.rejects(
      train(cfg(runs, "r", { steps: 3 }), { resume: true, warn: () => {} }),
      /no checkpoint loads \(Cannot load checkpoint .*step-000001.*; Cannot load checkpoint .*step-000000/,
    );
    assert.equal(await Deno.readTextFile(`${runs}/r/metrics.jsonl`), metricsBefore);
    assert.deepEqual(
      [...Deno.readDirSync(`${runs}/r/checkpoints`)].map((e) => e.name).sort(),
      ["latest", "step-000000", "step-000001"],
      "nothing renamed when none loads",
    );
  } finally {
    await Deno.remove(runs, { recursive: true });
  }
});

Deno.test("the CLI reports a malformed config with exit code 2 and the key, on one line", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}lib/trainer/main.ts`, "--preset=tiny", "--lr=fast"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 2);
  const stderr = new TextDecoder().decode(out.stderr).trim();
  assert.match(stderr, /expected number.*at lr/);
  assert.equal(stderr.split("\n").length, 1, stderr);
});

Deno.test("a run that stops on its wall-clock budget checkpoints its last step", async () => {
  const runs = await Deno.makeTempDir();
  try {
    // 0.1 min = 6 s: a few tiny steps after setup, far fewer than 400, none on a checkpoint multiple.
    const summary = await train(
      cfg(runs, "timed", { steps: 500, checkpointEvery: 400, maxMinutes: 0.1 }),
    );
    assert.ok(summary.step >= 1 && summary.step < 400, `stopped after ${summary.step} steps`);
    const latest = (await Deno.readTextFile(`${runs}/timed/checkpoints/latest`)).trim();
    assert.equal(latest, `step-${String(summary.step - 1).padStart(6, "0")}`);
  } finally {
    await Deno.remove(runs, { recursive: true });
  }
});

Deno.test("evalGenerator: self-play's evals also score the generator's held-out set", async () => {
  const runs = await Deno.makeTempDir();
  try {
    const lines: string[] = [];
    await train(cfg(runs, "g", { steps: 2, evalGenerator: 3, pretrainMaxSize: 3 }), {
      log: (l) => lines.push(l),
    });
    // Scored whole (evalLimit = 2 limits the suites only): 3 tasks per type, at both evals.
    const logged = lines.filter((l) => l.includes("(generator held-out)"));
    assert.equal(logged.length, 2, lines.join("\n"));
    for (const l of logged) assert.match(l, /deduction \d\/3 .*abduction \d\/3 .*induction \d\/3 /);
    const metrics = await readMetrics(`${runs}/g/metrics.jsonl`);
    const evals = metrics.filter((m) => "eval/generator/deduction" in m);
    // The seeding eval (before any update) and the eval after step 2.
    assert.deepEqual(evals.map((m) => m.step), [-1, 1]);
    for (const t of ["deduction", "abduction", "induction"]) {
      for (const m of evals) {
        // Three tasks of one query each: a multiple of 1/3.
        const v = m[`eval/generator/${t}`] as number;
        assert.ok(Math.abs(v * 3 - Math.round(v * 3)) < 1e-9, `${t}: ${v}`);
        assert.equal(typeof m[`eval/suite/${t}`], "number", "the suites are still scored");
      }
      // The chance levels of the same tasks, once, at the start.
      assert.equal(typeof evals[0]![`chance/generator/${t}`], "number");
      assert.equal(evals[1]![`chance/generator/${t}`], undefined);
    }
    const report = await Deno.readTextFile(`${runs}/g/report.html`);
    assert.match(report, /Generator held-out accuracy per task type/);
    // The start's tasks one by one (eval.json's `start`, the seeding eval's), the same tasks as
    // the end's, and the end paired with them: per type the difference of the two accuracies.
    type Set = { outcomes: { suite: string; id: string }[]; accuracy: Record<string, number> };
    const e: { start: Set; generator: Set } = JSON.parse(
      await Deno.readTextFile(`${runs}/g/eval.json`),
    );
    const ids = (o: { suite: string; id: string }[]) => o.map((x) => `${x.suite}/${x.id}`).sort();
    assert.equal(e.start.outcomes.length, 9);
    assert.deepEqual(ids(e.start.outcomes), ids(e.generator.outcomes));
    const line = lines.find((l) => l.startsWith("held-out (generator) against the start"));
    assert.ok(line, lines.join("\n"));
    assert.match(line, /paired on the same 3 tasks per type/);
    for (const t of ["deduction", "abduction", "induction"]) {
      assert.equal(e.start.accuracy[t], evals[0]![`eval/generator/${t}`]);
      const shown: RegExpMatchArray | null = line.match(new RegExp(`${t} ([+−])(\\d+\\.\\d) \\[`));
      assert.ok(shown, line);
      const value: number = (shown[1] === "−" ? -1 : 1) * Number(shown[2]);
      const expected: number = 100 * (e.generator.accuracy[t]! - e.start.accuracy[t]!);
      assert.ok(Math.abs(value - expected) < 0.051, `${t}: ${value} against ${expected}`);
    }
    assert.match(report, /Held-out \(generator\) at the end against the start/);
  } finally {
    await Deno.remove(runs, { recursive: true });
  }
});

Deno.test("replayBatch: a cross-entropy step on generator tasks after each RL update", async () => {
  const runs = await Deno.makeTempDir();
  try {
    await train(cfg(runs, "r", { steps: 2, replayBatch: 12, pretrainMaxSize: 3 }));
    await train(cfg(runs, "plain", { steps: 2 }));
    const steps = (name: string) =>
      readMetrics(`${runs}/${name}/metrics.jsonl`).then((ms) => ms.filter((m) => m.step >= 0));
    const replayed = await steps("r");
    assert.equal(replayed.length, 2);
    for (const m of replayed) {
      // Nats per target token of a model that has learned little: well above 0, finite.
      const loss = m["loss/replay"] as number;
      assert.ok(Number.isFinite(loss) && loss > 0.1, `loss/replay ${loss}`);
    }
    for (const m of await steps("plain")) assert.equal(m["loss/replay"], undefined);
    // The valid proposals' constant share, recomputed from the logged program texts.
    const rows = await readProposals(`${runs}/r/proposals.jsonl`);
    const c = cfg(runs, "r");
    for (const m of replayed) {
      for (const task of ["deduction", "abduction"]) {
        const valid = rows.filter((r) => r.step === m.step && r.task === task && r.valid);
        const flags = valid.map((r) => isConstantProgram(r.program, c)).filter((x) =>
          x !== undefined
        );
        const expected = flags.length ? flags.filter((x) => x).length / flags.length : undefined;
        assert.equal(m[`propose/constant/${task}`], expected, `${task} @${m.step}`);
      }
    }
  } finally {
    await Deno.remove(runs, { recursive: true });
  }
});

Deno.test("generatorTasks: the generator's train-split tasks join the buffers beside the proposals", async () => {
  const runs = await Deno.makeTempDir();
  try {
    const extra = { steps: 2, pretrainMaxSize: 3, sandboxTimeoutMs: 2000 };
    const c = cfg(runs, "g", { ...extra, generatorTasks: 3 });
    await train(c);
    await train(cfg(runs, "plain", extra));
    const { bank } = await configBank(c);
    const train_ = new Set(
      configSplit(bank, c).train.signatures.flatMap((s) =>
        s.programs.map((p) => programKey(p.tokens))
      ),
    );
    const proposals = await readProposals(`${runs}/g/proposals.jsonl`);
    const metrics = (await readMetrics(`${runs}/g/metrics.jsonl`)).filter((m) => m.step >= 0);
    assert.equal(metrics.length, 2);
    for (const task of ["deduction", "abduction", "induction"] as const) {
      const buffer = await readBufferFile(`${runs}/g/buffers/${task}.jsonl`, task);
      for (const step of [0, 1]) {
        const here = buffer.filter((r) => r.step === step);
        const valid = proposals.filter((r) => r.step === step && r.task === task && r.valid);
        // Every valid proposal, then the generator's three: valid by construction for deduction
        // and abduction; induction's take a buffer's program (as random_tasks does), which may
        // fail on the generator's inputs.
        const added = here.length - valid.length;
        if (task === "induction") assert.ok(added >= 0 && added <= 3, `${task} @${step}: ${added}`);
        else {
          assert.equal(added, 3, `${task} @${step}`);
          for (const r of here.slice(valid.length)) {
            assert.ok(train_.has(programKey(r.tokens)), `${r.program}: a train-split program`);
          }
        }
      }
    }
    for (const m of metrics) {
      const share = m["solve/generator_share"] as number;
      assert.ok(share >= 0 && share <= 1, `solve/generator_share ${share}`);
    }
    for (const m of (await readMetrics(`${runs}/plain/metrics.jsonl`)).filter((m) => m.step >= 0)) {
      assert.equal(m["solve/generator_share"], undefined);
    }
  } finally {
    await Deno.remove(runs, { recursive: true });
  }
});

Deno.test("klCoef: the KL to the starting weights is 0 before the first update, then grows", async () => {
  const runs = await Deno.makeTempDir();
  try {
    // lr raised so that the weights move visibly in two steps.
    await train(cfg(runs, "kl", { steps: 3, klCoef: 0.1, lr: 1e-2 }));
    const m = (await readMetrics(`${runs}/kl/metrics.jsonl`)).filter((r) => r.step >= 0);
    const kl = m.map((r) => r["policy/kl_ref"] as number);
    assert.equal(kl.length, 3);
    // Step 0 samples from the reference itself: every r_t = 0 up to float error.
    assert.ok(Math.abs(kl[0]!) < 1e-5, `step 0: ${kl[0]}`);
    assert.ok(kl[2]! > 1e-4, `step 2: ${kl[2]}`);
  } finally {
    await Deno.remove(runs, { recursive: true });
  }
});

Deno.test("lrWarmup: the rate rises linearly over its steps, and the first update moves the weights that much less", async () => {
  const runs = await Deno.makeTempDir();
  try {
    const lr = 1e-3;
    // One step from the same seed with and without a 4-step warm-up; then 5 steps to see the rate.
    await train(cfg(runs, "flat", { steps: 1, lr, evalEvery: 0, checkpointEvery: 1 }));
    await train(cfg(runs, "warm", { steps: 1, lr, lrWarmup: 4, evalEvery: 0, checkpointEvery: 1 }));
    await train(cfg(runs, "rise", { steps: 5, lr, lrWarmup: 4, evalEvery: 0 }));
    const rates = (await readMetrics(`${runs}/rise/metrics.jsonl`))
      .filter((r) => r.step >= 0).map((r) => r["update/lr"] as number);
    const want = [lr / 4, lr / 2, (3 * lr) / 4, lr, lr];
    assert.equal(rates.length, want.length);
    rates.forEach((r, i) => assert.ok(Math.abs(r - want[i]!) < 1e-12, `step ${i}: ${r}`));
    const flatRates = (await readMetrics(`${runs}/flat/metrics.jsonl`))
      .filter((r) => r.step >= 0).map((r) => r["update/lr"]);
    assert.deepEqual(flatRates, [lr]);
    // The weights' change from the seed's initial weights after the first update: AdamW's first
    // step is about lr on every weight, so a quarter of the rate moves them about a quarter as far.
    const c = cfg(runs, "x");
    const fresh = new Transformer({ vocabSize: worldVocab(c).size, ...c });
    const moved = async (name: string) => {
      const saved = decodeSafetensors(
        await Deno.readFile(`${runs}/${name}/checkpoints/step-000000/model.safetensors`),
      );
      assert.ok(saved.ok);
      let sum = 0;
      for (const [k, v] of fresh.params) {
        const a = v.dataSync();
        const b: ArrayLike<number> = saved.tensors.get(`model.${k}`)!.data;
        assert.equal(b.length, a.length, k);
        for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
      }
      return sum;
    };
    const [flat, warm] = [await moved("flat"), await moved("warm")];
    fresh.dispose();
    assert.ok(flat > 0 && warm > 0, `flat ${flat}, warm ${warm}`);
    assert.ok(warm < flat / 2, `warm-up's first step moved the weights ${warm}, without ${flat}`);
  } finally {
    await Deno.remove(runs, { recursive: true });
  }
});
