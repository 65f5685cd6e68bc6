/**
 * Errors of the agents package. Each has a `code` so that callers (and the CLI) can tell them apart
 * with `instanceof` or by code, the way the protocol package does.
 */
export const AgentErrorCode = {
  INVALID_OPTIONS: 'INVALID_OPTIONS',
  UNSUPPORTED_SPACE: 'UNSUPPORTED_SPACE',
  UNKNOWN_AGENT: 'UNKNOWN_AGENT',
  CHECKPOINT_FORMAT: 'CHECKPOINT_FORMAT',
  CHECKPOINT_MISMATCH: 'CHECKPOINT_MISMATCH',
  BACKEND_UNAVAILABLE: 'BACKEND_UNAVAILABLE',
  DEMOS_FORMAT: 'DEMOS_FORMAT',
} as const;
export type AgentErrorCode = (typeof AgentErrorCode)[keyof typeof AgentErrorCode];

/** Base error of the agents package. */
export class AgentError extends Error {
  override name = 'AgentError';
  constructor(
    readonly code: AgentErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** An agent option that is unknown, of the wrong type or out of range; the message names it. */
export class InvalidAgentOptionsError extends AgentError {
  override name = 'InvalidAgentOptionsError';
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(AgentErrorCode.INVALID_OPTIONS, message);
  }
}

/** The environment's spaces are not ones this algorithm can handle (e.g. a Box action space for DQN). */
export class UnsupportedSpaceError extends AgentError {
  override name = 'UnsupportedSpaceError';
  constructor(message: string) {
    super(AgentErrorCode.UNSUPPORTED_SPACE, message);
  }
}

/** `--agent` named neither a registered plugin nor a module exporting one. */
export class UnknownAgentError extends AgentError {
  override name = 'UnknownAgentError';
  constructor(message: string) {
    super(AgentErrorCode.UNKNOWN_AGENT, message);
  }
}

/** A checkpoint folder that is missing, truncated, of another format or of an unknown version. */
export class CheckpointFormatError extends AgentError {
  override name = 'CheckpointFormatError';
  constructor(message: string) {
    super(AgentErrorCode.CHECKPOINT_FORMAT, message);
  }
}

/** A checkpoint trained on an environment whose observation or action space differs from this one. */
export class CheckpointMismatchError extends AgentError {
  override name = 'CheckpointMismatchError';
  constructor(message: string) {
    super(AgentErrorCode.CHECKPOINT_MISMATCH, message);
  }
}

/** `--backend X` asked for a TensorFlow.js backend that cannot be loaded here. */
export class BackendUnavailableError extends AgentError {
  override name = 'BackendUnavailableError';
  constructor(message: string) {
    super(AgentErrorCode.BACKEND_UNAVAILABLE, message);
  }
}

/** A demonstrations file (`--demos`) with a line that is not a transition of this run's environment; names line and field. */
export class DemosFormatError extends AgentError {
  override name = 'DemosFormatError';
  constructor(message: string) {
    super(AgentErrorCode.DEMOS_FORMAT, message);
  }
}
