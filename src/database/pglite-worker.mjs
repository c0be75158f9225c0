// Runs PGlite in a worker thread and serves it over the PostgreSQL wire protocol on a Unix socket in a private
// folder, so the API talks to it through `pg` exactly as it would to a server, without sharing its event loop.
import { chmodSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const { dataDir, socketPath, maxConnections } = workerData;

// Extended-protocol messages that leave a statement half-done until the client's Sync: Parse, Bind, Describe,
// Execute, Close, Flush.
const SEQUENCE_MESSAGES = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x48]);

/**
 * pglite-socket feeds one PGlite session from every connection, one protocol message at a time, keeping a
 * connection's turn only while a transaction is open. Between one connection's Parse and its Bind another
 * connection's query or transaction could run and replace the unnamed statement ("bind message supplies 2
 * parameters, but prepared statement "" requires 1", "unnamed prepared statement does not exist"). Here a
 * connection keeps its turn from its first extended-protocol message to its Sync, as well as for a transaction.
 */
function keepProtocolSequencesWhole(queue) {
  let owner = null;
  queue.processQueue = async function processQueue() {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const index = owner === null ? 0 : this.queue.findIndex((item) => item.handlerId === owner);
        if (index === -1) break; // the owner's next message arrives later and starts the queue again
        const [item] = this.queue.splice(index, 1);
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          owner = null;
          item.reject(error);
          continue;
        }
        owner = this.db.isInTransaction() || SEQUENCE_MESSAGES.has(item.message[0]) ? item.handlerId : null;
        this.lastHandlerId = item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };
  const clearQueueForHandler = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId) => {
    clearQueueForHandler(handlerId);
    if (owner === handlerId) {
      owner = null;
      void queue.processQueue();
    }
  };
}

try {
  const db = await PGlite.create(dataDir ? { dataDir } : {});
  // No TCP port: PGlite checks no password, so the socket's folder (0700) is what keeps others out.
  const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections });
  keepProtocolSequencesWhole(server.queryQueue);
  await server.start();
  chmodSync(socketPath, 0o600);
  parentPort.postMessage({ type: 'ready' });

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
