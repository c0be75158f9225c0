import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CommitmentView } from './commitment.view.js';

import type { CommitmentChangeKind } from '../contracts/watches.js';

export type { CommitmentChangeKind };

/** One change of one commitment, as the writer made it. */
export interface CommitmentEvent {
  commitmentId: string;
  change: CommitmentChangeKind;
  /** The record's view after the change (before it, for a deletion); null where the writer did not load it. */
  view: CommitmentView | null;
}

/** Called by the writer with the changes of each write, in the write's transaction (`manager`), before it commits. */
export interface CommitmentEventListener {
  /** Whether the listener wants events now (a cheap check, so a large import need not list its records for nobody). */
  following(manager: EntityManager): Promise<boolean>;
  commitmentsChanged(manager: EntityManager, events: readonly CommitmentEvent[]): Promise<void>;
}

/**
 * The changes every write makes, handed to the modules that follow them (webhooks, watches) inside the write's
 * transaction, so what they queue commits or rolls back with the write. Listeners register themselves; the writer
 * knows none of them.
 */
@Injectable()
export class CommitmentEvents {
  private readonly listeners: CommitmentEventListener[] = [];

  listen(listener: CommitmentEventListener): void {
    this.listeners.push(listener);
  }

  /** Whether any listener wants events now. */
  async followed(manager: EntityManager): Promise<boolean> {
    for (const listener of this.listeners) if (await listener.following(manager)) return true;
    return false;
  }

  async emit(manager: EntityManager, events: readonly CommitmentEvent[]): Promise<void> {
    if (events.length === 0) return;
    for (const listener of this.listeners) await listener.commitmentsChanged(manager, events);
  }
}
