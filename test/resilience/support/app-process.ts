import { type ChildProcess, spawn } from 'node:child_process';
import { productionStartArgs } from '../../../src/common/production-start.js';
import { projectPath } from '../../../src/common/project-root.js';
import { TEST_ADMIN, TEST_JWT_SECRET } from '../../support/test-app.js';
import { freePort } from './scratch-postgres.js';

export interface AppProcess {
  baseUrl: string;
  child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
  output(): string;
}

/** The built server (`dist/src/main.js`) as its own process, the way `npm run start:prod` runs it. */
export async function startAppProcess(env: Record<string, string>): Promise<AppProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, productionStartArgs(), {
    cwd: projectPath(),
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '0',
      JWT_SECRET: TEST_JWT_SECRET,
      ADMIN_EMAIL: TEST_ADMIN.email,
      ADMIN_PASSWORD: TEST_ADMIN.password,
      ...env,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited during start:\n${output}`);
    const healthy = await fetch(`${baseUrl}/api/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) throw new Error(`the server did not become healthy:\n${output}`);
    await sleep(200);
  }
  return { baseUrl, child, exited, output: () => output };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
