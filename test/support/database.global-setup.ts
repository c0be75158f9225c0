import type { TestProject } from 'vitest/node';
import { createTestDatabase } from './test-database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    databasePoolSize: number;
  }
}

/** One database per test run, migrated once; test files reset its rows as they start. */
export default async function setup(project: TestProject) {
  const database = await createTestDatabase();
  project.provide('databaseUrl', database.url);
  project.provide('databasePoolSize', database.poolSize);
  return () => database.drop();
}
