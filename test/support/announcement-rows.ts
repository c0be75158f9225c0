import { readFileSync } from 'node:fs';
import { projectPath } from '../../src/common/project-root.js';

/** The demo announcements file, and its header: the columns an import takes. */
export const DEMO_ANNOUNCEMENTS = readFileSync(projectPath('src/seed/announcements.csv'), 'utf8');
export const ANNOUNCEMENTS_HEADER = DEMO_ANNOUNCEMENTS.split('\n')[0];

/** A row in the demo columns from a few fields, the rest empty, quoted where CSV needs it. */
export function announcementRow(fields: Partial<Record<string, string>>): string {
  return ANNOUNCEMENTS_HEADER.split(',')
    .map((column) => {
      const value = fields[column] ?? '';
      return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
    })
    .join(',');
}
