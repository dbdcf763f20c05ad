/**
 * tfjs backend selection: `auto | tensorflow | webgpu | wasm | cpu`.
 *
 * - `tensorflow` loads `@tensorflow/tfjs-node-gpu` or `@tensorflow/tfjs-node` with a dynamic
 *   `import()`, only when selected or when `auto` finds one in the import map. To enable it, add
 *   `"@tensorflow/tfjs-node": "npm:@tensorflow/tfjs-node@4.22.0"` to `deno.json` `imports` and
 *   run `deno install --allow-scripts=npm:@tensorflow/tfjs-node` (its install script downloads
 *   libtensorflow).
 * - `wasm` (SIMD build, shipped inside the npm package) is the embedded default.
 * - `webgpu` uses Deno's `navigator.gpu`; `cpu` is the pure-JS fallback.
 *
 * @example
 * ```ts
 * import { initBackend } from "./backend.ts";
 * const info = await initBackend("auto");
 * console.log(info.name, info.reason);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";

/** A backend choice as in config `backend`. */
export type BackendChoice = "auto" | "tensorflow" | "webgpu" | "wasm" | "cpu";

/** Which backend is active and why it was chosen. */
export interface BackendInfo {
  /** The tfjs backend name now active (`tensorflow`, `webgpu`, `wasm`, `cpu`). */
  name: string;
  /** One line saying why this backend was chosen. */
  reason: string;
}

/** Options of {@linkcode initBackend}. */
export interface InitBackendOptions {
  /** Log the choice with console.log (default true). */
  log?: boolean;
}

const TF_NODE_PACKAGES = ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"] as const;

let wasmPathsSet = false;
let prodMode = false;

/** The wasm package's `dist/` folder as a file URL (ends with "/"). */
export function wasmDistUrl(): string {
  const local = new URL("../../node_modules/@tensorflow/tfjs-backend-wasm/dist/", import.meta.url);
  try {
    Deno.statSync(new URL("tfjs-backend-wasm-simd.wasm", local));
    return local.href;
  } catch {
    // Not a node_modules layout: ask the resolver where the package entry point lives.
    const entry = import.meta.resolve("@tensorflow/tfjs-backend-wasm");
    if (!entry.startsWith("file:")) {
      throw new Error(
        `Cannot find the tfjs wasm binaries: '${entry}' is not a file URL; set "nodeModulesDir": ` +
          `"auto" in deno.json so node_modules/@tensorflow/tfjs-backend-wasm/dist/ exists`,
      );
    }
    return new URL("./", entry).href;
  }
}

/** Whether a tfjs-node package is mapped in the import map (so a dynamic import can succeed). */
function tfNodeMapped(): string | undefined {
  for (const spec of TF_NODE_PACKAGES) {
    try {
      import.meta.resolve(spec);
      return spec;
    } catch {
      // not in the import map: try the next one
    }
  }
  return undefined;
}

async function tryTensorflow(): Promise<string | undefined> {
  const spec = tfNodeMapped();
  if (spec === undefined) return undefined;
  try {
    await import(spec);
  } catch (e) {
    console.warn(`backend: ${spec} is mapped but failed to load: ${(e as Error).message}`);
    return undefined;
  }
  return (await tf.setBackend("tensorflow")) ? spec : undefined;
}

async function tryWebgpu(): Promise<string | undefined> {
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return "navigator.gpu is missing (run Deno with --unstable-webgpu or a newer Deno)";
  const adapter = await gpu.requestAdapter();
  if (!adapter) return "navigator.gpu.requestAdapter() found no adapter";
  await import("@tensorflow/tfjs-backend-webgpu");
  return (await tf.setBackend("webgpu")) ? undefined : "tf.setBackend('webgpu') failed";
}

async function useWasm(): Promise<void> {
  if (!wasmPathsSet) {
    // The SIMD build only: the threaded build gives no speed-up on these machines.
    setWasmPaths(wasmDistUrl());
    wasmPathsSet = true;
  }
  if (!(await tf.setBackend("wasm"))) {
    throw new Error("tf.setBackend('wasm') failed; try --backend=cpu");
  }
}

/**
 * Selects and initialises a tfjs backend, enables prod mode, and logs the choice.
 * Throws when an explicitly requested backend cannot be used (the message says what to do).
 */
export async function initBackend(
  choice: BackendChoice,
  opts: InitBackendOptions = {},
): Promise<BackendInfo> {
  if (!prodMode) {
    // Skips per-op NaN checks and silences the "running in Node.js" banner.
    tf.enableProdMode();
    prodMode = true;
  }
  let info: BackendInfo;
  if (choice === "tensorflow") {
    const spec = await tryTensorflow();
    if (spec === undefined) {
      throw new Error(
        "backend 'tensorflow' needs @tensorflow/tfjs-node(-gpu): add it to deno.json imports and " +
          "run `deno install --allow-scripts=npm:@tensorflow/tfjs-node`, or use --backend=wasm",
      );
    }
    info = { name: "tensorflow", reason: `requested; loaded ${spec}` };
  } else if (choice === "webgpu") {
    const why = await tryWebgpu();
    if (why !== undefined) {
      throw new Error(`backend 'webgpu' unavailable: ${why}; use --backend=wasm`);
    }
    info = { name: "webgpu", reason: "requested" };
  } else if (choice === "wasm") {
    await useWasm();
    info = { name: "wasm", reason: "requested" };
  } else if (choice === "cpu") {
    if (!(await tf.setBackend("cpu"))) throw new Error("tf.setBackend('cpu') failed");
    info = { name: "cpu", reason: "requested" };
  } else {
    const spec = await tryTensorflow();
    if (spec !== undefined) {
      info = { name: "tensorflow", reason: `auto: ${spec} is installed` };
    } else {
      await useWasm();
      info = {
        name: "wasm",
        reason: "auto: @tensorflow/tfjs-node(-gpu) is not in the import map; wasm is the default",
      };
    }
  }
  await tf.ready();
  if (opts.log ?? true) console.log(`backend: ${info.name} (${info.reason})`);
  return info;
}
