/**
 * The columns of an announcements CSV (import and export), in order. Only `REQUIRED_COLUMNS` must be present; the
 * demo file has all but `source_quote`.
 */
export const ANNOUNCEMENT_COLUMNS = [
  'key',
  'company',
  'company_kind',
  'country',
  'accelerator',
  'accelerator_kind',
  'quantity',
  'quantity_qualifier',
  'stated_h100e',
  'stated_power_mw',
  'announced_on',
  'delivery_from',
  'delivery_by',
  'status',
  'certainty',
  'supersedes',
  'source_url',
  'source_title',
  'source_publisher',
  'source_published_on',
  'source_language',
  'notes',
  'source_quote',
] as const;

export type AnnouncementColumn = (typeof ANNOUNCEMENT_COLUMNS)[number];
export type AnnouncementRow = Record<AnnouncementColumn, string>;

export const REQUIRED_COLUMNS: readonly AnnouncementColumn[] = ['company', 'announced_on', 'status'];

/** Which CSV column holds each field of a commitment, so validation errors name the column the analyst sees. */
export const COLUMN_OF_FIELD: Record<string, AnnouncementColumn> = {
  key: 'key',
  companyId: 'company',
  acceleratorId: 'accelerator',
  acceleratorKind: 'accelerator_kind',
  quantity: 'quantity',
  quantityQualifier: 'quantity_qualifier',
  statedH100e: 'stated_h100e',
  statedPowerMw: 'stated_power_mw',
  announcedOn: 'announced_on',
  deliveryFrom: 'delivery_from',
  deliveryBy: 'delivery_by',
  status: 'status',
  certainty: 'certainty',
  supersedesId: 'supersedes',
  'sources[0].url': 'source_url',
  'sources[0].title': 'source_title',
  'sources[0].publisher': 'source_publisher',
  'sources[0].publishedOn': 'source_published_on',
  'sources[0].language': 'source_language',
  'sources[0].quote': 'source_quote',
  sources: 'source_title',
  notes: 'notes',
};
