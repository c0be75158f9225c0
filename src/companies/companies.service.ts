import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { bumpLedgerVersion } from '../capacity/capacity-rollup.js';
import { rethrowUniqueViolation } from '../common/database-errors.js';
import { conflict, notFound } from '../common/errors.js';
import { definedFields } from '../common/objects.js';
import { cleanAliases } from '../common/text.js';
import { Company } from './company.entity.js';
import type { CreateCompanyDto, UpdateCompanyDto } from './dto/company.dto.js';

const UNIQUE_FIELDS = { companies_name_unique: 'name' };

@Injectable()
export class CompaniesService {
  constructor(@InjectRepository(Company) private readonly companies: Repository<Company>) {}

  list(): Promise<Company[]> {
    return this.companies.createQueryBuilder('company').orderBy('lower(company.name)').getMany();
  }

  async get(id: string): Promise<Company> {
    const company = await this.companies.findOneBy({ id });
    if (!company) throw notFound('company', id);
    return company;
  }

  async create(dto: CreateCompanyDto, manager: EntityManager = this.companies.manager): Promise<Company> {
    const company = manager.create(Company, {
      name: dto.name,
      aliases: cleanAliases(dto.aliases, dto.name),
      country: dto.country ?? null,
      kind: dto.kind ?? 'other',
    });
    return manager.save(company).catch((error: unknown) => rethrowUniqueViolation(error, UNIQUE_FIELDS));
  }

  async update(id: string, dto: UpdateCompanyDto): Promise<Company> {
    const company = await this.get(id);
    if (dto.version !== undefined && dto.version !== company.version) {
      throw conflict(`company ${id} was changed by someone else (version ${company.version}, not ${dto.version})`, { current: company });
    }
    const { version: _version, ...changes } = definedFields(dto);
    Object.assign(company, changes);
    company.aliases = cleanAliases(company.aliases, company.name);
    // Company names label the capacity series, so a change marks the cached answers stale.
    return this.companies.manager.transaction(async (manager) => {
      const saved = await manager.save(company).catch((error: unknown) => rethrowUniqueViolation(error, UNIQUE_FIELDS));
      await bumpLedgerVersion(manager);
      return saved;
    });
  }

  /** Finds a company by its name or one of its aliases, ignoring case. */
  findByNameOrAlias(name: string, manager: EntityManager = this.companies.manager): Promise<Company | null> {
    return manager
      .createQueryBuilder(Company, 'company')
      .where('lower(company.name) = lower(:name)', { name })
      .orWhere('EXISTS (SELECT 1 FROM unnest(company.aliases) AS alias WHERE lower(alias) = lower(:name))', { name })
      .orderBy('CASE WHEN lower(company.name) = lower(:name) THEN 0 ELSE 1 END')
      .getOne();
  }
}
