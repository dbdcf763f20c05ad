import assert from "node:assert/strict";
import {
  createSandbox,
  type JsonValue,
  type SandboxErrorKind,
  type SandboxJob,
} from "../../lib/sandbox/mod.ts";

// One row per result kind (and a few ok values), each with a hand-written expectation:
// [program, args, expected value or kind].
const TABLE: [string, JsonValue[], { value: JsonValue } | { kind: SandboxErrorKind }][] = [
  ["function f(xs) { return xs.map((v) => v * 2); }", [[1, 2, 3]], { value: [2, 4, 6] }],
  ["function f(a, b) { return a + b; }", ["ab", "c"], { value: "abc" }],
  ["function f(xs) { return [...new Set(xs)]; }", [[3, 1, 3, 2, 1]], { value: [3, 1, 2] }],
  [
    "function f(n) { return Array.from({ length: n }, (_, i) => Math.max(i, 2)); }",
    [4],
    { value: [2, 2, 2, 3] },
  ],
  [
    "function f(xs) { return xs.slice().sort((a, b) => b - a).reverse(); }",
    [[3, 1, 2]],
    { value: [1, 2, 3] },
  ],
  ["function f(o) { return { ...o, z: [o.a] }; }", [{ a: 1 }], { value: { a: 1, z: [1] } }],
  ["const f = (x) => x;", [null], { value: null }],
  ["function f( { return 1; }", [], { kind: "syntax" }],
  ["function f() { return Math.random(); }", [], { kind: "banned" }],
  ["function f() { throw new Error('no'); }", [], { kind: "error" }],
  ["function g() { return 1; }", [], { kind: "error" }],
  ["function f() { for (;;) {} }", [], { kind: "timeout" }],
  ["function f() { return new ArrayBuffer(2 ** 32).byteLength; }", [], { kind: "memory" }],
  ["function f() { return 'x'.repeat(100000); }", [], { kind: "output_too_large" }],
  ["function f() { return 0 / 0; }", [], { kind: "invalid_value" }],
  ["function f() { return -0; }", [], { value: 0 }],
];

Deno.test("executor: one result per job, in order, with the right value or kind", async (t) => {
  await using sb = await createSandbox({ poolSize: 2, timeoutMs: 300, memoryMb: 128 });

  await t.step("table", async () => {
    const results = await sb.run(TABLE.map(([program, args]) => ({ program, args })));
    assert.equal(results.length, TABLE.length);
    TABLE.forEach(([program, , want], i) => {
      const r = results[i]!;
      if ("value" in want) {
        assert.ok(r.ok, `${program}: ${JSON.stringify(r)}`);
        if (r.ok) assert.deepEqual(r.value, want.value);
      } else {
        assert.equal(r.ok ? "ok" : r.kind, want.kind, `${program}: ${JSON.stringify(r)}`);
      }
      assert.ok(r.ms >= 0);
    });
  });

  await t.step("a timeout mid-batch: the jobs after it still run, once, in order", async () => {
    const jobs: SandboxJob[] = [];
    for (let i = 0; i < 40; i++) {
      jobs.push(
        i === 7 || i === 23
          ? { program: "function f() { for (;;) {} }", args: [] }
          : { program: "function f(i) { return i * 3; }", args: [i] },
      );
    }
    const results = await sb.run(jobs);
    results.forEach((r, i) => {
      if (i === 7 || i === 23) assert.equal(r.ok ? "ok" : r.kind, "timeout");
      else assert.deepEqual(r, { ...r, ok: true, value: i * 3 });
    });
  });

  await t.step("concurrent run() calls are answered separately", async () => {
    const calls = [0, 1, 2].map((k) =>
      sb.run(Array.from({ length: 30 }, (_, i) => ({
        program: "function f(k, i) { return [k, i]; }",
        args: [k, i],
      })))
    );
    const all = await Promise.all(calls);
    all.forEach((results, k) =>
      results.forEach((r, i) => assert.deepEqual(r.ok && r.value, [k, i]))
    );
  });

  await t.step("args are copied per run: mutation does not leak into the second run", async () => {
    const [r] = await sb.run([{
      program: "function f(xs) { xs.push(1); return xs.length; }",
      args: [[]],
      checkDeterminism: true,
    }]);
    assert.deepEqual(r && r.ok && r.value, 1);
  });

  await t.step("determinism check: a stack-depth probe differs between two runs", async () => {
    const [r] = await sb.run([{
      program:
        "function f() { function d(n) { try { return d(n + 1); } catch { return n; } } return d(0); }",
      args: [],
      checkDeterminism: true,
    }]);
    // Without the check the same job succeeds; with it, the two depths must agree.
    assert.ok(r !== undefined);
    assert.ok(r.ok || r.kind === "nondeterministic", JSON.stringify(r));
  });

  await t.step("determinism check: a deterministic job passes and errors stay errors", async () => {
    const results = await sb.run([
      { program: "function f(x) { return x + 1; }", args: [1], checkDeterminism: true },
      { program: "function f() { throw 1; }", args: [], checkDeterminism: true },
    ]);
    assert.deepEqual(results[0] && results[0].ok && results[0].value, 2);
    assert.equal(results[1] && !results[1].ok && results[1].kind, "error");
  });

  await t.step("strings with lone surrogates and odd characters round-trip", async () => {
    const strings = ["\udc00", "a\ud800", '\u2028\n"', "😀é\u0000"];
    const results = await sb.run(
      strings.map((s) => ({ program: "function f(s) { return s; }", args: [s] })),
    );
    results.forEach((r, i) => assert.equal(r.ok && r.value, strings[i]));
  });

  await t.step("arguments outside the JSON domain are refused without running", async () => {
    const [r] = await sb.run([{ program: "function f(x) { return 1; }", args: [NaN] }]);
    assert.equal(r && !r.ok && r.kind, "invalid_value");
  });
});

Deno.test("executor: close answers waiting jobs and is idempotent", async () => {
  const sb = await createSandbox({ poolSize: 1, timeoutMs: 2000 });
  const pending = sb.run([
    { program: "function f() { for (;;) {} }", args: [] },
    { program: "function f() { return 1; }", args: [] },
  ]);
  await new Promise((r) => setTimeout(r, 50));
  await sb.close();
  await sb.close();
  const results = await pending;
  assert.deepEqual(results.map((r) => r.ok ? "ok" : r.kind), ["crashed", "crashed"]);
  const after = await sb.run([{ program: "function f() { return 1; }", args: [] }]);
  assert.equal(after[0] && !after[0].ok && after[0].kind, "crashed");
});

Deno.test("executor: bad options are refused with a message naming the key", async () => {
  await assert.rejects(() => createSandbox({ timeoutMs: -1 }), /'timeoutMs' must be a positive/);
  await assert.rejects(
    () => createSandbox({ compartmentReuse: "always" as "batch" }),
    /'compartmentReuse' must be "none", "program" or "batch"/,
  );
});
