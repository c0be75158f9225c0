import { readFileSync } from 'node:fs';
import { projectPath } from './project-root.js';

/**
 * Node's arguments for the built server as `npm run start:prod` gives them — its V8 flags, then the entry point —
 * so the benchmarks and the resilience suite start it exactly as users do, with the flags said in one place.
 */
export function productionStartArgs(): string[] {
  const packageJson = JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { scripts: Record<string, string> };
  const [command, ...args] = packageJson.scripts['start:prod'].trim().split(/\s+/);
  const entry = args.pop();
  if (command !== 'node' || entry !== 'dist/src/main.js' || args.some((arg) => !arg.startsWith('--')))
    throw new Error(`package.json's start:prod is not "node [--flag…] dist/src/main.js": ${packageJson.scripts['start:prod']}`);
  return [...args, projectPath(entry)];
}
