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
