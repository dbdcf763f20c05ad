/**
 * Compartment reuse keeps jobs isolated: a run that changes its compartment's global object
 * in any way must not be seen by a later run, whether the later run has the same program
 * text or not, in every `compartmentReuse` mode; and results are the same in all modes.
 */
import assert from "node:assert/strict";
import {
  createSandbox,
  type JsonValue,
  type SandboxJob,
  type SandboxOptions,
  type SandboxResult,
} from "../../lib/sandbox/mod.ts";

type Reuse = NonNullable<SandboxOptions["compartmentReuse"]>;
const MODES: Reuse[] = ["none", "program", "batch"];

// Each attack observes the global at load time, then changes it; every run must observe
// the untouched global, so each run returns the hand-written value.
// [label, program, value every run must return]
const ATTACKS: [string, string, JsonValue][] = [
  [
    "new property",
    "const s = this.mark === undefined; this.mark = 1; function f() { return s; }",
    true,
  ],
  [
    "replaced value",
    "const s = typeof Array; this.Array = 1; function f() { return s; }",
    "function",
  ],
  [
    "deleted property",
    "const s = typeof JSON; delete this.JSON; function f() { return s; }",
    "object",
  ],
  [
    "accessor",
    "const s = Object.getOwnPropertyDescriptor(this, 'Map').get === undefined;\n" +
    "Object.defineProperty(this, 'Map', { get() { return 1; } });\nfunction f() { return s; }",
    true,
  ],
  [
    "prototype",
    "const s = Object.getPrototypeOf(this) === Object.prototype;\n" +
    "Object.setPrototypeOf(this, { injected: 1 });\nfunction f() { return s; }",
    true,
  ],
  [
    "preventExtensions",
    "const s = Object.isExtensible(this); Object.preventExtensions(this); function f() { return s; }",
    true,
  ],
  [
    "freeze",
    "const s = Object.isFrozen(this); Object.freeze(this); function f() { return s; }",
    false,
  ],
  [
    "symbol key",
    "const k = Symbol.for('leak'); const s = this[k] === undefined; this[k] = 1;\n" +
    "function f() { return s; }",
    true,
  ],
  [
    "microtask after the result",
    "const s = this.late === undefined; Promise.resolve().then(() => { this.late = 1; });\n" +
    "function f() { return s; }",
    true,
  ],
  [
    "inside f, through a closure",
    "const G = this; function f() { const s = G.inner === undefined; G.inner = 1; return s; }",
    true,
  ],
  [
    "var and function at top level",
    "var v = (typeof v === 'number' ? v : 0) + 1; function g() {} const s = typeof g;\n" +
    "function f() { return [v, s, typeof this]; }",
    [1, "function", "undefined"],
  ],
];

/** A different program text that reads every mark an attack leaves. */
const PROBE: SandboxJob = {
  program:
    "const G = this;\nconst seen = [G.mark, G.late, G.inner, G[Symbol.for('leak')], G.thrown]" +
    ".map((v) => v === undefined);\nconst rest = [typeof Array, typeof JSON, Object.isExtensible(G), " +
    "Object.isFrozen(G), Object.getPrototypeOf(G) === Object.prototype];\n" +
    "function f() { return seen.concat(rest); }",
  args: [],
};
const PROBE_VALUE = [true, true, true, true, true, "function", "object", true, false, true];

function value(r: SandboxResult | undefined): JsonValue | string {
  assert.ok(r !== undefined);
  return r.ok ? r.value : `${r.kind}: ${r.message}`;
}

