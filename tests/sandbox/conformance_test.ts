/**
 * Executor conformance: ordinary, deterministic programs that the walls used to refuse
 * (console output, fixed dates, `-0`, writes to the program's own prototypes, timers it
 * never relies on) now run, and their dangerous neighbours (clock reads, timers that
 * would change a result, pollution of shared intrinsics, console flooding) still cannot
 * change a result or reach another job. See README.md, "What a program may observe".
 */
import assert from "node:assert/strict";
import {
  createSandbox,
  type JsonValue,
  type SandboxJob,
  type SandboxOptions,
  type SandboxResult,
} from "../../lib/sandbox/mod.ts";

/** An expected result: a value (with the console text, when there must be one) or a kind. */
type Want =
  | { value: JsonValue; console?: string }
  | { kind: string; message?: RegExp; console?: string };

// [label, program, args, expected]; every case runs with the screen on and the
// determinism check, so "ok" also means both runs agreed.
const CASES: [string, string, JsonValue[], Want][] = [
  // Console output travels beside the value, one line per call, in call order.
  ["console.log", "function f(x) { console.log('x =', x); return x + 1; }", [2], {
    value: 3,
    console: "x = 2\n",
  }],
  [
    "all five methods, one stream",
    "function f() { console.log('l'); console.info('i'); console.warn('w'); " +
    "console.error('e'); console.debug('d'); return 0; }",
    [],
    { value: 0, console: "l\ni\nw\ne\nd\n" },
  ],
  [
    "values are shown without running the program's code",
    "function f() { let n = 0; const o = { get a() { n++; return 1; } };\n" +
    "console.log([1, 'a', undefined], o, new Map(), new TypeError('bad'), new Date(0)); return n; }",
    [],
    {
      value: 0,
      console: '[1,"a",undefined] {"a":[Getter]} [object Map] TypeError: bad ' +
        "1970-01-01T00:00:00.000Z\n",
    },
  ],
  [
    "a forged reply frame is only console text",
    "function f() { console.log('00000000-0000-0000-0000-000000000000 " +
    '{"ok":true,"text":"1","ms":0}\'); return 2; }',
    [],
    { value: 2, console: '00000000-0000-0000-0000-000000000000 {"ok":true,"text":"1","ms":0}\n' },
  ],
  ["console beside an error", "function f() { console.log('before'); throw new Error('x'); }", [], {
    kind: "error",
    message: /^Error: x$/,
    console: "before\n",
  }],
  ["a replaced console method throws", "function f() { console.log = () => 1; return 1; }", [], {
    kind: "error",
    message: /read.only/,
  }],

  // Dates that do not read the clock; local time is UTC on every host.
  ["new Date(0)", "function f() { return new Date(0).toISOString(); }", [], {
    value: "1970-01-01T00:00:00.000Z",
  }],
  ["new Date(y, m, d) in UTC", "function f() { return new Date(2020, 0, 1).getTime(); }", [], {
    value: 1577836800000,
  }],
  ["Date.UTC", "function f(y) { return Date.UTC(y, 0, 1); }", [2020], { value: 1577836800000 }],
  ["Date.parse", "function f(s) { return Date.parse(s); }", ["2020-01-01T00:00:00Z"], {
    value: 1577836800000,
  }],
  [
    "local time is UTC",
    "function f() { const d = new Date(2020, 5, 15, 13); " +
    "return [d.getHours(), d.getTimezoneOffset(), String(new Date(0))]; }",
    [],
    { value: [13, 0, "Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)"] },
  ],
  ["a Date is not a JSON value", "function f() { return new Date(0); }", [], {
    kind: "invalid_value",
  }],
  // ... and every clock read fails: the screen refuses what it can see, the realm the rest.
  ["Date.now", "function f() { return Date.now(); }", [], { kind: "banned" }],
  ["new Date()", "function f() { return new Date().getTime(); }", [], { kind: "banned" }],
  ["Date()", "function f() { return Date(); }", [], { kind: "banned" }],
  [
    "new Date() through an alias",
    "function f() { const D = Date; return new D().getTime(); }",
    [],
    {
      kind: "error",
      message: /secure mode Calling new %SharedDate%\(\) with no arguments throws/,
    },
  ],
  ["now through an instance", "function f() { return new Date(0).constructor.now(); }", [], {
    kind: "error",
    message: /secure mode Calling %SharedDate%.now\(\) throws/,
  }],
  ["performance.now", "function f() { return performance.now(); }", [], { kind: "banned" }],

  // -0 comes back as 0, as JSON writes it; inside the program it is still -0.
  ["-0", "function f() { return -0; }", [], { value: 0 }],
  [
    "-0 from ordinary arithmetic",
    "function f(x) { return [Math.round(-0.4), x % 3, 0 * x, { a: -x * 0 }]; }",
    [-3],
    { value: [0, 0, 0, { a: 0 }] },
  ],
  ["-0 is observable inside", "function f() { return Object.is(-1 * 0, -0); }", [], {
    value: true,
  }],

  // Prototypes the program made are its own to change.
  [
    "a user class's prototype",
    "class A {} A.prototype.foo = 1; function f() { return new A().foo; }",
    [],
    {
      value: 1,
    },
  ],
  [
    "a function's prototype",
    "function F() {} F.prototype.m = function () { return 3; }; function f() { return new F().m(); }",
    [],
    { value: 3 },
  ],
  [
    "shadowing toString on an own object",
    "function f() { const o = {}; o.toString = () => 'x'; return String(o); }",
    [],
    { value: "x" },
  ],
  ["shadowing push on an array", "function f() { const a = [1]; a.push = 2; return a.push; }", [], {
    value: 2,
  }],
  // Shared intrinsics are frozen (one set for every job in the child): writes throw.
  ["Array.prototype write", "function f() { Array.prototype.foo = 1; return 1; }", [], {
    kind: "error",
    message: /^TypeError: Cannot add property foo, object is not extensible$/,
  }],
  ["Object.prototype write", "function f() { Object.prototype.polluted = 1; return 1; }", [], {
    kind: "error",
    message: /not extensible/,
  }],
  ["replacing an intrinsic method", "function f() { Array.prototype.includes = () => true; }", [], {
    kind: "error",
    message: /read only/,
  }],
  // The override mistake: an own property named like a frozen intrinsic method is refused
  // unless SES's "moderate" taming enabled that name (toString, push, … but not map).
  ["shadowing map on an array", "function f() { const a = []; a.map = 1; return a.map; }", [], {
    kind: "error",
    message: /read only property 'map'/,
  }],

  // Timers are inert: an id, counted from 1 in each run; the callback never runs.
  ["a timer never relied on", "function f() { setTimeout(() => {}, 10); return 5; }", [], {
    value: 5,
  }],
  [
    "timer ids",
    "function f() { const a = setTimeout(() => 1); const b = setInterval(() => 1, 5); " +
    "clearTimeout(a); clearInterval(b); return [a, b, setTimeout(() => 1)]; }",
    [],
    { value: [1, 2, 3] },
  ],
  [
    "a callback that would change the result",
    "function f() { const o = { a: 1 }; setTimeout(() => { o.a = 2; }, 0); return o; }",
    [],
    { value: { a: 1 } },
  ],
  [
    "a callback the result waits for",
    "function f() { let done = false; setTimeout(() => { done = true; }, 0); return done; }",
    [],
    { value: false },
  ],
  [
    "a callback that would loop forever",
    "function f() { setInterval(() => { for (;;) {} }, 0); return 1; }",
    [],
    { value: 1 },
  ],
  [
    "an async program relying on a timer",
    "async function f() { await new Promise((r) => setTimeout(r, 5)); return 1; }",
    [],
    { kind: "invalid_value", message: /Promise/ },
  ],
  [
    "a string callback is never evaluated",
    "function f() { setTimeout('throw 1', 0); return 1; }",
    [],
    { value: 1 },
  ],

  // Compartment code is strict: an undeclared assignment throws (HumanEval-X: 3 problems).
  ["implicit global", "function f() { m = 1; return m; }", [], {
    kind: "error",
    message: /^ReferenceError: m is not defined$/,
  }],
];

