/**
 * The typed program language: types and signatures, the grammar and its one vocabulary,
 * constrained decoding, rendering to JS and parsing back, the value codec, the reference
 * interpreter, random programs and inputs, enumerative search, and the identity seed.
 *
 * The decoders implement the model's `TokenConstraint` (lib/model/constraint.ts, exported by
 * lib/model/mod.ts).
 * @module
 */
export * from "./types.ts";
export {
  BOUND_VARS,
  type BoundVar,
  type Production,
  PRODUCTIONS,
  RANGE_MAX,
  type Slot,
} from "./grammar.ts";
export * from "./vocab.ts";
export {
  argsConstraint,
  chainConstraints,
  type DecodeKind,
  grammarDecoder,
  type PartFactory,
  programConstraint,
  type ProgramConstraintOptions,
  signatureIndex,
  valueConstraint,
  type ValueConstraintOptions,
  valueMinLen,
  valuesConstraint,
} from "./constraint.ts";
export * from "./tree.ts";
export * from "./render.ts";
export * from "./parse.ts";
export * from "./values.ts";
export {
  type CompiledProgram,
  compileProgram,
  type InterpretOptions,
  interpretProgram,
  type InterpretResult,
} from "./interpret.ts";
export * from "./sample.ts";
export * from "./search.ts";
export * from "./generate.ts";
export * from "./canonical.ts";
export * from "./seed.ts";
export * from "./trace.ts";