Deno.test("compartment reuse: no run sees a change another run made", async (t) => {
  for (const mode of MODES) {
    await using sb = await createSandbox({
      poolSize: 1,
      timeoutMs: 1000,
      screen: false,
      compartmentReuse: mode,
    });
    await t.step(mode, async () => {
      const probe = PROBE;
      const jobs: SandboxJob[] = [];
      for (const [, program] of ATTACKS) {
        jobs.push({ program, args: [] }, { program, args: [], checkDeterminism: true }, probe);
      }
      jobs.push({
        program: "const G = this;\n" +
          "function f() { throw { get message() { G.thrown = 1; return 'm'; } }; }",
        args: [],
      }, probe);
      const rs = await sb.run(jobs);
      ATTACKS.forEach(([label, , want], i) => {
        assert.deepEqual(value(rs[3 * i]), want, `${mode} / ${label}: first run`);
        assert.deepEqual(value(rs[3 * i + 1]), want, `${mode} / ${label}: determinism run`);
        assert.deepEqual(value(rs[3 * i + 2]), PROBE_VALUE, `${mode} / ${label}: probe`);
      });
      const n = 3 * ATTACKS.length;
      assert.equal(value(rs[n]), "error: m", `${mode} / getter on a thrown value`);
      assert.deepEqual(value(rs[n + 1]), PROBE_VALUE, `${mode} / probe after the thrown getter`);
    });
  }
});

Deno.test("compartment reuse: only the global object is mutable inside a compartment", async () => {
  // Walks everything reachable from the global (values, accessors, prototypes) from inside
  // a compartment and lists what is not frozen, and every function that could run code
  // after the run's microtasks drained: the reuse argument needs exactly ["G"], and no
  // scheduler but the inert timers (their callbacks never run: conformance_test.ts).
  const program = `const G = this;
const LATER = ["FinalizationRegistry", "WeakRef", "setTimeout", "setInterval",
  "setImmediate", "queueMicrotask", "MessageChannel", "waitAsync", "addEventListener"];
function f() {
  const seen = new Set(); const open = []; const later = [];
  const walk = (v, path) => {
    if ((typeof v !== "object" && typeof v !== "function") || v === null || seen.has(v)) return;
    seen.add(v);
    if (!Object.isFrozen(v)) open.push(path);
    if (typeof v === "function" && LATER.includes(v.name)) later.push(v.name);
    walk(Object.getPrototypeOf(v), path + ".__proto__");
    for (const k of Reflect.ownKeys(v)) {
      const d = Reflect.getOwnPropertyDescriptor(v, k);
      walk(d.value, path + "." + String(k)); walk(d.get, path + ".get"); walk(d.set, path + ".set");
    }
  };
  walk(G, "G");
  return [open, later.sort(), seen.size > 100];
}`;
  await using sb = await createSandbox({ poolSize: 1, timeoutMs: 2000, screen: false });
  const [r] = await sb.run([{ program, args: [] }]);
  assert.deepEqual(value(r), [["G"], ["setInterval", "setTimeout"], true]);
});

Deno.test("compartment reuse: every mode gives the same results on mixed traffic", async () => {
  const programs = [
    "function f(xs) { return xs.map((v) => v * 2); }",
    "let n = 0; function f(xs) { n += xs.length; return n; }",
    "function f(xs) { return xs.reduce((a, v) => a + v, 0) / 0; }",
    "function f(xs) { return xs.filter((v) => v % 2).length; }",
    "const m = new Map(); function f(xs) { xs.forEach((v) => m.set(v, 1)); return m.size; }",
    "function f() { throw 'no'; }",
    "function f(xs) { return [...new Set(xs)].sort(); }",
  ];
  const want: (JsonValue | string)[] = [
    [2, 4, 6, 2],
    4,
    "invalid_value",
    3,
    3,
    'error: uncaught "no"',
    [1, 2, 3],
  ];
  const jobs: SandboxJob[] = [];
  for (let rep = 0; rep < 3; rep++) {
    programs.forEach((program, i) =>
      jobs.push({ program, args: [[1, 2, 3, 1]], checkDeterminism: (rep + i) % 2 === 0 })
    );
  }
  for (const mode of MODES) {
    await using sb = await createSandbox({ poolSize: 2, compartmentReuse: mode });
    const rs = await sb.run(jobs);
    rs.forEach((r, j) => {
      const got = r.ok ? r.value : r.kind === "invalid_value" ? r.kind : `${r.kind}: ${r.message}`;
      assert.deepEqual(got, want[j % programs.length], `${mode}, job ${j}`);
    });
  }
});
