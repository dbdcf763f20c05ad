/**
 * The sandbox: runs untrusted `function f(...)` programs on JSON arguments in locked-down
 * Deno child processes (no permissions, SES compartments, time and memory limits), and
 * compares JSON values canonically.
 *
 * @example
 * ```ts
 * import { createSandbox } from "./mod.ts";
 * await using sb = await createSandbox({ poolSize: 2 });
 * const results = await sb.run([{ program: "function f(a, b) { return a + b; }", args: [1, 2] }]);
 * ```
 * @module
 */
export type {
  Executor,
  JsonValue,
  SandboxConsole,
  SandboxErrorKind,
  SandboxJob,
  SandboxOptions,
  SandboxResult,
} from "./types.ts";
export { createSandbox } from "./executor.ts";
export { SANDBOX_DEFAULTS, type SandboxConfig, sandboxOptionsFromConfig } from "./options.ts";
export { canonicalValue, sameValue } from "./canonical.ts";
export {
  checkJsonValue,
  DEFAULT_JSON_LIMITS,
  encodeJsonValue,
  isJsonValue,
  type JsonCheck,
  type JsonDomainLimits,
  type JsonEncoding,
} from "./value_domain.ts";
export { BANNED_NAMES, screenProgram, type ScreenResult } from "./screen.ts";
export { type JsLiteralResult, parseJsArgs, parseJsLiteral } from "./literal.ts";
