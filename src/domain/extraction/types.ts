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
  /** The range the text gives for the quantity ("between 300,000 and 400,000"): `amountLow ≤ quantity ≤ amountHigh`. */
  amountLow: number | null;
  amountHigh: number | null;
  deliveryFrom: Quarter | null;
  deliveryBy: Quarter | null;
  status: CommitmentStatus;
  evidence: Span;
}

export interface ExtractionResult {
  /** The language given, else the one detected; `und` where it cannot be told. */
  language: string;
  /** True where the text is in a language the extraction cannot read: then `candidates` is empty and `notice` says why. */
  unsupported: boolean;
  /** A sentence for the analyst about the answer as a whole; null when there is nothing to say. */
  notice: string | null;
  candidates: Candidate[];
}
