import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import type { DataSource, EntityManager } from 'typeorm';
import type { CommitmentView } from '../commitments/commitment.view.js';
import { CommitmentsService } from '../commitments/commitments.service.js';
import type { CreateCommitmentDto, SourceDto } from '../commitments/dto/commitment.dto.js';
import { ListCommitmentsQuery } from '../commitments/dto/list-commitments.query.js';
import { conflict, DomainError, notFound } from '../common/errors.js';
import { windowQuarters } from '../domain/delivery-window.js';
import { candidateFacts, mayDuplicate, recordFacts } from '../domain/inbox/duplicates.js';
import type { Candidate } from '../domain/extraction/types.js';
import { MAX_EXTRACT_TEXT_LENGTH } from '../extraction/dto/extract.dto.js';
import { ExtractionService } from '../extraction/extraction.service.js';
import type { InboxStatus } from '../domain/vocabulary.js';
import type { AcceptedCandidateDto, AcceptItemDto, ListInboxQuery } from './dto/inbox.dto.js';
import type { InboxItemView, ItemSource, ProposedCandidate, TextFrom } from '../contracts/inbox.js';

export type { InboxItemView, ItemSource, ProposedCandidate } from '../contracts/inbox.js';

/** An item as it has been read, before the extraction: where it comes from and its text. */
export interface ReadItem {
  feedId: string;
  key: string;
  url: string | null;
  title: string | null;
  publishedOn: string;
  language: string | null;
  textFrom: TextFrom;
  text: string;
  readError: string | null;
}

interface ItemRow {
  id: string;
  feed_id: string;
  feed_name: string;
  item_key: string;
  url: string | null;
  title: string | null;
  published_on: string;
  language: string;
  text_from: TextFrom;
  text: string;
  read_error: string | null;
  notice: string | null;
  status: InboxStatus;
  candidates: ProposedCandidate[];
  possible_duplicates: string[];
  merged_into: string | null;
  accepted_ids: string[];
  reviewed_by: string | null;
  reviewed_at: Date | null;
  created_at: Date;
}

const ITEM_COLUMNS = `item.*, feed.name AS feed_name`;
const FROM_ITEMS = `FROM inbox_items item JOIN feeds feed ON feed.id = item.feed_id`;
/** How many waiting proposals a new item is compared with to find the same announcement told elsewhere. */
const MERGE_WINDOW = 500;
/** The longest title and publisher a record's source keeps (the source's limits). */
const SOURCE_TITLE_LENGTH = 500;
const SOURCE_PUBLISHER_LENGTH = 200;

/**
 * The inbox's proposals: an item read from a feed is run through the extraction, its candidates are compared with
 * the stored records and with the proposals still waiting, and it is kept — as a proposal of its own, merged into
 * the waiting proposal of the same announcement, or as `no_candidates`. Accepting saves the analyst's candidates
 * through the commitments service with the item (and the items merged into it) as their sources.
 */
