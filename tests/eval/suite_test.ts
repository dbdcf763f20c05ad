import assert from "node:assert/strict";
import {
  limitedTasks,
  loadSuite,
  loadSuites,
  parseSuite,
  suiteBoundsOf,
  SuiteError,
  suiteTasksByType,
} from "../../lib/eval/mod.ts";

const DED = `{"id":"d1","task":"deduction","program":"function f(xs) { return xs[0]; }",` +
  `"examples":[{"input":[[4,5]],"output":4}],"shown":1,"signature":"(int[]) -> int"}`;
const IND = `{"id":"i1","task":"induction","program":"function f(n) { return n + 1; }",` +
  `"examples":[{"input":[1],"output":2},{"input":[5],"output":6},{"input":[-3],"output":-2}],` +
  `"shown":2,"signature":"(int) -> int"}`;

/** A deduction line with some fields replaced (undefined deletes the field). */
function ded(patch: Record<string, unknown>): string {
  const obj: Record<string, unknown> = { ...JSON.parse(DED), ...patch };
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete obj[k];
  return JSON.stringify(obj);
}
/** An induction line with some fields replaced (undefined deletes the field). */
function ind(patch: Record<string, unknown>): string {
  const obj: Record<string, unknown> = { ...JSON.parse(IND), ...patch };
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete obj[k];
  return JSON.stringify(obj);
}

Deno.test("suite: good lines parse to typed tasks", () => {
  // a blank line in the middle and a trailing newline are fine
  const tasks = parseSuite(`${DED}\n\n${IND}\n`, "t.jsonl");
  assert.equal(tasks.length, 2);
  assert.deepEqual(tasks[0], {
    id: "d1",
    task: "deduction",
    program: "function f(xs) { return xs[0]; }",
    examples: [{ input: [[4, 5]], output: 4 }],
    shown: 1,
    signature: "(int[]) -> int",
  });
  assert.equal(tasks[1]!.shown, 2);
  // shown may be omitted for deduction: it defaults to the number of examples
  assert.equal(parseSuite(ded({ shown: undefined }), "t.jsonl")[0]!.shown, 1);
  // program may be omitted for induction; signature is always optional
  const bare = parseSuite(ind({ program: undefined, signature: undefined }), "t.jsonl")[0]!;
  assert.equal(bare.program, undefined);
  assert.equal(bare.signature, undefined);
  // booleans and lists are values too; bounds are inclusive: the small world's by default,
  // a wider world's when given
  parseSuite(
    ded({
      signature: "(int[]) -> bool",
      examples: [{ input: [[9, -9, 0, 0, 0, 0]], output: true }],
    }),
    "t.jsonl",
  );
  const wide = ded({
    signature: "(int[]) -> bool",
    examples: [{ input: [[999, -999, ...Array(14).fill(0)]], output: true }],
  });
  parseSuite(wide, "t.jsonl", suiteBoundsOf("wide"));
  assert.throws(() => parseSuite(wide, "t.jsonl"), /must be an int in \[-9, 9\]/);
  const byType = suiteTasksByType(tasks);
  assert.deepEqual(Object.keys(byType), ["deduction", "abduction", "induction"]);
  assert.deepEqual(byType.induction.map((t) => t.id), ["i1"]);
  assert.deepEqual(byType.abduction, []);
});

