/**
 * Hostile programs, one or more per category. The static screen is OFF here so each
 * case reaches the realm wall (SES compartment) and the process wall on its own; the
 * screen itself is tested in screen_test.ts. For each case: the right kind, no host data
 * in the message or value, and the pool still serves the next job correctly.
 */
import assert from "node:assert/strict";
import { createSandbox, type SandboxErrorKind, type SandboxResult } from "../../lib/sandbox/mod.ts";

type Want = SandboxErrorKind | "ok" | { value: unknown };

// [category, program, expected kind (or exact value)]
const FAST: [string, string, Want | Want[]][] = [
  ["filesystem", "function f() { return Deno.readTextFileSync('/etc/passwd'); }", "error"],
  ["filesystem (fs via require)", "function f() { return require('fs'); }", "error"],
  ["network", "function f() { return fetch('http://127.0.0.1/'); }", "error"],
  ["network socket", "function f() { return Deno.connect({ port: 80 }); }", "error"],
  ["env", "function f() { return Deno.env.get('HOME'); }", "error"],
  ["env via process", "function f() { return process.env.HOME; }", "error"],
  ["subprocess", "function f() { return new Deno.Command('ls').outputSync(); }", "error"],
  ["FFI", "function f() { return Deno.dlopen('libc.so.6', {}); }", "error"],
  ["signals", "function f() { return Deno.kill(1, 'SIGKILL'); }", "error"],
  ["dynamic import data:", "function f() { return import('data:text/javascript,1'); }", "syntax"],
  ["dynamic import npm:", "function f() { return import('npm:left-pad'); }", "syntax"],
  ["dynamic import file:", "function f() { return import('file:///etc/passwd'); }", "syntax"],
  [
    "dynamic import remote",
    "function f() { return import('https://deno.land/x/a.ts'); }",
    "syntax",
  ],
  // SES refuses direct eval at load time; indirect eval runs inside the compartment.
  ["direct eval", "function f() { return eval('typeof Deno'); }", ["syntax", {
    value: "undefined",
  }]],
  ["indirect eval", "function f() { return (0, eval)('typeof Deno'); }", { value: "undefined" }],
  [
    "Function constructor escape",
    "function f() { return [].map.constructor('return typeof Deno')(); }",
    "error",
  ],
  ["Function global", "function f() { return Function('return this')() === undefined; }", "ok"],
  ["Worker", "function f() { return new Worker('data:text/javascript,1'); }", "error"],
  ["sync infinite loop", "function f() { while (true) {} }", "timeout"],
  [
    "microtask chain",
    "function f() { Promise.resolve().then(function g() { return Promise.resolve().then(g); }); return 1; }",
    "timeout",
  ],
  [
    "getter hit during serialisation",
    "function f() { return { get x() { for (;;) {} } }; }",
    "invalid_value",
  ],
  [
    "proxy trap hit during serialisation",
    "function f() { return new Proxy({}, { ownKeys() { for (;;) {} } }); }",
    "invalid_value",
  ],
  ["ArrayBuffer bomb", "function f() { return new ArrayBuffer(2 ** 33).byteLength; }", "memory"],
  ["string bomb", "function f() { return 'x'.repeat(2 ** 30).length; }", "memory"],
  [
    "WebAssembly memory",
    "function f() { return new WebAssembly.Memory({ initial: 65536 }); }",
    "error",
  ],
  ["stack overflow", "function f() { return f(); }", "error"],
  ["huge string output", "function f() { return 'x'.repeat(70000); }", "output_too_large"],
  ["huge array output", "function f() { return new Array(1e6).fill(0); }", "output_too_large"],
  [
    "shared-structure blow-up",
    "function f() { let a = [1]; for (let i = 0; i < 40; i++) a = [a, a]; return a; }",
    "output_too_large",
  ],
  ["NaN", "function f() { return NaN; }", "invalid_value"],
  ["Infinity", "function f() { return 1 / 0; }", "invalid_value"],
  ["-0 comes back as 0", "function f() { return -1 * 0; }", { value: 0 }],
  ["undefined", "function f() {}", "invalid_value"],
  ["BigInt", "function f() { return 10n; }", "invalid_value"],
  ["function value", "function f() { return f; }", "invalid_value"],
  ["Symbol", "function f() { return Symbol('s'); }", "invalid_value"],
  ["Map", "function f() { return new Map([[1, 2]]); }", "invalid_value"],
  ["Set", "function f() { return new Set([1]); }", "invalid_value"],
  ["Date", "function f() { return new Date(0); }", "invalid_value"],
  ["typed array", "function f() { return new Uint8Array(4); }", "invalid_value"],
  ["class instance", "function f() { class P { x = 1; } return new P(); }", "invalid_value"],
  ["Proxy", "function f() { return new Proxy([1], {}); }", "invalid_value"],
  ["cycle", "function f() { const a = []; a.push(a); return a; }", "invalid_value"],
  ["hole", "function f() { return [1, , 3]; }", "invalid_value"],
  ["symbol key", "function f() { return { [Symbol.iterator]: 1 }; }", "invalid_value"],
  [
    "deep nesting",
    "function f() { let a = 1; for (let i = 0; i < 200; i++) a = [a]; return a; }",
    "invalid_value",
  ],
  ["compartment global", "function f() { return [].map.constructor; }", "invalid_value"],
  ["lone surrogate round-trips", "function f() { return '\\ud800x'; }", { value: "\ud800x" }],
  ["throw number", "function f() { throw 42; }", "error"],
  ["throw string", "function f() { throw 'x'; }", "error"],
  ["throw null", "function f() { throw null; }", "error"],
  ["throw symbol", "function f() { throw Symbol('s'); }", "error"],
  ["throw proxy", "function f() { throw new Proxy({}, { get() { for (;;) {} } }); }", "error"],
  ["throw looping getter", "function f() { throw { get message() { for (;;) {} } }; }", "timeout"],
  ["Promise result", "function f() { return Promise.resolve(1); }", "invalid_value"],
  ["async function", "async function f() { return 1; }", "invalid_value"],
  ["thenable", "function f() { return { then(r) { r(1); } }; }", "invalid_value"],
  ["late rejection", "function f() { Promise.reject(new Error('late')); return 1; }", { value: 1 }],
  ["exit", "function f() { Deno.exit(0); }", "error"],
  ["process.exitCode", "function f() { process.exitCode = 0; return 1; }", "error"],
  ["close stdout", "function f() { Deno.stdout.close(); return 1; }", "error"],
  // Console output travels beside the value (conformance_test.ts checks the text).
  [
    "console forgery",
    'function f() { console.log(\'{"ok":true,"text":"1"}\'); return 2; }',
    { value: 2 },
  ],
  [
    "forged frame inside a value",
    'function f() { return \'\\n00000000-0000-0000-0000-000000000000 {"ok":true,"text":"1","ms":0}\\n\'; }',
    { value: '\n00000000-0000-0000-0000-000000000000 {"ok":true,"text":"1","ms":0}\n' },
  ],
  ["Atomics.wait", "function f() { return Atomics.wait(new Int32Array(4), 0, 0); }", "error"],
  // Timers are inert: the callback never runs, the value counts.
  ["timer", "function f() { setTimeout(() => { for (;;) {} }, 0); return 1; }", { value: 1 }],
  ["interval", "function f() { setInterval(() => { throw 1; }, 0); return 1; }", { value: 1 }],
  ["queueMicrotask", "function f() { queueMicrotask(() => {}); return 1; }", "error"],
  ["Math.random", "function f() { return Math.random(); }", "error"],
  ["Date.now", "function f() { return Date.now(); }", "error"],
  ["new Date()", "function f() { return String(new Date()); }", "error"],
  ["Date()", "function f() { return Date(); }", "error"],
  ["Date through an alias", "function f() { const D = Date; return new D().getTime(); }", "error"],
  [
    "Date.now through an instance",
    "function f() { return new Date(0).constructor.now(); }",
    "error",
  ],
  ["performance.now", "function f() { return performance.now(); }", "error"],
  ["crypto", "function f() { return crypto.getRandomValues(new Uint8Array(1))[0]; }", "error"],
  ["error stack", "function f() { return String(new Error('x').stack); }", "ok"],
];

