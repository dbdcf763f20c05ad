/**
 * Task records: plain JSON, validated with zod wherever they are read from a
 * file. A *triplet* (program, input, output) feeds the deduction and abduction
 * buffers; an *induction* record holds a program with several input/output
 * pairs, of which the solver sees `shown` and must reproduce the rest.
 * @module
 */
import { z } from "zod";
import type { TaskType } from "../config.ts";

/** Any JSON value (finite numbers, no undefined). */
export const JsonValueSchema = z.json();
/** A JSON value. */
export type Json = z.infer<typeof JsonValueSchema>;

const Common = {
  /** JS source of `function f(...)`. */
  program: z.string().min(1),
  /** The program in the kit's token vocabulary. */
  tokens: z.array(z.number().int().nonnegative()).min(1),
  /** e.g. "(int[]) -> int". */
  signature: z.string().min(1),
  /** Self-play step that added it; -1 for the seed. */
  step: z.number().int().min(-1),
};

/** One input/output pair: `f(...input) === output`. */
export const ExampleSchema = z.strictObject({
  input: z.array(JsonValueSchema),
  output: JsonValueSchema,
});
/** One input/output pair. */
export type Example = z.infer<typeof ExampleSchema>;

/** A deduction or abduction triplet. */
export const TripletSchema = z.strictObject({
  task: z.enum(["deduction", "abduction"]),
  ...Common,
  input: z.array(JsonValueSchema),
  output: JsonValueSchema,
});
/** A deduction or abduction triplet. */
export type Triplet = z.infer<typeof TripletSchema>;

/** An induction task: a program and its pairs; the first `shown` are visible. */
export const InductionRecordSchema = z.strictObject({
  task: z.literal("induction"),
  ...Common,
  examples: z.array(ExampleSchema).min(2),
  shown: z.number().int().positive(),
}).refine((r) => r.shown < r.examples.length, {
  message: "'shown' must leave at least one held-out example",
  path: ["shown"],
});
/** An induction task. */
export type InductionRecord = z.infer<typeof InductionRecordSchema>;

/** Any buffer entry. */
export type TaskRecord = Triplet | InductionRecord;

/** The schema of the records a buffer of this task type holds. */
export function recordSchema(task: TaskType): z.ZodType<TaskRecord> {
  return (task === "induction" ? InductionRecordSchema : TripletSchema) as z.ZodType<TaskRecord>;
}
