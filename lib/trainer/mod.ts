/**
 * The self-play loop and what it writes: metrics, checkpoints, the report.
 * @module
 */
export { train, type TrainHooks } from "./loop.ts";
export { policyUpdate, type UpdateOptions, type UpdateStats } from "./update.ts";
export { appendMetrics, mean, type Metrics, readMetrics } from "./metrics.ts";
export { type ProposalRow, ProposalRowSchema, readProposals, renderReport } from "./report.ts";
export { latestCheckpoint, restoreTrainer, saveTrainer } from "./checkpoint.ts";
export { openRunDir, type RunPaths, runPaths } from "./run_dir.ts";
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
