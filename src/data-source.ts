// The TypeORM CLI's data source (npm run migration:*): the same options as the app, on DATABASE_URL or,
// without it, on the embedded PostgreSQL in DATA_DIR.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadEnvironment } from './config/environment.js';
import { buildDataSourceOptions } from './data-source-options.js';
import { EmbeddedDatabase } from './database/embedded-database.js';

const environment = loadEnvironment();
const url = environment.DATABASE_URL ?? (await new EmbeddedDatabase({ dataDir: environment.DATA_DIR }).start());

export default new DataSource(buildDataSourceOptions(url, 1));
