/**
 * What each field is called on the pages, by the API's name for it: the one place where `announcedOn` becomes
 * "Announced on". Forms label their fields from here, and server messages are rewritten with these names. A new
 * field of the API gets its line here.
 */
export const FIELD_LABELS: Record<string, string> = {
  // Commitments
  companyId: 'Company',
  hostCompanyId: 'Host company',
  acceleratorId: 'Chip',
  acceleratorKind: 'Chip kind',
  quantity: 'Quantity',
  quantityQualifier: 'Qualifier',
  statedH100e: 'Stated H100-equivalents',
  statedPowerMw: 'Stated power (MW)',
  amountLow: 'Lowest amount',
  amountHigh: 'Highest amount',
  announcedOn: 'Announced on',
  deliveryFrom: 'Delivery from',
  deliveryBy: 'Delivery by',
  status: 'Status',
  certainty: 'Certainty',
  supersedesId: 'Supersedes',
  partOfId: 'Part of',
  siteCountry: 'Site country',
  notes: 'Notes',
  key: 'Key',
  version: 'Version',
  sources: 'Sources',
  items: 'Records',
  // Sources
  url: 'URL',
  title: 'Title',
  publisher: 'Publisher',
  publishedOn: 'Published on',
  language: 'Language',
  quote: 'Quote',
  text: 'Article text',
  // Catalog
  name: 'Name',
  aliases: 'Aliases',
  country: 'Country',
  kind: 'Kind',
  vendor: 'Vendor',
  denseFp32Tflops: 'Dense FP32 TFLOP/s',
  denseBf16Tflops: 'Dense BF16 TFLOP/s',
  denseFp8Tflops: 'Dense FP8 TFLOP/s',
  denseInt8Tops: 'Dense INT8 TOP/s',
  memoryGb: 'Memory (GB)',
  tdpWatts: 'TDP (W)',
  releaseYear: 'Release year',
  releasePriceUsd: 'Release price (USD)',
  specSource: 'Source of the specs',
  // Accounts
  email: 'Email',
  password: 'Password',
  role: 'Role',
  disabled: 'Disabled',
  currentPassword: 'Current password',
  newPassword: 'New password',
  // Filters
  from: 'From',
  to: 'To',
  metric: 'Metric',
  basis: 'Basis',
  precision: 'Precision',
};

/** The field a path ends with: `items[1].sources[0].url` → `url`. */
const lastName = (path: string) =>
  path
    .replace(/\[\d+\]/g, '')
    .split('.')
    .pop() ?? path;

/** "URL", "Published on", or, for a source after the first, "URL of source 2". */
export function fieldLabel(path: string): string {
  const name = lastName(path);
  const label = FIELD_LABELS[name] ?? name;
  const source = /sources\[(\d+)\]\./.exec(path);
  return source && Number(source[1]) > 0 ? `${label} of source ${Number(source[1]) + 1}` : label;
}

/** A label inside a sentence: "delivery by", but "URL" and "TDP (W)" stay as they are. */
const inSentence = (label: string) => (/^[A-Z][a-z]/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label);

/** The validator's phrasing, in plain words. */
const PHRASES: [RegExp, string][] = [
  [/must be shorter than or equal to (\d+) characters/, 'must be at most $1 characters'],
  [/must be longer than or equal to (\d+) characters/, 'must be at least $1 characters'],
  [/must not be greater than ([\d.,]+)/, 'must be at most $1'],
  [/must not be less than ([\d.,]+)/, 'must be at least $1'],
  [/must be a UUID/, 'must be chosen from the list'],
  [/should not be empty/, 'is required'],
  [/should not exist/, 'is not a field this form sends'],
  [/\b(?:company|accelerator) [0-9a-f-]{36} does not exist/, 'no longer exists in the catalog (it may have been removed)'],
  [/\bis null\b/, 'is empty'],
  [/^url or title is required$/, 'a URL or a title is required'],
];

/**
 * A server's message about a field, in the words of the page: field names become their labels, the validator's
 * phrasing plain English, and the sentence starts with a capital ("announcedOn must be …" → "Announced on must be …").
 */
export function plainMessage(path: string, message: string): string {
  let text = message.trim();
  for (const [pattern, replacement] of PHRASES) text = text.replace(pattern, replacement);
  const own = lastName(path);
  if (text.startsWith(`${own} `)) text = `${fieldLabel(path)}${text.slice(own.length)}`;
  // Other field names in the sentence ("… not be after deliveryBy"): the camel-case ones are never English words.
  text = text.replace(/\b[a-z]+(?:[A-Z][a-z0-9]*)+\b/g, (name) => (FIELD_LABELS[name] ? inSentence(FIELD_LABELS[name]) : name));
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A field's message where the field is not beside it: "Current password: the current password is wrong". */
export function labelledMessage(path: string, message: string): string {
  const label = fieldLabel(path);
  return message.startsWith(label) ? message : `${label}: ${inSentence(message)}`;
}
