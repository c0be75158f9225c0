/** A record as far as supersession is concerned: which record it revises, and whether it is deleted. */
export interface Revision {
  id: string;
  supersedesId: string | null;
  deleted: boolean;
}

/**
 * The records that no longer count because a newer one revises them: every record that a non-deleted record
 * names in `supersedesId`. Along a chain A ← B ← C only C is left; deleting C brings B back (B is then the
 * newest); a deleted record supersedes nothing, whatever it revised.
 */
export function supersededIds(revisions: Iterable<Revision>): Set<string> {
  const superseded = new Set<string>();
  for (const revision of revisions) {
    if (revision.supersedesId !== null && !revision.deleted) superseded.add(revision.supersedesId);
  }
  return superseded;
}
