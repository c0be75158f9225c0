import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditTrail, snapshot } from '../contracts/audit.js';
import { bumpLedgerVersion } from '../database/capacity-rollup.js';
import { rethrowUniqueViolation } from '../common/database-errors.js';
import { conflict, invalidField, notFound } from '../common/errors.js';
import { definedFields } from '../common/objects.js';
import { cleanAliases } from '../common/text.js';
import { Company } from './company.entity.js';
import type { CreateCompanyDto, UpdateCompanyDto } from './dto/company.dto.js';

const UNIQUE_FIELDS = { companies_name_unique: 'name' };

@Injectable()
export class CompaniesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
  ) {}

  list(): Promise<Company[]> {
    return this.dataSource.createQueryBuilder(Company, 'company').orderBy('lower(company.name)').getMany();
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<Company> {
    const company = await manager.findOneBy(Company, { id });
    if (!company) throw notFound('company', id);
    return company;
  }

  /** Creates a company with its audit entry, inside the caller's transaction when a manager is given. */
  async create(
    dto: CreateCompanyDto,
    actorId: string | null,
    manager?: EntityManager,
    action: 'create' | 'import' = 'create',
  ): Promise<Company> {
    if (!manager) return this.dataSource.transaction((transaction) => this.create(dto, actorId, transaction, action));
    const company = manager.create(Company, {
      name: dto.name,
      aliases: cleanAliases(dto.aliases, dto.name),
      country: dto.country ?? null,
      kind: dto.kind ?? 'other',
    });
    const saved = await manager.save(company).catch((error: unknown) => rethrowUniqueViolation(error, UNIQUE_FIELDS));
    await this.audit.record(manager, { actorId, action, entityType: 'company', entityId: saved.id, before: null, after: saved });
    return saved;
  }

  /** Needs the version read (body or If-Match); a stale one is a 409 with the current record. */
  update(id: string, dto: UpdateCompanyDto, ifMatchVersion: number | undefined, actorId: string | null): Promise<Company> {
    const expectedVersion = dto.version ?? ifMatchVersion;
    if (expectedVersion === undefined) {
      throw invalidField('version', 'version is required (body field or If-Match header) so no edit is lost');
    }
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT id FROM companies WHERE id = $1 FOR UPDATE', [id]);
      const company = await this.get(id, manager);
      if (company.version !== expectedVersion) {
        throw conflict(`company ${id} was changed by someone else (version ${company.version}, not ${expectedVersion})`, {
          current: company,
        });
      }
      const before = snapshot(company);
      const { version: _version, ...changes } = definedFields(dto);
      Object.assign(company, changes);
      company.aliases = cleanAliases(company.aliases, company.name);
      const saved = await manager.save(company).catch((error: unknown) => rethrowUniqueViolation(error, UNIQUE_FIELDS));
      await this.audit.record(manager, { actorId, action: 'update', entityType: 'company', entityId: id, before, after: saved });
      // Company names label the capacity series, so a change marks the cached answers stale.
      await bumpLedgerVersion(manager);
      return saved;
    });
  }

  /** Finds a company by its name or one of its aliases, ignoring case. */
  findByNameOrAlias(name: string, manager: EntityManager = this.dataSource.manager): Promise<Company | null> {
    return manager
      .createQueryBuilder(Company, 'company')
      .where('lower(company.name) = lower(:name)', { name })
      .orWhere('EXISTS (SELECT 1 FROM unnest(company.aliases) AS alias WHERE lower(alias) = lower(:name))', { name })
      .orderBy('CASE WHEN lower(company.name) = lower(:name) THEN 0 ELSE 1 END')
      .getOne();
  }
}
