import assert from "node:assert/strict";
import { screenProgram } from "../../lib/sandbox/mod.ts";

// [program, expected verdict: "ok" | "syntax" | "banned:<name>"]
const CASES: [string, string][] = [
  ["function f(xs) { return xs.map((v) => v * 2); }", "ok"],
  ["function f(xs) { return [...new Set(xs)].sort((a, b) => a - b); }", "ok"],
  ["function f(o) { return o.Date + o.eval; }", "ok"],
  ["function f() { return { Date: 1, process: 2 }; }", "ok"],
  ["function f(n) { return Array.from({ length: n }, (_, i) => Math.max(i, 2)); }", "ok"],
  ["function f( { }", "syntax"],
  ["import x from 'y'; function f() {}", "syntax"],
  ["function f() { return import('file:///etc/passwd'); }", "banned:import"],
  ["function f() { return import.meta.url; }", "syntax"],
  ["function f() { return require('fs'); }", "banned:require"],
  ["function f() { return eval('1'); }", "banned:eval"],
  ["function f() { return new Function('return 1')(); }", "banned:Function"],
  ["function f() { return Deno.env.get('HOME'); }", "banned:Deno"],
  ["function f() { return process.env; }", "banned:process"],
  ["function f() { return globalThis; }", "banned:globalThis"],
  ["function f() { return Math.random(); }", "banned:Math.random"],
  ["function f() { return Math['random'](); }", "banned:Math.random"],
  // Dates that do not read the clock pass; every way of reading it the screen can see fails.
  ["function f() { return new Date(0).toISOString(); }", "ok"],
  ["function f(y) { return new Date(y, 0, 1).getDay() + Date.UTC(y, 1, 1); }", "ok"],
  ["function f(s) { return Date.parse(s); }", "ok"],
  ["function f() { return Date.now(); }", "banned:Date.now"],
  ["function f() { return Date['now'](); }", "banned:Date.now"],
  ["function f() { return new Date().getTime(); }", "banned:new Date()"],
  ["function f() { return new Date; }", "banned:new Date()"],
  ["function f() { return Date(); }", "banned:Date()"],
  ["function f(x) { return Date(x); }", "banned:Date()"],
  ["function f() { return performance.now(); }", "banned:performance"],
  ["function f() { return crypto.randomUUID(); }", "banned:crypto"],
  // Timers are inert in the realm (callbacks never run), so naming them is allowed.
  ["function f() { clearTimeout(setTimeout(() => 1, 0)); return 1; }", "ok"],
  ["function f() { setInterval(() => 1, 5); return 1; }", "ok"],
  ["function f() { console.log(1); console.error('e'); return 1; }", "ok"],
  ["function f() { setImmediate(() => 1); }", "banned:setImmediate"],
  ["function f() { queueMicrotask(() => 1); }", "banned:queueMicrotask"],
  ["function f() { return WebAssembly.Memory; }", "banned:WebAssembly"],
  ["function f() { return new SharedArrayBuffer(8); }", "banned:SharedArrayBuffer"],
  ["function f() { return Atomics.wait; }", "banned:Atomics"],
  ["function f() { return new Worker('x'); }", "banned:Worker"],
  ["function f() { return fetch('http://x'); }", "banned:fetch"],
  // Name-based and conservative: a local called Date is treated as the global.
  ["function f(o) { const { Date } = o; return Date(); }", "banned:Date()"],
  ["function f(o) { const { Date } = o; return Date; }", "ok"],
  // Reads the screen cannot see are refused by the realm (hostile_test.ts, conformance_test.ts).
  ["function f() { const D = Date; return new D(); }", "ok"],
];

for (const [program, want] of CASES) {
  Deno.test(`screenProgram ${want}: ${program.slice(0, 50)}`, () => {
    const r = screenProgram(program);
    const got = r.ok ? "ok" : r.kind === "banned" ? `banned:${r.message.split(": ")[1]}` : r.kind;
    assert.equal(got, want);
  });
}