function check(r: SandboxResult | undefined, want: Want, label: string): void {
  assert.ok(r !== undefined, label);
  const got = JSON.stringify(r);
  if ("value" in want) {
    assert.ok(r.ok, `${label}: ${got}`);
    assert.deepEqual(r.value, want.value, label);
  } else {
    assert.equal(r.ok ? "ok" : r.kind, want.kind, `${label}: ${got}`);
    if (!r.ok && want.message) assert.match(r.message, want.message, label);
  }
  if (want.console === undefined) {
    assert.equal(r.console, undefined, `${label}: no console output expected, ${got}`);
  } else {
    assert.deepEqual(r.console, { text: want.console, truncated: false }, label);
  }
}

Deno.test("conformance: each case in each compartment mode, run twice", async () => {
  const jobs: SandboxJob[] = CASES.map(([, program, args]) => ({
    program,
    args,
    checkDeterminism: true,
  }));
  for (const mode of ["none", "batch"] as const) {
    await using sb = await createSandbox({ poolSize: 1, timeoutMs: 2000, compartmentReuse: mode });
    const rs = await sb.run(jobs);
    CASES.forEach(([label, , , want], i) => check(rs[i], want, `${mode} / ${label}`));
  }
});

Deno.test("conformance: without the screen, the realm refuses every clock read", async () => {
  await using sb = await createSandbox({ poolSize: 1, timeoutMs: 2000, screen: false });
  const reads = [
    "function f() { return Date.now(); }",
    "function f() { return new Date().getTime(); }",
    "function f() { return Date(); }",
    "function f() { return Date.prototype.constructor.now(); }",
  ];
  const rs = await sb.run(reads.map((program) => ({ program, args: [] })));
  rs.forEach((r, i) => {
    assert.equal(r.ok ? "ok" : r.kind, "error", reads[i]!);
    assert.match(
      r.ok ? "" : r.message,
      /^TypeError: secure mode Calling (new )?%SharedDate%/,
      reads[i]!,
    );
  });
});

