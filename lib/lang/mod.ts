/**
 * The typed program language: types and signatures, the grammar and its one vocabulary,
 * constrained decoding, rendering to JS and parsing back, the value codec, the reference
 * interpreter, random programs and inputs, enumerative search, and the identity seed.
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
  type TokenConstraint,
  valueConstraint,
  type ValueConstraintOptions,
  valueMinLen,
} from "./constraint.ts";
export * from "./tree.ts";
export * from "./render.ts";
export * from "./parse.ts";
export * from "./values.ts";
export {
  compileProgram,
  type CompiledProgram,
  interpretProgram,
  type InterpretOptions,
  type InterpretResult,
} from "./interpret.ts";
export * from "./sample.ts";
export * from "./search.ts";
export * from "./seed.ts";
