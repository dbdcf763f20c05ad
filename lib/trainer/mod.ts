/**
 * The self-play loop and what it writes: metrics, checkpoints, the report.
 * @module
 */
export { train, type TrainHooks } from "./loop.ts";
export { type LoopSpec, type RunOptions, RunStopped, TrainingRun } from "./training_run.ts";
export {
  finalEvalTable,
  parseTrainingArgs,
  runOptionsOf,
  runTrainingCli,
  type TrainingCommand,
  trainingUsage,
} from "./training_cli.ts";
export { policyUpdate, type UpdateOptions, type UpdateStats } from "./update.ts";
export { appendMetrics, mean, type Metrics, readMetrics } from "./metrics.ts";
export { bestChance, chanceLevels, renderReport, type ReportInput, stepsDone } from "./report.ts";
export {
  type PretrainReportInput,
  pretrainSeedsFigure,
  renderPretrainReport,
  type SeedRun,
  type SeedsFigureOptions,
} from "./pretrain_report.ts";
export { readRun, renderRunReport, type RunData, writeRunReport } from "./run_report.ts";
export { evalTableHtml, formatNumber } from "./report_html.ts";
export {
  type EvalFinal,
  EvalFinalSchema,
  type EvalTables,
  EvalTablesSchema,
  type PretrainEvalFinal,
  PretrainEvalFinalSchema,
  type PretrainSummary,
  PretrainSummarySchema,
  type ProposalRow,
  ProposalRowSchema,
  readEvalFinal,
  readProposals,
  readRunJson,
  readRunSummary,
  type RunPaths,
  runPaths,
  type RunSummary,
  RunSummarySchema,
} from "./run_files.ts";
export { type Restored, restoreNewest, restoreTrainer, saveTrainer } from "./checkpoint.ts";
export { etaSeconds, formatDuration } from "./progress.ts";
export { clearRun, type OpenMode, openRunDir, type OpenRunOptions, RunError } from "./run_dir.ts";
export { curriculumWeights, pretrain, type PretrainHooks } from "./pretrain.ts";
export {
  canonicalTask,
  makeBatch,
  makeExample,
  PRETRAIN_VIEWS,
  type PretrainExample,
  type PretrainView,
  viewCounts,
} from "./pretrain_data.ts";
export {
  ceMicroBatches,
  type CrossEntropyStats,
  crossEntropyStep,
  type SupervisedExample,
  targetMasks,
  verifiedAnswerExample,
} from "./cross_entropy.ts";
export { cachedBank } from "./bank_cache.ts";
export { loadBase, resolveCheckpoint, saveBase } from "./init.ts";