@Injectable()
export class InboxService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly extraction: ExtractionService,
    private readonly commitments: CommitmentsService,
  ) {}

  /** Reads an item's candidates and keeps it; false when the feed had it already (another poll was first). */
  async propose(item: ReadItem): Promise<boolean> {
    const text = item.text.slice(0, MAX_EXTRACT_TEXT_LENGTH);
    const extracted = text.trim()
      ? await this.extraction.extract({ text, publishedOn: item.publishedOn })
      : { language: 'und', notice: 'The item has no text to read', candidates: [] as Candidate[] };
    const candidates: ProposedCandidate[] = [];
    for (const candidate of extracted.candidates) {
      candidates.push({ ...candidate, possibleDuplicates: await this.duplicateRecords(candidate, item.publishedOn) });
    }
    const language = item.language ?? (extracted.language !== 'und' ? extracted.language : 'und');
    const mergedInto = candidates.length > 0 ? await this.sameAnnouncement(candidates, item.publishedOn) : null;
    const status: InboxStatus = candidates.length === 0 ? 'no_candidates' : 'new';
    const rows: { id: string }[] = await this.dataSource.query(
      `INSERT INTO inbox_items (feed_id, item_key, url, title, published_on, language, text_from, text, read_error, notice,
         status, candidates, possible_duplicates, merged_into)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13::jsonb, $14)
       ON CONFLICT (feed_id, item_key) DO NOTHING RETURNING id`,
      [
        item.feedId,
        item.key,
        item.url,
        item.title,
        item.publishedOn,
        language,
        item.textFrom,
        text,
        item.readError,
        extracted.notice,
        status,
        JSON.stringify(candidates),
        JSON.stringify(unique(candidates.flatMap((candidate) => candidate.possibleDuplicates))),
        mergedInto,
      ],
    );
    return rows.length > 0;
  }

  async list(query: ListInboxQuery): Promise<{ items: InboxItemView[]; total: number; page: number; limit: number }> {
    const conditions = ['item.merged_into IS NULL'];
    const parameters: unknown[] = [];
    if (query.status) conditions.push(`item.status = $${parameters.push(query.status)}`);
    if (query.feedId) conditions.push(`item.feed_id = $${parameters.push(query.feedId)}`);
    const where = `WHERE ${conditions.join(' AND ')}`;
    const [rows, [{ total }]]: [ItemRow[], { total: number }[]] = await Promise.all([
      this.dataSource.query(
        `SELECT ${ITEM_COLUMNS} ${FROM_ITEMS} ${where}
         ORDER BY item.published_on DESC, item.created_at DESC, item.id
         LIMIT $${parameters.length + 1} OFFSET $${parameters.length + 2}`,
        [...parameters, query.limit, (query.page - 1) * query.limit],
      ),
      this.dataSource.query(`SELECT count(*)::int AS total ${FROM_ITEMS} ${where}`, parameters),
    ]);
    return { items: await this.views(this.dataSource.manager, rows), total, page: query.page, limit: query.limit };
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<InboxItemView> {
    const [row]: ItemRow[] = await manager.query(`SELECT ${ITEM_COLUMNS} ${FROM_ITEMS} WHERE item.id = $1`, [id]);
    if (!row) throw notFound('Inbox item', id);
    return (await this.views(manager, [row]))[0];
  }

  /**
   * Saves the candidates as the analyst edited them, each with the item and the items merged into it as its
   * sources (the evidence sentence as the quote), and marks them accepted: one transaction, so a refused candidate
   * leaves the item waiting and nothing written.
   */
  accept(id: string, dto: AcceptItemDto, actorId: string | null): Promise<{ item: InboxItemView; commitments: CommitmentView[] }> {
    return this.dataSource.transaction(async (manager) => {
      const item = await this.lockForReview(manager, id);
      if (item.status === 'accepted') throw conflict(`Inbox item ${id} is accepted already`);
      const view = (await this.views(manager, [item]))[0];
      const merged: ItemRow[] = await manager.query(`SELECT ${ITEM_COLUMNS} ${FROM_ITEMS} WHERE item.merged_into = $1`, [id]);
      const ids: string[] = [];
      for (const [index, candidate] of dto.candidates.entries()) {
        const record = recordOf(candidate, view, merged);
        ids.push(
          await this.commitments.createWith(manager, record, actorId).catch((error: unknown) => {
            throw error instanceof DomainError ? inCandidate(error, index) : error;
          }),
        );
      }
      await manager.query(
        `UPDATE inbox_items SET status = 'accepted', accepted_ids = $2::jsonb, reviewed_by = $3, reviewed_at = now()
         WHERE id = $1 OR merged_into = $1`,
        [id, JSON.stringify(ids), actorId],
      );
      const commitments: CommitmentView[] = [];
      for (const recordId of ids) commitments.push(await this.commitments.get(recordId, manager));
      return { item: await this.get(id, manager), commitments };
    });
  }

  /** Takes the item out of the waiting list, with the items merged into it; an accepted item stays accepted. */
  dismiss(id: string, actorId: string | null): Promise<InboxItemView> {
    return this.dataSource.transaction(async (manager) => {
      const item = await this.lockForReview(manager, id);
      if (item.status === 'accepted') throw conflict(`Inbox item ${id} is accepted already: its records are in the ledger`);
      await manager.query(
        `UPDATE inbox_items SET status = 'dismissed', reviewed_by = $2, reviewed_at = now() WHERE id = $1 OR merged_into = $1`,
        [id, actorId],
      );
      return this.get(id, manager);
    });
  }

  private async lockForReview(manager: EntityManager, id: string): Promise<ItemRow> {
    const [row]: ItemRow[] = await manager.query(`SELECT ${ITEM_COLUMNS} ${FROM_ITEMS} WHERE item.id = $1 FOR UPDATE OF item`, [id]);
    if (!row) throw notFound('Inbox item', id);
    if (row.merged_into) {
      throw new DomainError(
        HttpStatus.CONFLICT,
        `Inbox item ${id} tells the same announcement as ${row.merged_into}: review that one`,
        undefined,
        {
          mergedInto: row.merged_into,
        },
      );
    }
    return row;
  }

  /** Live, unsuperseded records of the candidate's company and chip that it may repeat. */
  private async duplicateRecords(candidate: Candidate, publishedOn: string): Promise<string[]> {
    if (!candidate.company?.id) return [];
    const facts = candidateFacts(candidate, publishedOn);
    const { from, to } = windowQuarters(facts.window);
    const query = plainToInstance(ListCommitmentsQuery, {
      companyId: [candidate.company.id],
      ...(candidate.accelerator?.id ? { acceleratorId: [candidate.accelerator.id] } : { kind: [candidate.acceleratorKind] }),
      from,
      to,
      superseded: false,
      limit: 500,
    });
    const page = await this.commitments.list(query);
    return page.items.filter((record) => mayDuplicate(facts, recordFacts(record))).map((record) => record.id);
  }

  /** The waiting proposal (not merged itself) with a candidate that may be one of these, if any. */
  private async sameAnnouncement(candidates: ProposedCandidate[], publishedOn: string): Promise<string | null> {
    const waiting: { id: string; published_on: string; candidates: ProposedCandidate[] }[] = await this.dataSource.query(
      `SELECT id, published_on, candidates FROM inbox_items WHERE status = 'new' AND merged_into IS NULL
       ORDER BY created_at DESC LIMIT $1`,
      [MERGE_WINDOW],
    );
    const mine = candidates.map((candidate) => candidateFacts(candidate, publishedOn));
    const match = waiting.find((other) =>
      other.candidates.some((candidate) => mine.some((facts) => mayDuplicate(facts, candidateFacts(candidate, other.published_on)))),
    );
    return match?.id ?? null;
  }

  private async views(manager: EntityManager, rows: ItemRow[]): Promise<InboxItemView[]> {
    const ids = rows.map((row) => row.id);
    const merged: ItemRow[] = ids.length
      ? await manager.query(`SELECT ${ITEM_COLUMNS} ${FROM_ITEMS} WHERE item.merged_into = ANY($1::uuid[]) ORDER BY item.created_at`, [ids])
      : [];
    return rows.map((row) => ({
      id: row.id,
      feedId: row.feed_id,
      feedName: row.feed_name,
      status: row.status,
      url: row.url,
      title: row.title,
      publishedOn: row.published_on,
      language: row.language,
      textFrom: row.text_from,
      text: row.text,
      readError: row.read_error,
      notice: row.notice,
      candidates: row.candidates,
      possibleDuplicates: row.possible_duplicates,
      sources: [row, ...merged.filter((other) => other.merged_into === row.id)].map(sourceOf),
      acceptedIds: row.accepted_ids,
      reviewedBy: row.reviewed_by,
      reviewedAt: row.reviewed_at,
      createdAt: row.created_at,
    }));
  }
}

