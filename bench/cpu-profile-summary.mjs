// Where a CPU profile's time went (`npm run bench -- --cpu-prof` writes them to bench/results/profiles/):
// `node bench/cpu-profile-summary.mjs FILE.cpuprofile [top]` prints the functions with the most self time, and the
// share of time spent under each package (by the path of the function's own file).
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const interval = new Map();
for (let index = 0; index < profile.samples.length; index++) {
  const delta = profile.timeDeltas[index] ?? 0;
  interval.set(profile.samples[index], (interval.get(profile.samples[index]) ?? 0) + delta);
}
const total = [...interval.values()].reduce((sum, value) => sum + value, 0);
const where = (frame) => {
  const url = frame.url || '(native)';
  const match = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1];
  if (url.includes('/dist/src/')) return `app:${url.split('/dist/src/')[1].split('/')[0]}`;
  if (url.startsWith('node:')) return url;
  return url === '(native)' ? `(${frame.functionName || 'program'})` : url;
};
const self = new Map();
const packages = new Map();
for (const [id, micros] of interval) {
  const { callFrame } = byId.get(id);
  const key = `${callFrame.functionName || '(anonymous)'}  ${where(callFrame)}:${callFrame.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + micros);
  packages.set(where(callFrame), (packages.get(where(callFrame)) ?? 0) + micros);
}
const percent = (micros) => `${((100 * micros) / total).toFixed(1).padStart(5)} %`;
console.log(`${(total / 1e6).toFixed(1)} s sampled\n\nself time by function:`);
for (const [key, micros] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${percent(micros)}  ${key}`);
console.log('\nself time by package or file:');
for (const [key, micros] of [...packages].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${percent(micros)}  ${key}`);
