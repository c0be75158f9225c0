/**
 * Time from navigation to the first chart drawn on the dashboard, in headless Chromium over the demo data.
 * Prints figures; asserts nothing about speed. Run: npm run bench:first-chart
 */
import { afterAll, beforeAll, it } from 'vitest';
import { launchChromium, type HeadlessBrowser } from '../test/support/chromium.js';
import { startTestApp, type TestApp } from '../test/support/test-app.js';

const RUNS = 10;

let testApp: TestApp;
let browser: HeadlessBrowser;

beforeAll(async () => {
  testApp = await startTestApp({ demoData: true, publicRead: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await testApp?.close();
});

interface Timing {
  firstChart: number;
  /** When the core chart's API call was sent and when its answer had arrived. */
  capacityRequested: number;
  capacityReceived: number;
  domContentLoaded: number;
  allChartsDrawn: number;
}

async function measure(): Promise<Timing> {
  const page = await browser.context.newPage();
  await page.goto(testApp.baseUrl);
  await page.locator('canvas[data-drawn="true"]').first().waitFor();
  for (const chart of ['capacity-by-company', 'cumulative-by-company', 'share-by-vendor', 'gpu-versus-custom']) {
    await page.locator(`[data-testid="chart-${chart}"][data-drawn="true"]`).waitFor();
  }
  // The chart wrapper sets the mark on the first frame any chart draws; times are from navigation start.
  // Runs in the page (the bench compiles without DOM types, hence the narrow casts).
  const timing = await page.evaluate(() => {
    const [navigation] = performance.getEntriesByType('navigation' as never) as unknown as { domContentLoadedEventEnd: number }[];
    const resources = performance.getEntriesByType('resource' as never) as unknown as {
      name: string;
      startTime: number;
      responseEnd: number;
    }[];
    const capacity = resources.find((entry) => entry.name.includes('/api/capacity?'))!;
    return {
      firstChart: performance.getEntriesByName('first-chart-drawn')[0].startTime,
      capacityRequested: capacity.startTime,
      capacityReceived: capacity.responseEnd,
      domContentLoaded: navigation.domContentLoadedEventEnd,
      allChartsDrawn: performance.now(),
    };
  });
  await page.close();
  return timing;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

it(`navigation to first chart drawn, ${RUNS} loads`, async () => {
  const timings: Timing[] = [];
  for (let run = 0; run < RUNS; run++) timings.push(await measure());
  const [cold, ...warm] = timings;
  const format = (values: number[]) =>
    `median ${median(values).toFixed(0)} ms, min ${Math.min(...values).toFixed(0)} ms, max ${Math.max(...values).toFixed(0)} ms`;
  console.log(
    [
      `first load (empty cache): first chart ${cold.firstChart.toFixed(0)} ms, DOMContentLoaded ${cold.domContentLoaded.toFixed(0)} ms`,
      `next ${warm.length} loads: first chart ${format(warm.map((timing) => timing.firstChart))}`,
      `                DOMContentLoaded ${format(warm.map((timing) => timing.domContentLoaded))}`,
      `                first capacity call sent ${format(warm.map((timing) => timing.capacityRequested))}`,
      `                first capacity call answered ${format(warm.map((timing) => timing.capacityReceived))}`,
      `                all four charts drawn by ${format(warm.map((timing) => timing.allChartsDrawn))}`,
    ].join('\n'),
  );
});
