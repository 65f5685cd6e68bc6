// The pure environment core, imported by other packages as '@rlfs/envs'.
export type { CoreSpec, EndedInfo, Env, EnvEntry, Observation, ResetArgs, ResetResult, StepResult, VectorEnv } from './core';
export { EndedRecords } from './ended-records';
export { EnvError, UnknownEnvError, InvalidOptionsError, InvalidActionError, ResetNeededError, describeValue } from './errors';
export { RNG_WORDS, seedRng, nextU32, nextInt, nextFloat, Rng, randomSeed } from './rng';
export { discrete, box, flatSize, contains, whyNotInBox, whyBadBounds } from './spaces';
export { checkSeed, checkResetArgs, checkDiscreteAction } from './reset-args';
export { GRIDWORLD_DEFAULTS, resolveGridWorldOptions, parseLayout } from './gridworld-options';
export type { GridWorldOptions, GridWorldRewards, Boundary, ObservationKind, ParsedLayout } from './gridworld-options';
export { GridWorldBatch, gridWorldObservationSpace, gridWorldBytesPerEnv } from './gridworld';
export { GridWorld, GridWorldVector, gridWorldEntry, GRIDWORLD_ID } from './gridworld-env';
export { defineEnv, isDefinedEnvironment } from './define-env';
export type { EnvDefinition, DefinedEnvironment, StepOutcome, ResolvedOptions } from './define-env';
export { DefinedEnv, DefinedVectorEnv } from './defined-env';
export { resolveOptions, MAX_EPISODE_STEPS } from './option-schema';
export type { OptionSpec, OptionsSchema, OptionsOf } from './option-schema';
export { whyNotDrawList } from './draw';
export type { DrawList, DrawItem } from './draw';
export { cartPoleEntry, cartPoleDrawList, CARTPOLE, CARTPOLE_ID, CARTPOLE_OBSERVATION_SPACE } from './cartpole';
export { acceptEnvModule, checkDefinedEnv, definitionsIn, EnvModuleError } from './env-module';
export type { CheckDefinedOptions } from './env-module';
export { register, getEnv, listEnvs, makeEnv, makeVectorEnv } from './registry';
export {
  checkEnv,
  checkSpec,
  checkResetNeeded,
  checkObservationsInSpace,
  checkSeedDeterminism,
  checkStepDeterminism,
  checkInvalidActions,
  checkVectorEqualsScalar,
  firstDifference,
  CheckFailure,
} from './checker';
export type { CheckedEnv, EnvFactory, CheckOptions, CheckResult } from './checker';
