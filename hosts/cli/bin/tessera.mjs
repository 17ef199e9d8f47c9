#!/usr/bin/env node
// The tessera command. Tessera runs its TypeScript sources directly through tsx (no build step),
// so the same files are what the tests import and what runs at the border.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
