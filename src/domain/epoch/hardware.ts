import type { AcceleratorKind } from '../vocabulary.js';

/**
 * Epoch AI's machine-learning hardware list (`ml_hardware.csv`) as catalog chips: one row → the specs a chip of the
 * catalog keeps, and the rules that match a row to a chip already in the catalog. docs/decisions/epoch-interop.md
 * explains each rule.
 */

/** The catalog's specs that the hardware list gives; null where unknown. */
export interface CatalogSpecs {
  denseFp32Tflops: number | null;
  denseBf16Tflops: number | null;
  denseFp8Tflops: number | null;
  denseInt8Tops: number | null;
  memoryGb: number | null;
  tdpWatts: number | null;
  releaseYear: number | null;
  releasePriceUsd: number | null;
}
export type SpecField = keyof CatalogSpecs;

/**
 * Where each spec comes from (the first of its columns with a figure), and the factor from Epoch's unit to the
 * catalog's: rates in FLOP/s (OP/s) to TFLOP/s (TOP/s), memory in bytes to GB of 10⁹ bytes (the catalog's figures:
 * Epoch's 80,000,000,000 bytes are the H100's 80 GB), TDP and price as they are. The release year is the year of
 * Epoch's release date. The 16-bit rate is the tensor FP16/BF16 figure, else the plain FP16 one: for the chips Epoch
 * gives no tensor figure (Ascend 910B, H100 NVL, P100 …) that is their dense 16-bit rate, the one Epoch's own
 * "Max performance" takes.
 */
export const SPEC_COLUMNS: Record<SpecField, { columns: readonly string[]; divisor: number }> = {
  denseFp32Tflops: { columns: ['FP32 (single precision) performance (FLOP/s)'], divisor: 1e12 },
  denseBf16Tflops: { columns: ['Tensor-FP16/BF16 performance (FLOP/s)', 'FP16 (half precision) performance (FLOP/s)'], divisor: 1e12 },
  denseFp8Tflops: { columns: ['FP8 performance (FLOP/s)'], divisor: 1e12 },
  denseInt8Tops: { columns: ['INT8 performance (OP/s)'], divisor: 1e12 },
  memoryGb: { columns: ['Memory size per board (Byte)'], divisor: 1e9 },
  tdpWatts: { columns: ['TDP (W)'], divisor: 1 },
  releaseYear: { columns: ['Release date'], divisor: 1 },
  releasePriceUsd: { columns: ['Release price (USD)'], divisor: 1 },
};
export const SPEC_FIELDS = Object.keys(SPEC_COLUMNS) as SpecField[];

export const NAME_COLUMN = 'Hardware name';
export const MANUFACTURER_COLUMN = 'Manufacturer';
export const TYPE_COLUMN = 'Type';
/** The columns a file must have to be Epoch's list (a fallback column may be missing); others are left alone. */
export const EPOCH_HARDWARE_COLUMNS = [
  NAME_COLUMN,
  MANUFACTURER_COLUMN,
  TYPE_COLUMN,
  ...SPEC_FIELDS.map((field) => SPEC_COLUMNS[field].columns[0]),
];

/**
 * Chip families that are custom silicon whatever Epoch's Type says (it lists Trainium, Maia and Dojo as GPUs), named
 * as DESIGN names them for the GPU Clusters mapping.
 */
const CUSTOM_FAMILIES = /(^|[^a-z])(tpu|trainium|inferentia|mtia|maia|dojo)/i;

/** `custom` for a chip of a custom family (TPU, Trainium, Inferentia, MTIA, Maia, Dojo), else `gpu`. */
export function kindOfChipName(name: string): AcceleratorKind {
  return CUSTOM_FAMILIES.test(name) ? 'custom' : 'gpu';
}

/**
 * A hardware row's kind: a custom family by name; else Epoch's Type: any GPU type (GPU, GPGPU, "DCU (GPGPU)") or
 * none → `gpu`; any other (TPU, NPU, ASIC, LPU, XPU, Other …) → `custom`.
 */
