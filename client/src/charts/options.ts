import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartOptions,
  DoughnutController,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  type Plugin,
  PointElement,
  Tooltip,
  type TooltipItem,
} from 'chart.js';
import { formatCompact, METRIC_LABELS } from '../format';
import type { Metric } from '../api-types';

// Only the parts the dashboard draws, so the rest of chart.js stays out of the bundle.
Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  DoughnutController,
  ArcElement,
  Filler,
  CategoryScale,
  LinearScale,
  Tooltip,
  Legend,
);
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, "Open Sans", sans-serif';
Chart.defaults.color = '#333';

const narrowScreen = matchMedia('(max-width: 800px)');

/** White behind the chart, so an exported PNG reads on any background. */
export const whiteBackground: Plugin = {
  id: 'whiteBackground',
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

/**
 * Marks the first time a chart is drawn (performance mark and a data attribute), for the benchmark and the tests,
 * and keeps the text of the open tooltip on the canvas (`data-tooltip`), where tests and tools can read it.
 */
export const drawnMarker: Plugin = {
  id: 'drawnMarker',
  afterRender(chart) {
    const canvas = chart.canvas;
    if (!canvas.dataset.drawn) {
      canvas.dataset.drawn = 'true';
      if (performance.getEntriesByName('first-chart-drawn').length === 0) performance.mark('first-chart-drawn');
    }
    const tooltip = chart.tooltip;
    if (tooltip && tooltip.opacity > 0 && tooltip.getActiveElements().length > 0) {
      canvas.dataset.tooltip = [...tooltip.title, ...tooltip.body.flatMap((item) => item.lines)].join('\n');
      if (tooltip.footer.length > 0) canvas.dataset.tooltipFooter = tooltip.footer.join('\n');
      else delete canvas.dataset.tooltipFooter;
    } else {
      delete canvas.dataset.tooltip;
      delete canvas.dataset.tooltipFooter;
    }
    // Where a band was drawn: per quarter, the pixel x and the y of its low and high edges (`data-band`).
    const edges = [BAND_LABELS.low, BAND_LABELS.high].map((label) => chart.data.datasets.findIndex((dataset) => dataset.label === label));
    if (edges.every((index) => index >= 0 && chart.isDatasetVisible(index))) {
      const [low, high] = edges.map((index) => chart.getDatasetMeta(index).data);
      canvas.dataset.band = JSON.stringify(low.map((point, index) => ({ x: point.x, low: point.y, high: high[index]?.y })));
    } else delete canvas.dataset.band;
  },
};

const legend = { position: 'bottom', labels: { boxWidth: 12, boxHeight: 12 } } as const;

/** A tap opens the tooltip as hovering does, and dragging a finger along the chart moves it. */
const POINTER_EVENTS: ('mousemove' | 'mouseout' | 'click' | 'touchstart' | 'touchmove')[] = [
  'mousemove',
  'mouseout',
  'click',
  'touchstart',
  'touchmove',
];

/**
 * No animation: the chart draws in the same task that creates or updates it, rather than on later animation
 * frames, which a busy or background tab may not get for a second or more. Figures matter here, not motion.
 */
function baseOptions() {
  return { responsive: true, maintainAspectRatio: false, animation: false as const, events: POINTER_EVENTS };
}

function valueAxis(metric: Metric, stacked: boolean) {
  return {
    stacked,
    beginAtZero: true,
    title: { display: true, text: METRIC_LABELS[metric] },
    ticks: { callback: (value: number | string) => formatCompact(Number(value)) },
  };
}

/** Tooltip lines like "Meta: 87.5k H100e". */
function valueTooltip(metric: Metric) {
  return {
    callbacks: {
      label: (item: TooltipItem<'bar' | 'line'>) =>
        `${item.dataset.label ?? ''}: ${formatCompact(item.parsed.y ?? 0)} ${METRIC_LABELS[metric]}`,
    },
  };
}

/** Quarters along x, the metric up y; stacked for bars of companies or chip kinds. */
export function quarterChartOptions<Type extends 'bar' | 'line'>(metric: Metric, stacked: boolean): ChartOptions<Type> {
  const options: ChartOptions<'bar' | 'line'> = {
    ...baseOptions(),
    interaction: { mode: 'index', intersect: false },
    scales: { x: { stacked, grid: { display: false } }, y: valueAxis(metric, stacked) },
    plugins: { legend, tooltip: valueTooltip(metric) },
  };
  return options as ChartOptions<Type>;
}

/** The datasets of a total's band: its low, and its high filled down to the low. */
export const BAND_LABELS = { low: 'Range low', high: 'Range high' } as const;
const BAND_FILL = 'rgba(60, 60, 60, 0.16)';
const BAND_EDGE = 'rgba(60, 60, 60, 0.55)';

/**
 * A band from the low to the high of the total in each quarter, drawn over stacked bars as a filled area (each edge in
 * a stack of its own, so neither adds to the bars).
 */
export function bandDatasets(low: number[], high: number[]) {
  // Steps half-way between quarters, as the bars are: each quarter's band is flat across its bar.
  const edge = {
    type: 'line' as const,
    borderColor: BAND_EDGE,
    borderWidth: 1,
    borderDash: [4, 3],
    pointRadius: 0,
    stepped: 'middle' as const,
  };
  return [
    { ...edge, label: BAND_LABELS.low, data: low, stack: 'band-low', backgroundColor: 'rgba(60, 60, 60, 0)', fill: false },
    { ...edge, label: BAND_LABELS.high, data: high, stack: 'band-high', backgroundColor: BAND_FILL, fill: '-1' as const },
  ];
}

/** quarterChartOptions with a band: the tooltip's footer gives the total with its range, "Total: 3.6M (3.1M–4.0M) H100e". */
export function bandChartOptions(metric: Metric, totals: { values: number[]; low: number[]; high: number[] }): ChartOptions<'bar'> {
  const options = quarterChartOptions<'bar'>(metric, true);
  const unit = METRIC_LABELS[metric];
  return {
    ...options,
    plugins: {
      ...options.plugins,
      // One legend entry for the band: its filled high edge, named for what it shows.
      legend: {
        ...legend,
        labels: {
          ...legend.labels,
          filter: (item) => item.text !== BAND_LABELS.low,
          generateLabels: (chart) =>
            Chart.defaults.plugins.legend.labels
              .generateLabels(chart)
              .map((item) => (item.text === BAND_LABELS.high ? { ...item, text: 'Range of the total (low–high)' } : item)),
        },
      },
      tooltip: {
        callbacks: {
          ...valueTooltip(metric).callbacks,
          footer: (items) => {
            const index = items[0]?.dataIndex;
            if (index === undefined) return '';
            return `Total: ${formatCompact(totals.values[index] ?? 0)} (${formatCompact(totals.low[index] ?? 0)}–${formatCompact(totals.high[index] ?? 0)}) ${unit}`;
          },
        },
      },
    },
  };
}

export function shareChartOptions(metric: Metric): ChartOptions<'doughnut'> {
  return {
    ...baseOptions(),
    plugins: {
      legend: { position: narrowScreen.matches ? 'bottom' : 'right', labels: { boxWidth: 12, boxHeight: 12 } },
      tooltip: {
        callbacks: {
          label: (item) => {
            const values = item.dataset.data as number[];
            const total = values.reduce((sum, value) => sum + value, 0);
            const share = total > 0 ? Math.round((Number(item.parsed) / total) * 100) : 0;
            return `${item.label}: ${formatCompact(Number(item.parsed))} ${METRIC_LABELS[metric]} (${share}%)`;
          },
        },
      },
    },
  };
}
