import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMBEDDED_POOL_SIZE, EmbeddedDatabase } from '../../src/database/embedded-database.js';

describe('embedded PostgreSQL with several connections', () => {
  const database = new EmbeddedDatabase({});
  let pool: pg.Pool;

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: await database.start(), max: EMBEDDED_POOL_SIZE * 2 });
  });

  afterAll(async () => {
    await pool?.end();
    await database.stop();
  });

  async function inTransaction(value: number): Promise<number> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      const { rows } = await client.query<{ value: number }>('SELECT $1::int * 2 AS value', [value]);
      await client.query('COMMIT');
      return rows[0].value;
    } finally {
      client.release();
    }
  }

  // A parameterised query is Parse, Bind, Execute, Sync: another connection's query or transaction must not run
  // between those messages, or it replaces the unnamed statement the Bind refers to.
  it('keeps parameterised queries and transactions of parallel connections apart', async () => {
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, index) => {
        if (index % 5 === 0) return inTransaction(index);
        if (index % 3 === 0) return pool.query<{ value: number }>(`SELECT ${index} * 2 AS value`).then((result) => result.rows[0].value);
        return pool.query<{ value: number }>('SELECT $2::int + $1::int AS value', [index, index]).then((result) => result.rows[0].value);
      }),
    );
    expect(answers).toEqual(Array.from({ length: 300 }, (_, index) => index * 2));
  });
});