export function kindOfHardware(name: string, type: string | null): AcceleratorKind {
  if (kindOfChipName(name) === 'custom') return 'custom';
  return type === null || /gpu/i.test(type) ? 'gpu' : 'custom';
}

/** One row of the hardware list, read. */
export interface EpochHardwareChip {
  epochName: string;
  manufacturer: string | null;
  kind: AcceleratorKind;
  specs: CatalogSpecs;
}

export interface RowProblem {
  field: string;
  message: string;
  value?: string;
}

/** A figure as the catalog keeps it: twelve significant digits, so that 989.4e12 ÷ 1e12 is 989.4 and not 989.4000000000001. */
const tidy = (value: number) => Number(value.toPrecision(12));

/**
 * Reads one row (header → cell, trimmed or not). Blank cells are unknown (null), and so is a 0, which Epoch writes
 * for figures it does not have; anything else that is not a positive number or a date is a problem named by column.
 */
export function readEpochHardwareRow(
  cells: Readonly<Record<string, string | undefined>>,
): { chip: EpochHardwareChip } | { problems: RowProblem[] } {
  const text = (column: string) => (cells[column] ?? '').trim();
  const problems: RowProblem[] = [];
  const name = text(NAME_COLUMN).replace(/\s+/g, ' ');
  if (name === '') problems.push({ field: NAME_COLUMN, message: 'the chip has no name' });
  const specs = {} as CatalogSpecs;
  for (const field of SPEC_FIELDS) {
    const { columns, divisor } = SPEC_COLUMNS[field];
    specs[field] = null;
    for (const column of columns) {
      const value = text(column);
      if (value === '' || specs[field] !== null) continue;
      if (field === 'releaseYear') {
        const year = /^(\d{4})(-\d{2}(-\d{2})?)?([ T].*)?$/.exec(value)?.[1];
        if (year === undefined) problems.push({ field: column, message: 'must be a date (YYYY-MM-DD) or a year', value });
        else specs[field] = Number(year);
        continue;
      }
      const number = Number(value);
      if (!Number.isFinite(number) || number < 0) problems.push({ field: column, message: 'must be a number, 0 or more', value });
      else if (number > 0) specs[field] = tidy(number / divisor);
    }
  }
  if (problems.length > 0) return { problems };
  const manufacturer = text(MANUFACTURER_COLUMN) || null;
  const type = text(TYPE_COLUMN) || null;
  return { chip: { epochName: name, manufacturer, kind: kindOfHardware(name, type), specs } };
}

/** A chip of the catalog, as matching needs it. */
export interface CatalogChipName {
  id: string;
  name: string;
  vendor: string;
  aliases: readonly string[];
  memoryGb: number | null;
}

/** How names compare: case, spaces and punctuation aside ("Gaudi 3" = "Gaudi3", "TPU v5e" = "TPUv5e"). */
export const nameKey = (name: string) =>
  name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

/**
 * Epoch's name without the manufacturer's words in front ("NVIDIA H100 SXM5 80GB" → "H100 SXM5 80GB", "Amazon
 * Trainium2" → "Trainium2" for manufacturer "Amazon AWS"), and without Intel's brand "Habana" before Gaudi. At least
 * one word is kept.
 */
export function withoutManufacturer(name: string, manufacturer: string | null): string {
  const prefixes = new Set([
    ...(manufacturer ?? '')
      .toLowerCase()
      .split(/[\s,()]+/)
      .filter(Boolean),
    'habana',
  ]);
  const words = name.split(' ');
  let first = 0;
  while (first < words.length - 1 && prefixes.has(words[first].toLowerCase())) first++;
  return words.slice(first).join(' ');
}

/** Spellings of one chip that Epoch's names add to the catalog's: a note in brackets, the memory size, SXM's generation. */
const SPELLINGS: ((name: string) => string)[] = [
  (name) => name.replace(/\s*\([^)]*\)\s*$/, ''), // "Maia 100 (M100)" → "Maia 100"
  (name) => name.replace(/\s+\d+\s?GB$/i, ''), // "H100 SXM5 80GB" → "H100 SXM5"
  (name) => name.replace(/\bSXM\d\b/i, 'SXM'), // "H100 SXM5" → "H100 SXM"
];

