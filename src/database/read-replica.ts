import { Logger } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';

const logger = new Logger('ReadReplica');

/**
 * Runs the read-only `work` in one REPEATABLE READ snapshot: on a read replica (`DATABASE_READ_URLS`, one picked at
 * random) when there is one and `caughtUp` finds, in that same snapshot, that it has replayed what the caller needs;
 * else on the primary. A replica that lags or cannot be reached costs a second read, never a stale or failed answer.
 */
export async function readSnapshot<T>(
  dataSource: DataSource,
  caughtUp: (manager: EntityManager) => Promise<boolean>,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  if (dataSource.driver.isReplicated) {
    const replica = dataSource.createQueryRunner('slave');
    try {
      const read = await replica.manager.transaction('REPEATABLE READ', async (manager) =>
        (await caughtUp(manager)) ? { answer: await work(manager) } : null,
      );
      if (read) return read.answer;
      logger.debug('the read replica has not replayed the latest write yet: reading on the primary');
    } catch (error) {
      logger.warn(`the read replica failed (${(error as Error).message}): reading on the primary`);
    } finally {
      await replica.release();
    }
  }
  return dataSource.transaction('REPEATABLE READ', work);
}
