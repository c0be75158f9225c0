import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditTrail, snapshot } from '../contracts/audit.js';
import { bumpLedgerVersion } from '../database/capacity-rollup.js';
import { rethrowUniqueViolation } from '../common/database-errors.js';
import { conflict, invalidField, notFound } from '../common/errors.js';
import { definedFields } from '../common/objects.js';
import { cleanAliases } from '../common/text.js';
import { Accelerator } from './accelerator.entity.js';
import type { CreateAcceleratorDto, UpdateAcceleratorDto } from './dto/accelerator.dto.js';

const UNIQUE_FIELDS = { accelerators_name_unique: 'name' };

@Injectable()
export class AcceleratorsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
  ) {}

  list(): Promise<Accelerator[]> {
    return this.dataSource.createQueryBuilder(Accelerator, 'chip').orderBy('lower(chip.vendor)').addOrderBy('lower(chip.name)').getMany();
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<Accelerator> {
    const accelerator = await manager.findOneBy(Accelerator, { id });
    if (!accelerator) throw notFound('accelerator', id);
    return accelerator;
  }

  /** Creates a chip with its audit entry, inside the caller's transaction when a manager is given. */
  async create(dto: CreateAcceleratorDto, actorId: string | null, manager?: EntityManager): Promise<Accelerator> {
    if (!manager) return this.dataSource.transaction((transaction) => this.create(dto, actorId, transaction));
    const accelerator = manager.create(Accelerator, {
      denseFp32Tflops: null,
      denseBf16Tflops: null,
      denseFp8Tflops: null,
      denseInt8Tops: null,
      memoryGb: null,
      tdpWatts: null,
      releaseYear: null,
      releasePriceUsd: null,
      note: null,
      specSource: null,
      ...definedFields(dto),
      aliases: cleanAliases(dto.aliases, dto.name),
    });
    const saved = await manager.save(accelerator).catch((error: unknown) => rethrowUniqueViolation(error, UNIQUE_FIELDS));
    await this.audit.record(manager, {
      actorId,
      action: 'create',
      entityType: 'accelerator',
      entityId: saved.id,
      before: null,
      after: saved,
    });
    // Chip specs, names, vendors and kinds feed the capacity answers, so every change marks them stale.
    await bumpLedgerVersion(manager);
    return saved;
  }

  /** Needs the version read (body or If-Match); a stale one is a 409 with the current record. */
  update(id: string, dto: UpdateAcceleratorDto, ifMatchVersion: number | undefined, actorId: string | null): Promise<Accelerator> {
    const expectedVersion = dto.version ?? ifMatchVersion;
    if (expectedVersion === undefined) {
      throw invalidField('version', 'version is required (body field or If-Match header) so no edit is lost');
    }
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT id FROM accelerators WHERE id = $1 FOR UPDATE', [id]);
      const accelerator = await this.get(id, manager);
      if (accelerator.version !== expectedVersion) {
        throw conflict(`accelerator ${id} was changed by someone else (version ${accelerator.version}, not ${expectedVersion})`, {
          current: accelerator,
        });
      }
      const before = snapshot(accelerator);
      const { version: _version, ...changes } = definedFields(dto);
      Object.assign(accelerator, changes);
      accelerator.aliases = cleanAliases(accelerator.aliases, accelerator.name);
      const saved = await manager.save(accelerator).catch((error: unknown) => rethrowUniqueViolation(error, UNIQUE_FIELDS));
      await this.audit.record(manager, { actorId, action: 'update', entityType: 'accelerator', entityId: id, before, after: saved });
      await bumpLedgerVersion(manager);
      return saved;
    });
  }

  /** Finds a chip by its name or one of its aliases, ignoring case. */
  findByNameOrAlias(name: string, manager: EntityManager = this.dataSource.manager): Promise<Accelerator | null> {
    return manager
      .createQueryBuilder(Accelerator, 'chip')
      .where('lower(chip.name) = lower(:name)', { name })
      .orWhere('EXISTS (SELECT 1 FROM unnest(chip.aliases) AS alias WHERE lower(alias) = lower(:name))', { name })
      .orderBy('CASE WHEN lower(chip.name) = lower(:name) THEN 0 ELSE 1 END')
      .getOne();
  }
}