/** A name with every combination of the spellings above applied. */
export function spellingsOf(name: string): string[] {
  let forms = [name];
  for (const spelling of SPELLINGS) forms = [...new Set([...forms, ...forms.map(spelling)])].filter(Boolean);
  return forms;
}

/** How strongly a row matches a chip; lower is stronger, compared field by field. */
type MatchScore = [notEpochName: number, notChipName: number, level: number, memoryDiffers: number, order: number];

const stronger = (a: MatchScore, b: MatchScore) => {
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return a[index] < b[index];
  return false;
};

/** What to do with one row: update the chip it matched, or create a chip with this name (and the Epoch name as alias). */
export type CatalogAction = { line: number; chip: EpochHardwareChip } & (
  { matchedId: string; create?: undefined } | { matchedId?: undefined; create: { name: string; vendor: string } }
);

/**
 * Matches the rows to the catalog, one chip to one row at most. A row matches a chip whose name or alias equals, in
 * `nameKey` terms: (1) Epoch's name; (2) that name without the manufacturer; (3) that with the spellings of
 * `spellingsOf`; (4) two parts of it that both name the chip ("TPU v6e" + "Trillium"). The strongest pairs are taken
 * first: Epoch's own name (kept as an alias by an earlier import), then a match on the chip's name over one on an
 * alias, then the lower level, then a row whose memory agrees with the chip's, then the earlier row. A row left
 * without a chip creates one, named without the manufacturer unless that name is already a chip's name or alias
 * (then Epoch's full name). Two rows of one name: the second is a problem.
 */
export function planEpochCatalog(
  rows: readonly { line: number; chip: EpochHardwareChip }[],
  catalog: readonly CatalogChipName[],
): { actions: CatalogAction[]; problems: (RowProblem & { line: number })[] } {
  const index = new Map<string, { id: string; isName: boolean }[]>();
  const addKey = (name: string, id: string, isName: boolean) => {
    const key = nameKey(name);
    if (key === '') return;
    const named = index.get(key) ?? [];
    if (!named.some((entry) => entry.id === id && entry.isName === isName)) named.push({ id, isName });
    index.set(key, named);
  };
  for (const chip of catalog) {
    addKey(chip.name, chip.id, true);
    for (const alias of chip.aliases) addKey(alias, chip.id, false);
  }
  const byId = new Map(catalog.map((chip) => [chip.id, chip]));

  const problems: (RowProblem & { line: number })[] = [];
  const firstLine = new Map<string, number>();
  const unique: { line: number; chip: EpochHardwareChip }[] = [];
  for (const row of rows) {
    const key = nameKey(row.chip.epochName);
    const earlier = firstLine.get(key);
    if (earlier === undefined) {
      firstLine.set(key, row.line);
      unique.push(row);
    } else {
      problems.push({
        line: row.line,
        field: NAME_COLUMN,
        message: `the file names this chip twice (line ${earlier} too)`,
        value: row.chip.epochName,
      });
    }
  }

  const pairs: { row: number; id: string; score: MatchScore }[] = [];
  unique.forEach(({ chip }, order) => {
    const best = new Map<string, MatchScore>();
    const consider = (id: string, isName: boolean, level: number) => {
      const memory = byId.get(id)!.memoryGb;
      const epochMemory = chip.specs.memoryGb;
      const memoryDiffers = memory !== null && epochMemory !== null && Math.abs(memory - epochMemory) > 0.01 * memory ? 1 : 0;
      const score: MatchScore = [level === 1 ? 0 : 1, isName ? 0 : 1, level, memoryDiffers, order];
      const known = best.get(id);
      if (!known || stronger(score, known)) best.set(id, score);
    };
    const lookUp = (name: string, level: number) => {
      for (const { id, isName } of index.get(nameKey(name)) ?? []) consider(id, isName, level);
    };
    lookUp(chip.epochName, 1);
    const bare = withoutManufacturer(chip.epochName, chip.manufacturer);
    lookUp(bare, 2);
    const forms = spellingsOf(bare);
    for (const form of forms) lookUp(form, 3);
    for (const form of forms) {
      const words = form.split(' ');
      for (let split = 1; split < words.length; split++) {
        const head = new Map(
          spellingsOf(words.slice(0, split).join(' '))
            .flatMap((part) => index.get(nameKey(part)) ?? [])
            .map((e) => [e.id, e]),
        );
        const tail = (index.get(nameKey(words.slice(split).join(' '))) ?? []).map((entry) => entry.id);
        for (const id of tail) if (head.has(id)) consider(id, head.get(id)!.isName, 4);
      }
    }
    for (const [id, score] of best) pairs.push({ row: order, id, score });
  });
  pairs.sort((a, b) => (stronger(a.score, b.score) ? -1 : stronger(b.score, a.score) ? 1 : 0));
  const matched = new Map<number, string>();
  const claimed = new Set<string>();
  for (const { row, id } of pairs) {
    if (matched.has(row) || claimed.has(id)) continue;
    matched.set(row, id);
    claimed.add(id);
  }

  const vendors = [...new Set(catalog.map((chip) => chip.vendor))];
  const actions: CatalogAction[] = [];
  unique.forEach(({ line, chip }, order) => {
    const matchedId = matched.get(order);
    if (matchedId !== undefined) return actions.push({ line, chip, matchedId });
    const bare = withoutManufacturer(chip.epochName, chip.manufacturer);
    const name = index.has(nameKey(bare)) ? chip.epochName : bare;
    if (name === chip.epochName && index.has(nameKey(name))) {
      const message = 'matches no chip that another row does not match better, and its name is already a chip name or alias';
      return problems.push({ line, field: NAME_COLUMN, message, value: chip.epochName });
    }
    addKey(name, `new:${line}`, true);
    if (name !== chip.epochName) addKey(chip.epochName, `new:${line}`, false);
    actions.push({ line, chip, create: { name, vendor: vendorOf(chip.manufacturer, vendors) } });
  });
  return { actions, problems };
}

