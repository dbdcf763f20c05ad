/**
 * azr-kit's public API: what notebooks import with
 * `import { … } from "../lib/mod.ts"`.
 * @module
 */
export * from "./config.ts";
export * from "./rng.ts";
export * from "./plot/mod.ts";
export * from "./reward/mod.ts";
export * from "./eval/mod.ts";
export * from "./sandbox/mod.ts";
export * from "./model/mod.ts";
export * from "./lang/mod.ts";
export * from "./tasks/mod.ts";
export * from "./trainer/mod.ts";
export * from "./ablate/mod.ts";
