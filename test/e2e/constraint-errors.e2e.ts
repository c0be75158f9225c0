import { DataSource, QueryFailedError } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf } from '../../src/common/http-exception.filter.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let testApp: TestApp;
let dataSource: DataSource;
beforeAll(async () => {
  testApp = await startTestApp({ demoData: true });
  dataSource = testApp.app.get(DataSource);
});
afterAll(() => testApp.close());

/** The error body the API gives for what PostgreSQL answers to `sql`. */
async function answerTo(sql: string, parameters: unknown[] = []) {
  const error = await dataSource.query(sql, parameters).then(
    () => null,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(QueryFailedError);
  return bodyOf(error);
}

// Every constraint name of the schema: none may reach a client.
const CONSTRAINT_NAMES = /_(unique|check|fkey|fk|pkey|key|ordered|quantity|superseding|title)\b|companies_|commitments_|accelerators_/;

describe('constraint failures', () => {
  it('name the field, never the constraint, with the status each deserves', async () => {
    const [company] = (await dataSource.query('SELECT id, name FROM companies LIMIT 1')) as { id: string; name: string }[];
    const [commitment] = (await dataSource.query('SELECT id FROM commitments LIMIT 1')) as { id: string }[];
    const answers = [
      await answerTo('INSERT INTO companies (name, version) VALUES ($1, 1)', [company.name.toUpperCase()]),
      await answerTo("INSERT INTO companies (name, version, country) VALUES ('Lowercase Country', 1, 'us')"),
      await answerTo("INSERT INTO companies (name, version) VALUES ('   ', 1)"),
      await answerTo('INSERT INTO companies (name, version) VALUES (NULL, 1)'),
      await answerTo('UPDATE commitments SET supersedes_id = id WHERE id = $1', [commitment.id]),
      await answerTo('UPDATE commitments SET company_id = gen_random_uuid() WHERE id = $1', [commitment.id]),
    ];
    expect(answers.map(({ statusCode, message, details }) => ({ statusCode, message, details }))).toEqual([
      { statusCode: 409, message: 'name: name already exists', details: [{ field: 'name', messages: ['name already exists'] }] },
      {
        statusCode: 400,
        message: 'country: country is outside the values allowed',
        details: [{ field: 'country', messages: ['country is outside the values allowed'] }],
      },
      {
        statusCode: 400,
        message: 'name: name is outside the values allowed',
        details: [{ field: 'name', messages: ['name is outside the values allowed'] }],
      },
      { statusCode: 400, message: 'name: name is required', details: [{ field: 'name', messages: ['name is required'] }] },
      {
        statusCode: 400,
        message: 'supersedesId: a commitment cannot supersede itself',
        details: [{ field: 'supersedesId', messages: ['a commitment cannot supersede itself'] }],
      },
      {
        statusCode: 409,
        message: 'companyId: companyId refers to a record that does not exist, or is still referred to',
        details: [{ field: 'companyId', messages: ['companyId refers to a record that does not exist, or is still referred to'] }],
      },
    ]);
    for (const answer of answers) expect(JSON.stringify(answer)).not.toMatch(CONSTRAINT_NAMES);
  });
});
