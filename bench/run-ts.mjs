// Runs a TypeScript script through Vite's module runner (already a dependency): `node bench/run-ts.mjs file.ts [args]`.
import { runnerImport } from 'vite';
import { resolve } from 'node:path';

const [file] = process.argv.splice(2, 1);
if (!file) throw new Error('usage: node bench/run-ts.mjs <file.ts> [args]');
await runnerImport(resolve(file), { configFile: false, logLevel: 'error' });
