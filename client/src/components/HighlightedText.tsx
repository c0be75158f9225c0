import { Fragment } from 'react';

export interface Highlight {
  start: number;
  end: number;
  /** The number shown to people (1-based), the same as on the suggestion it belongs to. */
  label: number;
}

/**
 * The pasted text with the evidence of each suggestion marked. It is cut into plain text segments at every span
 * boundary; React writes each as text, so nothing in the article is ever read as HTML.
 */
export function HighlightedText({ text, highlights, active }: { text: string; highlights: Highlight[]; active: number | null }) {
  const cuts = [...new Set([0, text.length, ...highlights.flatMap((span) => [span.start, span.end])])]
    .filter((offset) => offset >= 0 && offset <= text.length)
    .sort((a, b) => a - b);
  const segments = cuts.slice(0, -1).map((start, index) => {
    const end = cuts[index + 1];
    const covering = highlights.filter((span) => span.start <= start && span.end >= end).map((span) => span.label);
    return { start, end, covering };
  });
  return (
    <div className="evidence-text" data-testid="evidence-text">
      {segments.map(({ start, end, covering }) =>
        covering.length === 0 ? (
          <Fragment key={start}>{text.slice(start, end)}</Fragment>
        ) : (
          <mark
            key={start}
            className={active !== null && covering.includes(active) ? 'active' : undefined}
            data-suggestions={covering.join(' ')}
            title={`Evidence of suggestion ${covering.join(', ')}`}
          >
            {text.slice(start, end)}
          </mark>
        ),
      )}
    </div>
  );
}