/**
 * A new chip's vendor: the catalog's spelling where the manufacturer (or one of its words) already names a vendor,
 * so that "NVIDIA" joins "Nvidia" and "Amazon AWS" joins "AWS" in vendor groupings; else the manufacturer; else
 * "Unknown vendor" (Epoch leaves a few blank).
 */
export function vendorOf(manufacturer: string | null, catalogVendors: readonly string[]): string {
  if (manufacturer === null) return 'Unknown vendor';
  const byKey = new Map(catalogVendors.map((vendor) => [vendor.toLowerCase(), vendor]));
  const whole = byKey.get(manufacturer.toLowerCase());
  if (whole) return whole;
  for (const word of manufacturer.toLowerCase().split(/[\s,()]+/)) {
    const vendor = byKey.get(word);
    if (vendor) return vendor;
  }
  return manufacturer;
}

/** A catalog chip as an update compares it. */
export interface CatalogChipState extends CatalogSpecs {
  name: string;
  aliases: readonly string[];
}

/**
 * What the row changes in a chip it matched: each spec Epoch gives that differs from the catalog's (a spec Epoch
 * leaves blank keeps the catalog's figure), and Epoch's name added to the aliases. Name, vendor and kind stay the
 * catalog's. Empty when nothing changes.
 */
export function catalogChanges(current: CatalogChipState, chip: EpochHardwareChip): Partial<CatalogSpecs> & { aliases?: string[] } {
  const changes: Partial<CatalogSpecs> & { aliases?: string[] } = {};
  for (const field of SPEC_FIELDS) {
    const value = chip.specs[field];
    if (value !== null && value !== current[field]) changes[field] = value;
  }
  const known = new Set([current.name, ...current.aliases].map((name) => name.toLowerCase()));
  if (!known.has(chip.epochName.toLowerCase())) changes.aliases = [...current.aliases, chip.epochName];
  return changes;
}