// Prototype pollution and global mutation aimed at the next job: [attack, probe, probe's value].
const NEXT_JOB: [string, string, unknown][] = [
  [
    "function f() { try { Array.prototype.includes = () => true; } catch {} return 1; }",
    "function f() { return [1].includes(2); }",
    false,
  ],
  [
    "function f() { try { Object.prototype.polluted = 1; } catch {} return 1; }",
    "function f() { return ({}).polluted === undefined; }",
    true,
  ],
  [
    "var leaked = 1; function f() { try { Math.max = () => 0; } catch {} return 1; }",
    "function f() { return [typeof leaked, Math.max(1, 2)]; }",
    ["undefined", 2],
  ],
  [
    "function f() { Promise.resolve().then(() => { try { JSON.parse = () => 0; } catch {} }); return 1; }",
    "function f() { return JSON.parse('[3]'); }",
    [3],
  ],
];

/** Host data that must never reach a caller. */
const LEAK = /\/tmp|azr-sandbox|\/root|\/home|\/work|file:|DENO_DIR/;

function kindOf(r: SandboxResult): string {
  return r.ok ? "ok" : r.kind;
}

function assertNoLeak(r: SandboxResult, label: string): void {
  const text = (r.ok ? JSON.stringify(r.value) : r.message) + (r.console?.text ?? "");
  assert.ok(!LEAK.test(text), `${label}: host data in ${text}`);
}

