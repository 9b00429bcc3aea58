/**
 * Why training could not start or finish. Callers switch on `code` (the worker
 * treats NON_FINITE_LOSS and INVALID_SPEC as unrecoverable: a retry gives the
 * same result), the message is for people.
 */
export type TrainingErrorCode = 'NON_FINITE_LOSS' | 'INVALID_SPEC' | 'BACKEND_UNAVAILABLE' | 'SHAPE_MISMATCH';

export class TrainingError extends Error {
  readonly code: TrainingErrorCode;
  /** 1-based epoch the error happened in, when it happened during training. */
  readonly epoch?: number;

  constructor(code: TrainingErrorCode, message: string, options?: { epoch?: number; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TrainingError';
    this.code = code;
    if (options?.epoch !== undefined) this.epoch = options.epoch;
  }
}
