#!/usr/bin/env node
// The workspace ships TypeScript sources; tsx compiles them on load so that
// `npx trainyard` works straight after `npm install`, with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
