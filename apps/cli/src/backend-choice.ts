import { BACKEND_CHOICES, type BackendChoice } from '@trainyard/nn';
import { z } from 'zod';

/** `--backend`: one of the TensorFlow.js backends, or an error naming them. (Loaded after --help: @trainyard/nn loads tfjs.) */
export function parseBackend(value: string | undefined): { ok: true; backend: BackendChoice } | { ok: false; message: string } {
  const parsed = z.enum(BACKEND_CHOICES).safeParse(value);
  return parsed.success ? { ok: true, backend: parsed.data } : { ok: false, message: `--backend must be one of ${BACKEND_CHOICES.join(', ')} (got "${value}")` };
}
