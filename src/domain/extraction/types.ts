import type { AcceleratorKind, CommitmentStatus, QuantityQualifier } from '../vocabulary.js';
import type { Quarter } from '../quarter.js';

/** A company of the catalog as extraction sees it: plain data, no entity. */
export interface CatalogCompany {
  id: string;
  name: string;
  aliases: readonly string[];
}

/** A chip of the catalog as extraction sees it. */
export interface CatalogAccelerator {
  id: string;
  name: string;
  vendor: string;
  kind: AcceleratorKind;
  aliases: readonly string[];
}

export interface ExtractionCatalog {
  companies: readonly CatalogCompany[];
  accelerators: readonly CatalogAccelerator[];
}

export interface ExtractionInput {
  text: string;
  /** The article's publication date, `YYYY-MM-DD`: relative dates ("this year") are read from it. */
  publishedOn: string;
  /** Overrides the detected language. */
  language?: string;
}

/** A part of the original text: `text === original.slice(start, end)`. */
export interface Span {
  text: string;
  start: number;
  end: number;
}

/** A name found in the text, with the catalog id where it matched (null = not in the catalog yet). */
export interface NamedRef {
  id: string | null;
  name: string;
}

export interface Candidate {
  company: NamedRef | null;
  accelerator: NamedRef | null;
  acceleratorKind: AcceleratorKind;
  quantity: number | null;
  quantityQualifier: QuantityQualifier | null;
  deliveryFrom: Quarter | null;
  deliveryBy: Quarter | null;
  status: CommitmentStatus;
  evidence: Span;
}

export interface ExtractionResult {
  language: string;
  candidates: Candidate[];
}
