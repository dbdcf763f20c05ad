/**
 * The self-play loop and what it writes: metrics, checkpoints, the report.
 * @module
 */
export { RunStopped, train, type TrainHooks } from "./loop.ts";
export { policyUpdate, type UpdateOptions, type UpdateStats } from "./update.ts";
export { appendMetrics, mean, type Metrics, readMetrics } from "./metrics.ts";
export { renderReport } from "./report.ts";
export {
  type EvalFinal,
  EvalFinalSchema,
  type ProposalRow,
  ProposalRowSchema,
  readEvalFinal,
  readProposals,
  readRunSummary,
  type RunPaths,
  runPaths,
  type RunSummary,
  RunSummarySchema,
} from "./run_files.ts";
export { type Restored, restoreNewest, restoreTrainer, saveTrainer } from "./checkpoint.ts";
export { etaSeconds, formatDuration } from "./progress.ts";
export { clearRun, type OpenMode, openRunDir, type OpenRunOptions, RunError } from "./run_dir.ts";
export {
  accuracyBySize,
  curriculumWeights,
  heldOutSuite,
  pretrain,
  type PretrainHooks,
  type PretrainSummary,
} from "./pretrain.ts";
export {
  makeBatch,
  makeExample,
  PRETRAIN_VIEWS,
  type PretrainExample,
  type PretrainView,
  targetMasks,
} from "./pretrain_data.ts";
