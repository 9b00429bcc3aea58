import { z } from 'zod';

/** The payload of a `train` job: only the run id; the definition is read from the database. */
export const trainRunPayloadSchema = z.object({ runId: z.uuid() }).strict();

export type TrainRunPayload = z.infer<typeof trainRunPayloadSchema>;
