/**
 * The base class of bad input: a command line, a config, a run folder, a suite or a run's file
 * that cannot be used as given. Each kind extends it where it is detected (`ConfigError`,
 * `RunError`, `SuiteError`, `JsonlError`, `UsageError`); the CLI (`./cli.ts`) recognises them by
 * this class alone and prints the message on one line (exit 2), while anything else is a bug and
 * keeps its stack trace. A leaf module, so that the CLI needs no import of the layers above it.
 *
 * @example
 * ```ts
 * import { InputError } from "./errors.ts";
 * class GridError extends InputError {
 *   override name = "GridError";
 * }
 * console.log(new GridError("Unknown grid 'x'; use one of: core") instanceof InputError);
 * ```
 * @module
 */

/** Bad input; the message says what to change. */
export class InputError extends Error {
  override name = "InputError";
}
