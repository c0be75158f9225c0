import type { Chart as ChartInstance, ChartData, ChartOptions, ChartType, Plugin } from 'chart.js';
import { useId, useRef, useState } from 'react';
import { Chart } from 'react-chartjs-2';
import { type DataTable, download, downloadCsv } from './csv';
import { drawnMarker, whiteBackground } from './options';

const tableNumber = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/**
 * The colour of each series by its label, as the chart draws it: a dataset's colour, or, for a single dataset with a
 * colour per value (a doughnut), each label's. Kept on the canvas (`data-colours`) for tests and tools.
 */
function seriesColours(data: ChartData<ChartType, number[], string>): Record<string, string> {
  const [only] = data.datasets;
  if (data.datasets.length === 1 && Array.isArray(only.backgroundColor)) {
    const colours = only.backgroundColor as string[];
    return Object.fromEntries((data.labels ?? []).map((label, index) => [label, colours[index]]));
  }
  return Object.fromEntries(data.datasets.map((dataset) => [dataset.label ?? '', String(dataset.backgroundColor)]));
}
const formatTableNumber = (value: number) => tableNumber.format(value);

interface ChartPanelProps<Type extends ChartType> {
  /** Names the chart in test ids and in exported file names. */
  id: string;
  title: string;
  /** What the figures include, shown under the title. */
  note?: string;
  type: Type;
  data: ChartData<Type, number[], string>;
  options: ChartOptions<Type>;
  /** The same figures as a table: shown on request, exported as CSV, and the chart's text alternative. */
  table: DataTable;
  /** One sentence read by screen readers in place of the picture. */
  summary: string;
  height?: number;
}

/** The one chart wrapper: a chart.js chart with its title, a data table toggle and PNG/CSV export. */
export function ChartPanel<Type extends ChartType>({
  id,
  title,
  note,
  type,
  data,
  options,
  table,
  summary,
  height = 320,
}: ChartPanelProps<Type>) {
  const chartRef = useRef<ChartInstance<Type, number[], string>>(undefined);
  const [showTable, setShowTable] = useState(false);
  const tableId = useId();
  return (
    <section className="panel chart-panel" aria-labelledby={`${id}-title`} data-testid={`panel-${id}`}>
      <header className="panel-header">
        <div>
          <h2 id={`${id}-title`}>{title}</h2>
          {note ? <p className="panel-note">{note}</p> : null}
        </div>
        <div className="panel-actions">
          <button type="button" aria-expanded={showTable} aria-controls={tableId} onClick={() => setShowTable((shown) => !shown)}>
            {showTable ? 'Hide table' : 'Show table'}
          </button>
          <button
            type="button"
            onClick={() => chartRef.current && download(chartRef.current.toBase64Image('image/png'), `${id}.png`)}
            aria-label={`Download ${title} as PNG`}
          >
            PNG
          </button>
          <button type="button" onClick={() => downloadCsv(table, `${id}.csv`)} aria-label={`Download the data of ${title} as CSV`}>
            CSV
          </button>
        </div>
      </header>
      <div className="chart-box" style={{ height }}>
        <Chart
          ref={chartRef}
          type={type}
          data={data}
          options={options}
          plugins={[whiteBackground, drawnMarker] as Plugin<Type>[]}
          role="img"
          aria-label={`${title}. ${summary}`}
          data-testid={`chart-${id}`}
          data-colours={JSON.stringify(seriesColours(data as ChartData<ChartType, number[], string>))}
        />
      </div>
      <div id={tableId} className="table-scroll" hidden={!showTable}>
        <table className="data-table" data-testid={`chart-table-${id}`}>
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              {table.columns.map((column) => (
                <th key={column} scope="col">
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, index) => (
              <tr key={index}>
                {row.map((cell, column) =>
                  column === 0 ? (
                    <th key={column} scope="row">
                      {cell}
                    </th>
                  ) : (
                    <td key={column}>{typeof cell === 'number' ? formatTableNumber(cell) : cell}</td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
