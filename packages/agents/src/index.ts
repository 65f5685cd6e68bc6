// The agents package: plugin interface and registry, the built-in algorithms, runner, evaluation, checkpoints.
export { Metric, definePlugin, isAgentPlugin } from './plugin';
export type { Agent, AgentContext, AgentPlugin, AgentSnapshot, AnyAgentPlugin, SavedTensor, Transitions } from './plugin';
export { listAgents, resolvePlugin, isBuiltinAgent, builtinPlugin } from './registry';
export type { ResolvedPlugin } from './registry';
export { resolveOptions, describeOptions } from './options';
export type { OptionSchema, Schema } from './options';
export { randomPlugin } from './random';
export type { RandomOptions } from './random';
export { tabularQPlugin, TabularQAgent, TABULAR_Q_DEFAULTS } from './tabular-q';
export type { TabularQOptions } from './tabular-q';
export { dqnPlugin, DqnAgent, DQN_DEFAULTS, tdTargets } from './dqn';
export type { DqnOptions, DqnSettings } from './dqn';
export { dqnAutoValues, resolveAuto, DQN_AUTO_BASE } from './dqn-auto';
export type { DqnAutoOptions } from './dqn-auto';
export { gridViewOf } from './egocentric';
export type { GridView, GridObservationKind } from './egocentric';
export { loadRecipe, checkRecipe, applyRecipe, flagsGiven, RecipeError } from './recipe';
export type { Recipe } from './recipe';
export { ReplayBuffer } from './replay-buffer';
export { parseDemos, MAX_DEMO_LINES } from './demos';
export type { Demos } from './demos';
export type { ReplayBatch } from './replay-buffer';
export { epsilonAt, scheduleProblem, ScheduleKind } from './schedules';
export type { EpsilonSchedule } from './schedules';
export { makeFeaturizer, InputEncoding, MAX_ONEHOT_VALUES } from './features';
export type { Featurizer } from './features';
export { initBackend, currentBackend, isBackendName, BACKENDS } from './backend';
export type { BackendName } from './backend';
export { Rng, argmaxRandomTie } from './rng';
export { train, isConnectionError, DEFAULT_RECONNECT } from './runner';
export type { EpisodeRecord, PeriodicContext, PeriodicTask, ReconnectPolicy, TelemetrySink, TrainOptions, TrainReport, TrainResult } from './runner';
export { PeriodicEval, EvalMetric, DEFAULT_EVAL_SEED, evalMetrics } from './periodic-eval';
export type { EvalPoint, PeriodicEvalOptions } from './periodic-eval';
export { StopAt, parseStopAt, checkStopMetric, STOPPABLE_METRICS } from './stop-at';
export type { StopTarget } from './stop-at';
export { MetricsLog, METRICS_CSV_HEADER } from './metrics-log';
export { valueMapOf, valueMapTask, readCells, synthesize, DEFAULT_VALUE_MAP_EVERY, MAX_VALUE_MAP_SIZE } from './value-map';
export type { GridCells, ValueMap } from './value-map';
export { inProcessSource, remoteSource } from './sources';
export type { EnvChoice, EnvSource, OpenedEnv, RemoteChoice } from './sources';
export { evaluate, summarize } from './evaluate';
export type { EvalEpisode, EvalResult, EvaluateOptions } from './evaluate';
export { evaluateBatched, playsSameEpisodesBatched } from './evaluate-batched';
export type { BatchedEvaluateOptions } from './evaluate-batched';
export {
  saveCheckpoint, readCheckpoint, loadAgent, assertCompatible, userPluginNeeded, CHECKPOINT_FORMAT, CHECKPOINT_VERSION, MANIFEST_FILE, MAX_MANIFEST_BYTES,
} from './checkpoint';
export type { CheckpointManifest, LoadedAgent, LoadOptions, Progress, ReadCheckpoint, SaveInfo, TensorEntry } from './checkpoint';
export { RunFolder, EPISODES_CSV_HEADER, CSV_FLUSH_BYTES, MAX_EVAL_POINTS, scanEpisodes } from './run-folder';
export type { RunFolderFootprint, RunFolderOptions } from './run-folder';
export { writeFileDurable, writeFileDurableSync, AppendFile, removeLeftovers, isLeftover, syncFolder } from './durable';
export { CurveSummary, CURVE_BUCKETS } from './curve-summary';
export type { CurveBucket } from './curve-summary';
export { curveSvg, movingAverage, CURVE_DEFAULTS } from './curve';
export type { CurveOptions } from './curve';
export { isVectorEnv, observationSize, formatSpace } from './env-like';
export type { AgentSpec, EndedLike, EnvLike, MaybePromise, Observation, ResetArgsLike, VectorEnvLike } from './env-like';
export {
  AgentError, AgentErrorCode, InvalidAgentOptionsError, UnsupportedSpaceError, UnknownAgentError,
  CheckpointFormatError, CheckpointMismatchError, BackendUnavailableError, DemosFormatError,
} from './errors';
