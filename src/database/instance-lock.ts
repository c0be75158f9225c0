import { DataSource, type DataSourceOptions } from 'typeorm';

/**
 * Runs `work` while holding a PostgreSQL advisory lock named `name`, so that instances of the API starting together
 * on one database take turns (migrations, the first start's data) instead of racing to create the same rows. The
 * lock belongs to one connection: it is gone with that connection if the process dies halfway.
 */
export async function oneInstanceAtATime<T>(dataSource: DataSource, name: string, work: () => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner('master');
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`compute-ledger:${name}`]);
    try {
      return await work();
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`compute-ledger:${name}`]);
    }
  } finally {
    await runner.release();
  }
}

/** The app's data source, connected, with the pending migrations applied by one starting instance at a time. */
export async function openMigratedDataSource(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = await new DataSource(options).initialize();
  try {
    await oneInstanceAtATime(dataSource, 'migrations', () => dataSource.runMigrations());
    return dataSource;
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}
