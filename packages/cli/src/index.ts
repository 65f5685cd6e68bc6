// @rlfs/cli: one flag parser for every command line of the project.
export { defineCommand } from './command';
export type { Command, CommandSpec, Parsed } from './command';
export { defineFlags } from './flags';
export type { BooleanFlag, FlagSpec, FlagTable, FlagValue, FlagValues, IntFlag, JsonFlag, ListFlag, NumberFlag, StringFlag } from './flags';
export { didYouMean, editDistance, suggestion } from './did-you-mean';
export { HelpRequested, UsageError } from './errors';
export { EXIT, reportError, runMain } from './run-main';
export type { MainIo, RunMainOptions } from './run-main';
