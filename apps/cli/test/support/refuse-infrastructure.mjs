// Registered with `node --import`: any import of the store's or the queue's packages fails,
// naming what was imported. apps/cli/test/pipeline-imports.spec.ts runs training under it.
import { register } from 'node:module';

const hooks = `
const INFRASTRUCTURE = /^(@prisma\\/|prisma$|bullmq$|ioredis$|@electric-sql\\/|pglite-prisma-adapter$|pg$)/;
export async function resolve(specifier, context, next) {
  if (INFRASTRUCTURE.test(specifier)) throw new Error('refused import of ' + specifier + ' (from ' + context.parentURL + ')');
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
