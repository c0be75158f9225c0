/**
 * Paul Tol's "muted" scheme: distinguishable for the common forms of colour blindness. "Others" is grey so it
 * never competes with a named company.
 */
export const PALETTE = ['#332288', '#88CCEE', '#44AA99', '#117733', '#999933', '#DDCC77', '#CC6677', '#882255', '#AA4499'] as const;
export const OTHERS_COLOUR = '#BBBBBB';

/** Colours by series key, in the order the keys are first seen, so a company keeps its colour on every chart. */
export function colourMap(keys: readonly string[], othersKeys: ReadonlySet<string> = new Set()): Map<string, string> {
  const colours = new Map<string, string>();
  let next = 0;
  for (const key of keys) {
    if (colours.has(key)) continue;
    colours.set(key, othersKeys.has(key) ? OTHERS_COLOUR : PALETTE[next++ % PALETTE.length]);
  }
  return colours;
}
