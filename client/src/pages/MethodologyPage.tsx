import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { H100_DENSE_BF16_TFLOPS, H100_DENSE_FP8_TFLOPS } from '../../../src/domain/metrics.js';
import { api } from '../api';
import { DEFAULT_COUNTED_STATUSES, EPOCH_CLUSTERS_CREDIT } from '../api-types';
import { KIND_NAMES } from '../components/filters';
import { ErrorMessage, Skeleton } from '../components/states';
import { formatWhole, humanize } from '../format';

const factor = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });
const figure = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const shown = (value: number | null, format: Intl.NumberFormat = figure) => (value === null ? '—' : format.format(value));

/** How every figure of the ledger is made, for everyone who reads them; the chip factors as the catalog has them now. */
export function MethodologyPage() {
  const chips = useQuery({ queryKey: ['accelerators'], queryFn: api.accelerators });
  return (
    <div className="page prose">
      <p>
        <Link to="/">← Dashboard</Link>
      </p>
      <h1>How the numbers are made</h1>
      <p>
        The ledger records announcements: a company will have, buy or rent a number of AI chips over a period. Each announcement becomes one
        record per chip model, with its sources. The dashboard adds the records up by quarter.
      </p>

      <h2 id="counted">What is counted</h2>
      <ul>
        <li>
          Records whose status is {DEFAULT_COUNTED_STATUSES.map(humanize).join(', ').toLowerCase()}, unless the status filter says
          otherwise. Rumours and cancelled plans are left out by default.
        </li>
        <li>
          <strong>Revisions replace, they do not add.</strong> When a newer record supersedes an older one (xAI's 100,000 GPUs revised to
          200,000), only the newest record of the chain counts. The older one stays in the list, marked superseded.
        </li>
        <li>Deleted records are never counted; the audit trail keeps them.</li>
        <li>Filters on companies, vendors and chip kinds choose what is shown; the period chooses the quarters.</li>
      </ul>

      <h2 id="metrics">The three measures</h2>
      <dl className="definitions">
        <dt>Units</dt>
        <dd>The number of chips announced.</dd>
        <dt>H100-equivalents (H100e)</dt>
        <dd>
          <p>
            How many Nvidia H100 SXM chips would give the same computing power. A chip's factor is its dense BF16 rate divided by the H100
            SXM's: <strong>{formatWhole(H100_DENSE_BF16_TFLOPS)} TFLOP/s</strong>. With the FP8 precision, the factor is the chip's dense
            FP8 rate divided by the H100 SXM's <strong>{formatWhole(H100_DENSE_FP8_TFLOPS)} TFLOP/s</strong>, the convention of Epoch AI's
            data, which uses 8-bit rates. With the max precision, as Epoch AI's GPU Clusters data set counts, the factor is the chip's
            highest dense rate among FP32, BF16/FP16, FP8 and INT8, divided by the same {formatWhole(H100_DENSE_FP8_TFLOPS)}.
          </p>
          <p>
            A record's H100e is the figure its source states ("almost 600,000 H100 equivalents"), else its quantity × its chip's factor.
            Example: 350,000 H100 SXM are 350,000 H100e; 10,000 B200 (2,250 TFLOP/s BF16) are about 22,750.
          </p>
        </dd>
        <dt>Power (MW)</dt>
        <dd>The power its source states (deals announced in gigawatts), else its quantity × the chip's TDP in watts ÷ 1,000,000.</dd>
      </dl>

      <h2 id="time">Spreading an announcement over time</h2>
      <p>
        <strong>Delivery basis</strong> (the default): the amount is spread evenly over the quarters of its delivery window, first and last
        included. An announcement in February 2024 of 350,000 GPUs "by the end of the year" counts 87,500 in each quarter of 2024. Where the
        source gives no start, the window starts in the quarter of the announcement (or at its end, for a report of deliveries already
        made); where it gives no end, the window is that one quarter.
      </p>
      <p>
        <strong>Announced basis</strong>: the whole amount falls in the quarter of the announcement.
      </p>
      <p>
        <strong>Cumulative</strong> figures are running totals: each quarter adds everything before it, including quarters before the first
        one shown. A running total never falls, so the lines are drawn straight from quarter to quarter, and they run to the last quarter of
        the whole ledger even when a filter shows a company whose records stop earlier.
      </p>

      <h2 id="left-out">What is left out, and why</h2>
      <p>
        A record with no figure in the chosen measure is left out of that measure, never counted as zero. The dashboard says how many and
        why:
      </p>
      <ul>
        <li>
          <strong>Quantity undisclosed</strong>: the source names no number of chips ("a new version of our custom chip"), and states no
          H100e or power either.
        </li>
        <li>
          <strong>Chip unknown</strong>: the chip model is not named (only "GPUs" or "custom chips"), so it has no factor or TDP.
        </li>
        <li>
          <strong>Chip spec missing</strong>: the chip is known but the catalog lacks the rate or the TDP the measure needs (a new chip
          whose BF16 rate is not yet published).
        </li>
      </ul>
      <p>The same record can count in one measure and not another: 1 GW of an unnamed chip counts in MW only.</p>

      <h2 id="ranges">How sure: the range of each figure</h2>
      <p>
        Every total comes with a low and a high, drawn as a shaded band around the bars and given in the tooltips, the tables and the
        headline tile. Each record adds its own range, so the ranges of companies, vendors and quarters add up:
      </p>
      <ul>
        <li>a range the source gives (&quot;between 300,000 and 400,000&quot;) is taken as it is, in the measure asked;</li>
        <li>
          otherwise &quot;about&quot; an amount is that amount give or take the approximate margin (10 % unless the deployment sets
          another), &quot;up to&quot; runs from 0 and &quot;at least&quot; has no upper bound: the tile says how many records are open
          above;
        </li>
        <li>a record the analyst marks speculative may not happen at all, so its low is 0.</li>
      </ul>

      <h2 id="tiles">The headline figures</h2>
      <dl className="definitions">
        <dt>Committed capacity</dt>
        <dd>Everything counted in the period, in the chosen measure: the sum of the bars.</dd>
        <dt>Companies, records counted</dt>
        <dd>Those with a counted amount in the period.</dd>
        <dt>Records left out</dt>
        <dd>Records that pass every filter, fall in the period and are not superseded, but have no figure in the measure.</dd>
        <dt>Latest announcement</dt>
        <dd>
          The most recent announcement date among the records in view — those counted and those left out for lack of a figure, with the
          filters, statuses and period of the dashboard. It is the first row of the "Latest commitments" table under it.
        </dd>
      </dl>

      <h2 id="colours">Colours</h2>
      <p>
        A company keeps its colour on every chart, whatever the filters or the measure; so do vendors and chip kinds, whose colours are
        never used by a vendor. Companies beyond the largest few are folded into a grey "Others".
      </p>

      <h2 id="factors">Chip factors</h2>
      <p>The catalog as it is now. A dash means the figure is not known; records of that chip are then left out of the measure.</p>
      {chips.isError ? (
        <ErrorMessage error={chips.error} onRetry={() => void chips.refetch()} />
      ) : !chips.data ? (
        <Skeleton height={300} label="Loading the chip factors…" />
      ) : (
        <div className="table-scroll">
          <table className="data-table" data-testid="factors-table">
            <thead>
              <tr>
                <th scope="col">Chip</th>
                <th scope="col">Vendor</th>
                <th scope="col">Kind</th>
                <th scope="col">Dense BF16 TFLOP/s</th>
                <th scope="col">H100e factor (BF16)</th>
                <th scope="col">Dense FP8 TFLOP/s</th>
                <th scope="col">H100e factor (FP8)</th>
                <th scope="col">H100e factor (max)</th>
                <th scope="col">TDP (W)</th>
                <th scope="col">Source of the specs</th>
              </tr>
            </thead>
            <tbody>
              {chips.data.map((chip) => (
                <tr key={chip.id}>
                  <th scope="row">{chip.name}</th>
                  <td>{chip.vendor}</td>
                  <td>{KIND_NAMES[chip.kind]}</td>
                  <td className="number">{shown(chip.denseBf16Tflops)}</td>
                  <td className="number">{shown(chip.h100eFactor, factor)}</td>
                  <td className="number">{shown(chip.denseFp8Tflops)}</td>
                  <td className="number">{shown(chip.h100eFactorFp8, factor)}</td>
                  <td className="number">{shown(chip.h100eFactors.max, factor)}</td>
                  <td className="number">{shown(chip.tdpWatts)}</td>
                  <td>{chip.specSource ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted">
        Chip specifications draw on Epoch AI's machine-learning hardware data (CC BY 4.0) and the vendors' datasheets, as each chip's source
        says.
      </p>
      <p className="muted" data-testid="epoch-clusters-credit">
        Records keyed <code>epoch:…</code> are imported from {EPOCH_CLUSTERS_CREDIT}; each one&apos;s notes and sources say so, and every
        total that counts them draws on that data.
      </p>
    </div>
  );
}
