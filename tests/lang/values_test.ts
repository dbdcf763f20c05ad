import assert from "node:assert/strict";
import {
  ANSWER,
  BOS,
  checkValue,
  decodeArgs,
  decodeValue,
  encodeArgs,
  encodeValue,
  EOS,
  INPUT,
  INT_BASE,
  intToken,
  LIST_CLOSE,
  LIST_OPEN,
  OUTPUT,
  PAD,
  PAIR,
  PROGRAM,
  REF,
  ROLE_PROPOSE,
  ROLE_SOLVE,
  SEP,
  signatureByName,
  TASK_ABDUCTION,
  TASK_DEDUCTION,
  TASK_INDUCTION,
  TOKEN_NAMES,
  tokenName,
  tokensToString,
  VOCAB_SIZE,
  vocabHash,
  worldVocab,
} from "../../lib/lang/mod.ts";

const B = { intMin: -999, intMax: 999, maxListLen: 16 };

Deno.test("every int in bounds round-trips through one token", () => {
  for (let n = B.intMin; n <= B.intMax; n++) {
    const e = encodeValue("int", n, B);
    assert.ok(e.ok);
    assert.equal(e.tokens.length, 1);
    assert.equal(tokenName(e.tokens[0]!), String(n));
    assert.deepEqual(decodeValue("int", e.tokens), { ok: true, value: n });
  }
});

Deno.test("lists of every length up to maxListLen and bools round-trip", () => {
  for (let len = 0; len <= B.maxListLen; len++) {
    const xs = Array.from({ length: len }, (_, k) => (k * 37) % 1999 - 999);
    const e = encodeValue("int[]", xs, B);
    assert.ok(e.ok);
    assert.equal(e.tokens.length, len + 2);
    assert.equal(e.tokens[0], LIST_OPEN);
    assert.equal(e.tokens.at(-1), LIST_CLOSE);
    assert.deepEqual(decodeValue("int[]", e.tokens), { ok: true, value: xs });
  }
  for (const b of [true, false]) {
    const e = encodeValue("bool", b, B);
    assert.ok(e.ok);
    assert.deepEqual(decodeValue("bool", e.tokens), { ok: true, value: b });
  }
});

Deno.test("argument tuples are values back to back", () => {
  const sig = signatureByName("(int[], int) -> int[]")!;
  const e = encodeArgs(sig, [[1, 2], -3], B);
  assert.ok(e.ok);
  assert.equal(tokensToString(e.tokens), "[ 1 2 ] -3");
  assert.deepEqual(decodeArgs(sig, e.tokens), { ok: true, value: [[1, 2], -3] });
  assert.equal(decodeArgs(sig, e.tokens.slice(0, -1)).ok, false);
});

// [type, value, bounds, message pattern]
const REJECT: [Parameters<typeof encodeValue>[0], unknown, typeof B, RegExp][] = [
  ["int", 1000, B, /1000 is outside the int bounds \[-999, 999\]/],
  ["int", -1000, B, /outside the int bounds/],
  ["int", 1.5, B, /must be an integer/],
  ["int", 50, { ...B, intMax: 49 }, /50 is outside the int bounds \[-999, 49\]/],
  ["int[]", Array(17).fill(0), B, /17 elements is longer than maxListLen 16/],
  ["int[]", [1, 2000], B, /list element 1 2000 is outside/],
  ["int[]", [1, null], B, /list element 1 must be an integer/],
  ["bool", 1, B, /bool expected/],
  ["int", true, B, /must be an integer/],
];
for (const [type, value, bounds, msg] of REJECT) {
  Deno.test(`encode rejects ${type} ${JSON.stringify(value)}`, () => {
    const e = encodeValue(type, value, bounds);
    assert.equal(e.ok, false);
    if (!e.ok) assert.match(e.message, msg);
    assert.equal(checkValue(type, value, bounds).ok, false);
  });
}

Deno.test("bounds outside the int tokens are a configuration error", () => {
  assert.throws(() => encodeValue("int", 1, { ...B, intMax: 5000 }), /intMin\/intMax/);
});

Deno.test("decode rejects malformed token sequences", () => {
  assert.equal(decodeValue("int[]", [LIST_OPEN, INT_BASE]).ok, false);
  assert.equal(decodeValue("int", [LIST_OPEN]).ok, false);
  assert.equal(decodeValue("int", [INT_BASE, INT_BASE]).ok, false);
  assert.equal(decodeValue("bool", []).ok, false);
});

Deno.test("vocabulary: structural tokens have the stable ids written here", () => {
  assert.deepEqual(
    [
      PAD,
      BOS,
      EOS,
      SEP,
      ROLE_PROPOSE,
      ROLE_SOLVE,
      TASK_DEDUCTION,
      TASK_ABDUCTION,
      TASK_INDUCTION,
      REF,
      PROGRAM,
      INPUT,
      OUTPUT,
      PAIR,
      ANSWER,
    ],
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14],
  );
  assert.equal(TOKEN_NAMES.length, VOCAB_SIZE);
  assert.equal(new Set(TOKEN_NAMES).size, VOCAB_SIZE, "token names are unique");
  assert.match(vocabHash, /^[0-9a-f]{8}$/);
  assert.equal(tokenName(VOCAB_SIZE - 1), "-999");
});

Deno.test("vocabulary: a world's tokens are a prefix (ints by magnitude), hashed per size", () => {
  assert.deepEqual(
    TOKEN_NAMES.slice(INT_BASE, INT_BASE + 7),
    ["0", "1", "-1", "2", "-2", "3", "-3"],
  );
  // ints -9..9: every token below INT_BASE + 19, none at or above it
  const small = worldVocab({ intMin: -9, intMax: 9 });
  assert.equal(small.size, INT_BASE + 19);
  for (let n = -9; n <= 9; n++) assert.ok(intToken(n) < small.size, `int ${n}`);
  assert.equal(intToken(10), small.size);
  assert.equal(worldVocab({ intMin: -999, intMax: 999 }).size, VOCAB_SIZE);
  assert.equal(worldVocab({ intMin: -999, intMax: 999 }).hash, vocabHash);
  assert.notEqual(small.hash, vocabHash);
  assert.equal(worldVocab({ intMin: 0, intMax: 9 }).size, small.size, "asymmetric: ±max");
  assert.throws(() => worldVocab({ intMin: -1000, intMax: 0 }), /beyond ±999/);
});
