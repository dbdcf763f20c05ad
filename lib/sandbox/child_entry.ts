/**
 * Writes the child's trusted entry module (and the SES shim it imports) into a private
 * temporary folder. Program text never enters this module graph: programs arrive later,
 * as data on stdin, and are evaluated inside compartments.
 * @module
 */
import { childMain } from "./child_main.ts";
import { formatConsoleArgs } from "./console_format.ts";
import { encodeJsonValue } from "./value_domain.ts";

/**
 * Every lockdown option, given explicitly so SES never consults `LOCKDOWN_*` variables
 * (the child has no env permission, and its environment is cleared anyway).
 */
const LOCKDOWN_OPTIONS = {
  errorTaming: "safe",
  errorTrapping: "none",
  reporting: "none",
  unhandledRejectionTrapping: "none",
  regExpTaming: "safe",
  localeTaming: "safe",
  consoleTaming: "safe",
  overrideTaming: "moderate",
  stackFiltering: "concise",
  domainTaming: "safe",
  evalTaming: "safe-eval",
  overrideDebug: [],
  legacyRegeneratorRuntimeTaming: "safe",
  __hardenTaming__: "safe",
};

/**
 * Hide Deno's Node-compat `process` global before SES loads (SES reads `process.env`), and
 * keep a program's late promise rejection from killing the child (Deno exits on them).
 */
const PRELUDE = `delete globalThis.process;
if ("process" in globalThis) globalThis.process = undefined;
globalThis.addEventListener("unhandledrejection", (e) => e.preventDefault());
`;

/** Locate `ses`'s self-contained ESM build in the local node_modules. */
async function readSesSource(): Promise<string> {
  const resolved = import.meta.resolve("ses");
  const candidates = [
    resolved.startsWith("file:") ? new URL("./dist/ses.mjs", resolved) : undefined,
    new URL("../../node_modules/ses/dist/ses.mjs", import.meta.url),
  ];
  for (const url of candidates) {
    if (url === undefined) continue;
    try {
      return await Deno.readTextFile(url);
    } catch {
      // try the next place
    }
  }
  throw new Error(
    `Cannot find ses/dist/ses.mjs (resolved "ses" to ${resolved}): run \`deno install\` in the ` +
      `repository so node_modules/ holds the ses package`,
  );
}

/** The entry module's source: prelude and SES, lockdown, then the child loop. */
export function entrySource(): string {
  return [
    'import "./prelude.js";',
    'import "./ses.mjs";',
    'import { types } from "node:util";',
    `lockdown(${JSON.stringify(LOCKDOWN_OPTIONS)});`,
    `const encodeJsonValue = ${encodeJsonValue.toString()};`,
    `const formatConsoleArgs = ${formatConsoleArgs.toString()};`,
    `await (${childMain.toString()})({ encode: encodeJsonValue, format: formatConsoleArgs, ` +
    `isProxy: (v) => types.isProxy(v) });`,
    "",
  ].join("\n");
}

/** Write `prelude.js`, `ses.mjs` and `entry.js` into `dir`; returns the entry's path. */
export async function writeChildEntry(dir: string): Promise<string> {
  await Deno.writeTextFile(`${dir}/prelude.js`, PRELUDE);
  await Deno.writeTextFile(`${dir}/ses.mjs`, await readSesSource());
  const entry = `${dir}/entry.js`;
  await Deno.writeTextFile(entry, entrySource());
  return entry;
}
