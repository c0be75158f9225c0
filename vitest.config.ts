import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// SWC compiles the sources so decorator metadata reaches Nest, TypeORM and class-validator.
const plugins = [swc.vite({ module: { type: 'es6' } })];

export default defineConfig({
  test: {
    env: { TZ: 'UTC' },
    projects: [
      { plugins, test: { name: 'unit', include: ['src/**/*.spec.ts', 'client/src/**/*.spec.ts'] } },
      {
        plugins,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.ts'],
          globalSetup: ['test/support/database.global-setup.ts'],
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.browser.ts'],
          globalSetup: ['test/support/database.global-setup.ts'],
          fileParallelism: false,
          // Generous waits: a busy shared machine can take seconds to draw a page; no test depends on speed.
          testTimeout: 120_000,
          hookTimeout: 120_000,
          expect: { poll: { timeout: 20_000 } },
        },
      },
      {
        plugins,
        test: {
          name: 'bench',
          include: ['bench/**/*.bench.ts'],
          testTimeout: 300_000,
          hookTimeout: 120_000,
        },
      },
      {
        plugins,
        test: {
          name: 'resilience',
          include: ['test/resilience/**/*.resilience.ts'],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
