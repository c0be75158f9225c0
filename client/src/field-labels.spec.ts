import { describe, expect, it } from 'vitest';
import { fieldLabel, labelledMessage, plainMessage } from './field-labels';

describe('field names in plain words', () => {
  it('labels a field by its path, numbering sources after the first', () => {
    expect(fieldLabel('announcedOn')).toBe('Announced on');
    expect(fieldLabel('sources[0].url')).toBe('URL');
    expect(fieldLabel('sources[2].publishedOn')).toBe('Published on of source 3');
    expect(fieldLabel('items[1].sources[0].title')).toBe('Title');
    expect(fieldLabel('somethingNew')).toBe('somethingNew');
  });

  it('rewrites the server’s messages with labels and plain phrasing', () => {
    expect(plainMessage('announcedOn', 'announcedOn must be a date written YYYY-MM-DD between 1990 and 2100')).toBe(
      'Announced on must be a date written YYYY-MM-DD between 1990 and 2100',
    );
    expect(plainMessage('sources[0].title', 'title must be shorter than or equal to 500 characters')).toBe(
      'Title must be at most 500 characters',
    );
    expect(plainMessage('deliveryFrom', 'deliveryFrom must not be after deliveryBy')).toBe('Delivery from must not be after delivery by');
    expect(plainMessage('acceleratorKind', 'acceleratorKind must be gpu or custom (required when acceleratorId is null)')).toBe(
      'Chip kind must be gpu or custom (required when chip is empty)',
    );
    expect(plainMessage('companyId', 'companyId must be a UUID')).toBe('Company must be chosen from the list');
    expect(plainMessage('companyId', 'company 0b8a1f6e-8c0e-4a43-9d7e-3f1c2b4a5d6e does not exist')).toBe(
      'No longer exists in the catalog (it may have been removed)',
    );
    expect(plainMessage('sources[0].url', 'url or title is required')).toBe('A URL or a title is required');
    expect(plainMessage('name', 'name must be unique')).toBe('Name must be unique');
    expect(plainMessage('tdpWatts', 'must be a positive number')).toBe('Must be a positive number');
  });

  it('names the field before a message shown away from it', () => {
    expect(labelledMessage('currentPassword', 'The current password is wrong')).toBe('Current password: the current password is wrong');
    expect(labelledMessage('sources[1].url', 'URL of source 2 must be an http(s) URL')).toBe('URL of source 2 must be an http(s) URL');
    expect(labelledMessage('sources[0].url', 'URL must be an http(s) URL')).toBe('URL must be an http(s) URL');
  });
});