Deno.test("suite: each malformed line gives file:line, field and problem", async (t) => {
  const cases: { text: string; want: RegExp; why: string }[] = [
    { text: `${DED}\n{"id": "x",`, want: /^t\.jsonl:2: not valid JSON/m, why: "bad JSON" },
    {
      text: ded({ examples: undefined }),
      want: /^t\.jsonl:1: examples: /m,
      why: "missing field examples",
    },
    { text: ded({ id: undefined }), want: /^t\.jsonl:1: id: /m, why: "missing field id" },
    { text: ded({ id: 7 }), want: /^t\.jsonl:1: id: .*string/m, why: "id of the wrong type" },
    { text: ded({ task: "summarize" }), want: /^t\.jsonl:1: task: /m, why: "unknown task type" },
    {
      text: ded({ examples: [{ input: 4, output: 4 }] }),
      want: /^t\.jsonl:1: examples\.0\.input: /m,
      why: "input is not an argument list",
    },
    { text: ded({ examples: [] }), want: /^t\.jsonl:1: examples: /m, why: "no examples" },
    { text: ded({ shown: "1" }), want: /^t\.jsonl:1: shown: /m, why: "shown of the wrong type" },
    {
      text: ded({ program: undefined }),
      want: /^t\.jsonl:1: program: required for deduction/m,
      why: "deduction without program",
    },
    {
      text: ded({ shown: 2 }),
      want: /^t\.jsonl:1: shown: must equal the number of examples \(1\)/m,
      why: "deduction shown differs from examples",
    },
    {
      text: ind({ shown: 3 }),
      want: /^t\.jsonl:1: shown: must be in \[1, 2\]/m,
      why: "induction shown leaves nothing held out",
    },
    {
      text: ind({ shown: 0 }),
      want: /^t\.jsonl:1: shown: must be in \[1, 2\]/m,
      why: "induction shows nothing",
    },
    {
      text: ind({ examples: [{ input: [1], output: 2 }], shown: 1 }),
      want: /^t\.jsonl:1: examples: induction needs at least 2 examples/m,
      why: "induction with a single example",
    },
    {
      text: ind({ shown: undefined }),
      want: /^t\.jsonl:1: shown: required for induction/m,
      why: "induction without shown",
    },
    {
      text: ded({ examples: [{ input: [[4, 5]], output: 10 }] }),
      want: /^t\.jsonl:1: examples\.0\.output: must be an int in \[-9, 9\]/m,
      why: "int out of the small world's bounds",
    },
    {
      text: ded({ examples: [{ input: [[1.5]], output: 1 }] }),
      want: /^t\.jsonl:1: examples\.0\.input\.0: /m,
      why: "not an integer",
    },
    {
      text: ded({ examples: [{ input: [Array(7).fill(1)], output: 1 }] }),
      want: /^t\.jsonl:1: examples\.0\.input\.0: .*at most 6/m,
      why: "list longer than the small world's",
    },
    {
      text: ded({ examples: [{ input: [[4, 5], 1], output: 4 }] }),
      want: /^t\.jsonl:1: examples\.0\.input: has 2 arguments; the signature takes 1/m,
      why: "arity differs from the signature",
    },
    {
      text: ded({ examples: [{ input: [4], output: 4 }] }),
      want: /^t\.jsonl:1: examples\.0\.input\.0: is int; the signature says int\[\]/m,
      why: "argument type differs from the signature",
    },
    {
      text: ded({ examples: [{ input: [[4]], output: [4] }] }),
      want: /^t\.jsonl:1: examples\.0\.output: is int\[\]; the signature returns int/m,
      why: "output type differs from the signature",
    },
    {
      text: ded({ signature: "list -> int" }),
      want: /^t\.jsonl:1: signature: cannot read 'list -> int'/m,
      why: "unreadable signature",
    },
    {
      text: ded({ program: "function f(xs) { return xs[0]; " }),
      want: /^t\.jsonl:1: program: is not valid JavaScript/m,
      why: "program is not JS",
    },
    {
      text: ded({ program: "function g(xs) { return xs[0]; }" }),
      want: /^t\.jsonl:1: program: must declare a top-level `function f/m,
      why: "program without f",
    },
    { text: ded({ notes: "hi" }), want: /^t\.jsonl:1: \(line\): .*notes/m, why: "unknown key" },
    {
      text: `${DED}\n${ded({ task: "abduction" })}`,
      want: /^t\.jsonl:2: id: 'd1' already used on line 1/m,
      why: "duplicate id",
    },
  ];
  for (const c of cases) {
    await t.step(c.why, () => {
      assert.throws(() => parseSuite(c.text, "t.jsonl"), (e: unknown) => {
        assert.ok(e instanceof SuiteError, "a SuiteError");
        assert.match(e.message, c.want);
        return true;
      });
    });
  }
});

Deno.test("suite: every bad line is reported at once", () => {
  const text = [DED, "not json", ind({ shown: 9 }), IND].join("\n");
  assert.throws(() => parseSuite(text, "s.jsonl"), (e: unknown) => {
    assert.ok(e instanceof SuiteError);
    assert.match(e.message, /^Cannot load eval suite 's\.jsonl':/);
    assert.match(e.message, /^s\.jsonl:2: not valid JSON/m);
    assert.match(e.message, /^s\.jsonl:3: shown: /m);
    // line 4 reuses id i1, but the rejected line 3 never claimed it
    assert.doesNotMatch(e.message, /s\.jsonl:4/);
    return true;
  });
});

Deno.test("suite: files and folders load all-or-nothing", () => {
  const dir = Deno.makeTempDirSync({ prefix: "azr-suite-" });
  try {
    Deno.writeTextFileSync(`${dir}/beta.jsonl`, `${IND}\n`);
    Deno.writeTextFileSync(`${dir}/alpha.jsonl`, `${DED}\n`);
    Deno.writeTextFileSync(`${dir}/notes.txt`, "not a suite");
    const suites = loadSuites(dir);
    // suites keyed by file name without .jsonl, in name order; other files ignored
    assert.deepEqual(Object.keys(suites), ["alpha", "beta"]);
    assert.equal(suites.alpha!.tasks[0]!.id, "d1");
    assert.equal(suites.beta!.path, `${dir}/beta.jsonl`);
    // one file alone
    assert.deepEqual(Object.keys(loadSuites(`${dir}/beta.jsonl`)), ["beta"]);
    assert.equal(loadSuite(`${dir}/alpha.jsonl`).name, "alpha");

    // one bad file makes the whole load fail, naming that file and line
    Deno.writeTextFileSync(`${dir}/gamma.jsonl`, `${DED}\n${ded({ id: "d2", task: 3 })}\n`);
    assert.throws(() => loadSuites(dir), (e: unknown) => {
      assert.ok(e instanceof SuiteError);
      assert.match(e.message, /gamma\.jsonl:2: task: /);
      assert.doesNotMatch(e.message, /alpha|beta/);
      return true;
    });
    // missing path, empty folder
    assert.throws(() => loadSuites(`${dir}/nope`), /Cannot read eval suites at/);
    assert.throws(() => loadSuite(`${dir}/nope.jsonl`), /Cannot read eval suite/);
    const empty = Deno.makeTempDirSync({ dir });
    assert.throws(() => loadSuites(empty), /No eval suites \(\*\.jsonl\)/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("limitedTasks: the first `limit` tasks of each type, in the suite's order; 0 keeps all", () => {
  const tasks = parseSuite(
    [
      ded({ id: "d1" }),
      ind({ id: "i1" }),
      ded({ id: "d2" }),
      ded({ id: "d3" }),
      ind({ id: "i2" }),
    ].join("\n"),
    "t.jsonl",
  );
  const suite = { name: "t", path: "t.jsonl", tasks };
  assert.deepEqual(limitedTasks(suite, 1).map((t) => t.id), ["d1", "i1"]);
  assert.deepEqual(limitedTasks(suite, 2).map((t) => t.id), ["d1", "i1", "d2", "i2"]);
  assert.deepEqual(limitedTasks(suite, 0).map((t) => t.id), ["d1", "i1", "d2", "d3", "i2"]);
  assert.deepEqual(limitedTasks(suite).map((t) => t.id), ["d1", "i1", "d2", "d3", "i2"]);
});
