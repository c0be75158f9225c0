/**
 * Paul Tol's "muted" scheme: distinguishable for the common forms of colour blindness. "Others" is grey so it
 * never competes with a named company.
 */
export const PALETTE = ['#332288', '#88CCEE', '#44AA99', '#117733', '#999933', '#DDCC77', '#CC6677', '#882255', '#AA4499'] as const;
export const OTHERS_COLOUR = '#BBBBBB';

/**
 * Okabe and Ito's colour-blind-safe set, for vendors and chip kinds, so that no vendor wears a company's colour.
 */
export const CATEGORY_PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'] as const;

/** Colours by series key, in the order the keys are first seen, so a company keeps its colour on every chart. */
export function colourMap(
  keys: readonly string[],
  othersKeys: ReadonlySet<string> = new Set(),
  palette: readonly string[] = PALETTE,
): Map<string, string> {
  const colours = new Map<string, string>();
  let next = 0;
  for (const key of keys) {
    if (colours.has(key)) continue;
    colours.set(key, othersKeys.has(key) ? OTHERS_COLOUR : palette[next++ % palette.length]);
  }
  return colours;
}
