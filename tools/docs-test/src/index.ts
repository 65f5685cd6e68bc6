export { parseBlocks, kindOf, blockProblems, pointAtServer, RUN_LANGUAGES } from './blocks';
export type { DocBlock, BlockKind } from './blocks';
export { makeWorkspace, removeWorkspace, saveBlock, runExample, typecheckFiles, describeFailure, PYTHON } from './run-block';
export type { RunOptions, RunResult } from './run-block';
export { listPages, pythonMissing, needsPythonModules, PYTHON_MODULES } from './pages';
export { parseConversation, parseHex } from './conversation';
export type { ConversationLine } from './conversation';