function sourceOf(row: ItemRow): ItemSource {
  return {
    itemId: row.id,
    feedId: row.feed_id,
    feedName: row.feed_name,
    url: row.url,
    title: row.title,
    publishedOn: row.published_on,
    language: row.language,
  };
}

/** The record an accepted candidate becomes: announced on the item's date, cited with the item and its siblings. */
function recordOf(candidate: AcceptedCandidateDto, item: InboxItemView, merged: ItemRow[]): CreateCommitmentDto {
  const facts = candidateFacts(
    {
      company: { id: candidate.company.id, name: candidate.company.name ?? '' },
      accelerator: candidate.accelerator ? { id: candidate.accelerator.id, name: candidate.accelerator.name ?? '' } : null,
      acceleratorKind: candidate.acceleratorKind,
      quantity: candidate.quantity ?? null,
      quantityQualifier: candidate.quantityQualifier ?? null,
      amountLow: candidate.amountLow ?? null,
      amountHigh: candidate.amountHigh ?? null,
      deliveryFrom: candidate.deliveryFrom ?? null,
      deliveryBy: candidate.deliveryBy ?? null,
      status: candidate.status,
    },
    item.publishedOn,
  );
  const quote = candidate.quote ?? candidate.evidence?.text.trim() ?? null;
  // Each merged item quotes its own sentence of the same claim, where its extraction found one.
  const siblings = merged.map((row): SourceDto => {
    const same = row.candidates.find((other) => mayDuplicate(facts, candidateFacts(other, row.published_on)));
    return sourceFields(sourceOf(row), same ? same.evidence.text.trim() : null);
  });
  return {
    companyId: candidate.company.id,
    acceleratorId: candidate.accelerator?.id ?? null,
    acceleratorKind: candidate.acceleratorKind,
    quantity: candidate.quantity ?? null,
    quantityQualifier: candidate.quantity ? (candidate.quantityQualifier ?? 'exact') : null,
    amountLow: candidate.amountLow ?? null,
    amountHigh: candidate.amountHigh ?? null,
    announcedOn: item.publishedOn,
    deliveryFrom: candidate.deliveryFrom ?? null,
    deliveryBy: candidate.deliveryBy ?? null,
    status: candidate.status,
    certainty: candidate.certainty ?? 'likely',
    supersedesId: candidate.supersedesId ?? null,
    notes: candidate.notes ?? null,
    sources: [sourceFields(item.sources[0], quote), ...siblings].slice(0, 5),
  };
}

function sourceFields(source: ItemSource, quote: string | null): SourceDto {
  return {
    url: source.url,
    title: source.title?.slice(0, SOURCE_TITLE_LENGTH) ?? (source.url ? null : source.feedName.slice(0, SOURCE_TITLE_LENGTH)),
    publisher: source.feedName.slice(0, SOURCE_PUBLISHER_LENGTH),
    publishedOn: source.publishedOn,
    language: source.language === 'und' ? null : source.language,
    quote: quote?.slice(0, 5000) || null,
  };
}

/** A refusal of one candidate's record names it as the request does: `candidates[1].companyId`. */
function inCandidate(error: DomainError, index: number): DomainError {
  const prefix = `candidates[${index}]`;
  const details = Array.isArray(error.details)
    ? error.details.map((detail) => ({ ...detail, field: `${prefix}.${detail.field}` }))
    : [{ field: prefix, messages: [error.message] }];
  return new DomainError(error.status, `${prefix}.${error.message}`, details, error.bodyFields);
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
