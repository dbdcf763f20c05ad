/**
 * The three Absolute Zero task types (paper §3.2): deduction (program, input → output),
 * abduction (program, output → an input), induction (input/output pairs → a program). A leaf
 * module: every layer names them, from the rewards and the plots up to the config.
 * @module
 */

/** The three Absolute Zero task types, in the order the kit reports them. */
export const TASK_TYPES = ["deduction", "abduction", "induction"] as const;
/** The three Absolute Zero task types. */
export type TaskType = (typeof TASK_TYPES)[number];