// [label, attack, probe, what the probe must return]: the attack runs first, the probe
// right after it in the same child (a batch of one child), in every compartment mode.
const NEXT_JOB: [string, string, string, Want][] = [
  [
    "a timer callback reaching for the global",
    "const G = this; function f() { setTimeout(() => { G.leak = 1; }, 0); return 1; }",
    "function f() { return this === undefined && typeof leak; }",
    { value: "undefined" },
  ],
  [
    "a timer callback that would hang the next job",
    "function f() { setTimeout(() => { for (;;) {} }, 0); return 1; }",
    "function f(xs) { return xs.map((v) => v * 2); }",
    { value: [2, 4] },
  ],
  [
    "console replaced on the global",
    "console = { log() {} }; function f() { return 1; }",
    "function f() { console.log('probe'); return 1; }",
    { value: 1, console: "probe\n" },
  ],
  [
    "console output of one job",
    "function f() { console.log('attack'); return 1; }",
    "function f() { console.log('probe'); return 1; }",
    { value: 1, console: "probe\n" },
  ],
  [
    "a prototype method for the next job",
    "function f() { try { Array.prototype.sum = function () { return 9; }; } catch {} return 1; }",
    "function f() { return typeof [].sum; }",
    { value: "undefined" },
  ],
  [
    "timer ids",
    "function f() { setTimeout(() => 1); setTimeout(() => 1); return 1; }",
    "function f() { return setTimeout(() => 1); }",
    { value: 1 },
  ],
];

Deno.test("conformance: nothing a program schedules or writes reaches the next job", async () => {
  for (
    const mode of ["none", "program", "batch"] as NonNullable<SandboxOptions["compartmentReuse"]>[]
  ) {
    await using sb = await createSandbox({ poolSize: 1, timeoutMs: 1000, compartmentReuse: mode });
    const rs = await sb.run(NEXT_JOB.flatMap(([, attack, probe]) => [
      { program: attack, args: [] },
      { program: probe, args: [[1, 2]] },
    ]));
    NEXT_JOB.forEach(([label, , , want], i) => {
      assert.ok(rs[2 * i]?.ok, `${mode} / ${label}: attack ${JSON.stringify(rs[2 * i])}`);
      check(rs[2 * i + 1], want, `${mode} / ${label}: probe`);
    });
  }
});

Deno.test("conformance: console output past the cap is dropped, the value still counts", async () => {
  const cap = 64;
  await using sb = await createSandbox({ poolSize: 1, timeoutMs: 5000, consoleCap: cap });
  const [flood, huge, exact, det] = await sb.run([
    {
      program: "function f() { for (let i = 0; i < 1e5; i++) console.log('spam', i); return 7; }",
      args: [],
    },
    {
      program: "function f() { console.log('x'.repeat(1e7)); console.log('late'); return 8; }",
      args: [],
    },
    // 63 characters and a newline fill the cap exactly: nothing is dropped.
    { program: "function f() { console.log('y'.repeat(63)); return 9; }", args: [] },
    {
      program: "function f() { console.log('once'); return 1; }",
      args: [],
      checkDeterminism: true,
    },
  ]);
  const lines = Array.from({ length: 20 }, (_, i) => `spam ${i}\n`).join("");
  assert.deepEqual(flood, {
    ...flood,
    ok: true,
    value: 7,
    console: { text: lines.slice(0, cap), truncated: true },
  });
  assert.deepEqual(huge, {
    ...huge,
    ok: true,
    value: 8,
    console: { text: "x".repeat(cap), truncated: true },
  });
  assert.deepEqual(exact, {
    ...exact,
    ok: true,
    value: 9,
    console: { text: "y".repeat(63) + "\n", truncated: false },
  });
  // Two runs, one console: the first run's.
  assert.deepEqual(det?.console, { text: "once\n", truncated: false });
});

Deno.test("conformance: consoleCap must be a positive integer", async () => {
  await assert.rejects(
    () => createSandbox({ poolSize: 1, consoleCap: 0 }),
    /'consoleCap' must be a positive integer/,
  );
});
