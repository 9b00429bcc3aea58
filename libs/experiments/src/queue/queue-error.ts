export type QueueErrorCode = 'REDIS_UNREACHABLE' | 'ENQUEUE_FAILED';

/** Errors of the queue (Redis, BullMQ). The message is meant for users, on one line. */
export class QueueError extends Error {
  override readonly name = 'QueueError';

  constructor(
    readonly code: QueueErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