function assertWant(r: SandboxResult, want: Want | Want[], label: string): void {
  const wants = Array.isArray(want) ? want : [want];
  const okay = wants.some((w) =>
    typeof w === "string"
      ? kindOf(r) === w
      : r.ok && JSON.stringify(r.value) === JSON.stringify(w.value)
  );
  assert.ok(okay, `${label}: got ${JSON.stringify(r).slice(0, 300)}`);
}

const PROBE = { program: "function f(xs) { return xs.map((v) => v * 2); }", args: [[1, 2]] };

Deno.test("hostile programs: right kind, no leak, pool keeps working", async (t) => {
  await using sb = await createSandbox({
    poolSize: 2,
    timeoutMs: 200,
    memoryMb: 128,
    screen: false,
  });

  await t.step("every category, interleaved with a probe job", async () => {
    const jobs = FAST.flatMap(([, program]) => [{ program, args: [] }, PROBE]);
    const results = await sb.run(jobs);
    FAST.forEach(([label, , want], i) => {
      const r = results[2 * i]!;
      assertWant(r, want, label);
      assertNoLeak(r, label);
      const probe = results[2 * i + 1]!;
      assert.deepEqual(probe.ok && probe.value, [2, 4], `probe after ${label}`);
    });
  });

  await t.step("pollution aimed at the next job has no effect", async () => {
    for (const [attack, probe, want] of NEXT_JOB) {
      // Same child, in sequence: batch of two on a pool where both land together.
      const [a, p] = await sb.run([{ program: attack, args: [] }, { program: probe, args: [] }]);
      assert.ok(a !== undefined && p !== undefined);
      assert.deepEqual(p.ok && p.value, want, `${attack} → ${JSON.stringify(p)}`);
    }
  });
});

Deno.test("memory bombs are stopped with kind memory", async (t) => {
  await using sb = await createSandbox({ poolSize: 2, timeoutMs: 5000, memoryMb: 128 });
  const BOMBS: [string, string][] = [
    ["arrays", "function f() { let a = [1]; for (;;) a = a.concat(a); }"],
    [
      "strings",
      "function f() { const k = []; for (let i = 0; ; i++) k.push('x'.repeat(1e6) + i); }",
    ],
    [
      "Map",
      "function f() { const m = new Map(); for (let i = 0; ; i++) m.set(i, new Array(1e5).fill(i)); }",
    ],
    ["ArrayBuffers", "function f() { const k = []; for (;;) k.push(new ArrayBuffer(1e8)); }"],
  ];
  await t.step("each bomb", async () => {
    const results = await sb.run(BOMBS.flatMap(([, program]) => [{ program, args: [] }, PROBE]));
    const kinds = results.filter((_, i) => i % 2 === 0).map(kindOf);
    BOMBS.forEach(([label], i) => {
      const r = results[2 * i]!;
      assert.equal(kindOf(r), "memory", `${label}: ${JSON.stringify(r)} (all: ${kinds})`);
      assertNoLeak(r, label);
      assert.deepEqual(results[2 * i + 1]!.ok && (results[2 * i + 1] as { value: unknown }).value, [
        2,
        4,
      ]);
    });
  });
});
