/** What an import answers: the counts, and the problems it found by line. */
export interface ImportError {
  /** The line of the file the row starts on; the header is line 1. */
  line: number;
  /** The column (or `row` for the row as a whole). */
  field: string;
  message: string;
  value?: string;
}

export interface ImportReport {
  /** Data rows in the file. */
  rows: number;
  /** Rows without an error. */
  valid: number;
  /** What the import did (or, in a dry run, would do); all 0 when the file has errors, since nothing is written. */
  created: number;
  updated: number;
  unchanged: number;
  /** The problems, by line; the first MAX_LISTED_ERRORS of them when there are more (then `errorCount` says how many). */
  errors: ImportError[];
  errorCount?: number;
  /** In a dry run: the stored records rows may repeat (the first MAX_LISTED_ERRORS, by line). */
  warnings?: { line: number; type: 'possible_duplicate'; of: string }[];
}
