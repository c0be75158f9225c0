import type { AcceleratorKind, AcceleratorRecord, CompanyRecord } from '../api-types';
import { OTHERS_KEY } from './series';

/**
 * Every colour a chart uses comes from here, so that a company, a vendor or a chip kind looks the same on every
 * chart, whatever the filter, the metric or the grouping. See docs/decisions/chart-colours.md.
 */

/** Paul Tol's "muted" scheme, safe for the common forms of colour blindness, and three more of the same weight. */
export const COMPANY_PALETTE = [
  '#332288',
  '#88CCEE',
  '#44AA99',
  '#117733',
  '#999933',
  '#DDCC77',
  '#CC6677',
  '#882255',
  '#AA4499',
  '#661100',
  '#6699CC',
  '#997700',
] as const;

/** GPUs and custom chips, from Okabe and Ito's set; no vendor or company wears these. */
export const KIND_COLOURS: Record<AcceleratorKind, string> = { gpu: '#0072B2', custom: '#E69F00' };

/** The rest of Okabe and Ito's set and Tol's darker tones: distinct from each other and from the two kind colours. */
export const VENDOR_PALETTE = [
  '#009E73',
  '#CC79A7',
  '#D55E00',
  '#882255',
  '#999933',
  '#332288',
  '#F0E442',
  '#44AA99',
  '#000000',
  '#AA4499',
] as const;

/** "Others" is grey so that it never competes with a named series. */
export const OTHERS_COLOUR = '#BBBBBB';

/** Records with no chip model, by vendor: greys apart from "Others". */
const UNKNOWN_CHIP_COLOURS: Record<AcceleratorKind, string> = { gpu: '#7F7F7F', custom: '#A5A5A5' };

/**
 * Colours for a chart's series keys. Each key has a home colour, its position in `order` (the catalog, oldest first)
 * in the palette; so a key keeps its colour as filters and metrics change, and a new catalog entry changes nobody
 * else's. Two keys shown together never share a colour: where two homes coincide (the palette is shorter than the
 * catalog), the key later in the catalog takes the first colour no other shown key has.
 */
export function stableColours(
  keys: readonly string[],
  order: readonly string[],
  palette: readonly string[],
  fixed: Readonly<Record<string, string>> = {},
): Map<string, string> {
  const position = new Map(order.map((key, index) => [key, index]));
  const unique = [...new Set(keys)];
  // Keys the catalog does not know yet (added since it was read) come after it, in a stable order.
  const strangers = unique.filter((key) => !position.has(key)).sort();
  strangers.forEach((key, index) => position.set(key, order.length + index));
  const rank = (key: string) => position.get(key) as number;
  const colours = new Map<string, string>();
  const taken = new Set<string>();
  for (const key of unique.filter((key) => fixed[key])) colours.set(key, fixed[key]);
  for (const key of unique.filter((key) => !fixed[key]).sort((a, b) => rank(a) - rank(b))) {
    const home = palette[rank(key) % palette.length];
    const colour = taken.has(home) ? (palette.find((candidate) => !taken.has(candidate)) ?? home) : home;
    taken.add(colour);
    colours.set(key, colour);
  }
  return colours;
}

const byAge = <Item extends { createdAt: string }>(a: Item, b: Item, name: (item: Item) => string) =>
  a.createdAt.localeCompare(b.createdAt) || name(a).localeCompare(name(b));

/** Company ids, oldest first (ties by name): the order company colours follow. */
export function companyOrder(companies: readonly Pick<CompanyRecord, 'id' | 'name' | 'createdAt'>[]): string[] {
  return [...companies].sort((a, b) => byAge(a, b, (company) => company.name)).map((company) => company.id);
}

/** Vendor names, by their oldest chip in the catalog (ties by name): the order vendor colours follow. */
export function vendorOrder(chips: readonly Pick<AcceleratorRecord, 'vendor' | 'createdAt'>[]): string[] {
  const first = new Map<string, string>();
  for (const chip of chips) {
    const known = first.get(chip.vendor);
    if (known === undefined || chip.createdAt < known) first.set(chip.vendor, chip.createdAt);
  }
  return [...first]
    .map(([vendor, createdAt]) => ({ vendor, createdAt }))
    .sort((a, b) => byAge(a, b, (entry) => entry.vendor))
    .map((entry) => entry.vendor);
}

export function companyColours(keys: readonly string[], companies: readonly Pick<CompanyRecord, 'id' | 'name' | 'createdAt'>[]) {
  return stableColours(keys, companyOrder(companies), COMPANY_PALETTE, { [OTHERS_KEY]: OTHERS_COLOUR });
}

/** By vendor, records with no chip model come under their kind's key (`gpu`, `custom`): those are greys. */
export function vendorColours(keys: readonly string[], chips: readonly Pick<AcceleratorRecord, 'vendor' | 'createdAt'>[]) {
  return stableColours(keys, vendorOrder(chips), VENDOR_PALETTE, { ...UNKNOWN_CHIP_COLOURS, [OTHERS_KEY]: OTHERS_COLOUR });
}

export function kindColour(key: string): string {
  return KIND_COLOURS[key as AcceleratorKind] ?? OTHERS_COLOUR;
}

/** Countries and kinds of company: colours by key in alphabetical order; "Unknown country" and "Others" grey. */
export function groupColours(keys: readonly string[]) {
  return stableColours(keys, [...new Set(keys)].sort(), COMPANY_PALETTE, {
    unknown: UNKNOWN_CHIP_COLOURS.gpu,
    [OTHERS_KEY]: OTHERS_COLOUR,
  });
}
