// Runs PGlite in a worker thread and serves it over the PostgreSQL wire protocol on 127.0.0.1,
// so the API talks to it through `pg` exactly as it would to a server, without sharing its event loop.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const { dataDir, port, maxConnections } = workerData;

try {
  const db = await PGlite.create(dataDir ? { dataDir } : {});
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections });
  await server.start();
  const boundPort = Number(server.getServerConn().split(':').pop());
  parentPort.postMessage({ type: 'ready', port: boundPort });

  parentPort.on('message', async (message) => {
    if (message?.type !== 'stop') return;
    try {
      await server.stop();
      await db.close();
    } finally {
      parentPort.postMessage({ type: 'stopped' });
    }
  });
} catch (error) {
  parentPort.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
}
