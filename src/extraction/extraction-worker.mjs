// One thread of the extraction pool: runs the pure extraction (src/domain/extraction) off the API's event loop,
// so that a long or crafted text holds up only this thread, which the pool ends when its time budget is spent.
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

/** The built service imports the compiled module; run from the TypeScript sources (tests), Vite compiles it. */
async function loadExtraction(moduleUrl) {
  if (!moduleUrl.endsWith('.ts')) return import(moduleUrl);
  const { runnerImport } = await import('vite');
  return (await runnerImport(fileURLToPath(moduleUrl), { configFile: false, logLevel: 'error' })).module;
}

const { extractCommitments } = await loadExtraction(workerData.moduleUrl);
// A first reading compiles the patterns, so that the first text's time budget is spent on the text.
extractCommitments(
  { text: 'Meta will buy 350,000 H100 GPUs this year. 메타는 H100 35만 개를 확보할 계획이다.', publishedOn: '2024-02-28' },
  {
    companies: [{ id: 'warm-up', name: 'Meta', aliases: [] }],
    accelerators: [{ id: 'warm-up', name: 'H100', vendor: 'Nvidia', kind: 'gpu', aliases: [] }],
  },
);

parentPort.on('message', ({ id, input, catalog }) => {
  try {
    parentPort.postMessage({ id, result: extractCommitments(input, catalog) });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
parentPort.postMessage({ ready: true });
