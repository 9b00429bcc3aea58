import { DatasetError } from '@trainyard/data';
import { DefinitionError, QueueError, StoreError, type ApiErrorBody } from '@trainyard/experiments';
import { TrainingError } from '@trainyard/nn';
import { z } from 'zod';

/** An error the API answers with a status of its own choosing. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Every error class of the libs mapped to an HTTP status, in one place: bad input is 4xx
 * with field paths, a store or queue that cannot be reached is 503, the rest is 500.
 */
export function toHttpError(error: unknown): { status: number; body: ApiErrorBody } {
  if (error instanceof HttpError) return { status: error.status, body: { error: { code: error.code, message: error.message } } };
  if (error instanceof DefinitionError) {
    return { status: 400, body: { error: { code: error.code, message: 'invalid definition', issues: error.issues } } };
  }
  if (error instanceof z.ZodError) {
    const issues = error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    return { status: 400, body: { error: { code: 'INVALID_REQUEST', message: 'invalid request', issues } } };
  }
  if (error instanceof StoreError) {
    switch (error.code) {
      case 'NOT_FOUND':
        return { status: 404, body: { error: { code: error.code, message: error.message } } };
      case 'CONFLICT':
        return { status: 409, body: { error: { code: error.code, message: error.message } } };
      case 'UNAVAILABLE':
        return { status: 503, body: { error: { code: error.code, message: error.message } } };
      case 'INVALID':
        return { status: 400, body: { error: { code: error.code, message: error.message } } };
      default: {
        const unhandled: never = error.code;
        return { status: 500, body: { error: { code: String(unhandled), message: error.message } } };
      }
    }
  }
  if (error instanceof QueueError) {
    return { status: 503, body: { error: { code: 'QUEUE_UNAVAILABLE', message: error.message } } };
  }
  if (error instanceof TrainingError || error instanceof DatasetError) {
    return { status: 400, body: { error: { code: error.code, message: error.message } } };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { status: 500, body: { error: { code: 'INTERNAL', message } } };
}
