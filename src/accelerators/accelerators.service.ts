import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { bumpLedgerVersion } from '../capacity/capacity-rollup.js';
import { rethrowUniqueViolation } from '../common/database-errors.js';
import { conflict, notFound } from '../common/errors.js';
import { definedFields } from '../common/objects.js';
import { cleanAliases } from '../common/text.js';
import { Accelerator } from './accelerator.entity.js';
import type { CreateAcceleratorDto, UpdateAcceleratorDto } from './dto/accelerator.dto.js';

const UNIQUE_FIELDS = { accelerators_name_unique: 'name' };

@Injectable()
export class AcceleratorsService {
  constructor(@InjectRepository(Accelerator) private readonly accelerators: Repository<Accelerator>) {}

  list(): Promise<Accelerator[]> {
    return this.accelerators.createQueryBuilder('chip').orderBy('lower(chip.vendor)').addOrderBy('lower(chip.name)').getMany();
  }

  async get(id: string): Promise<Accelerator> {
    const accelerator = await this.accelerators.findOneBy({ id });
    if (!accelerator) throw notFound('accelerator', id);
    return accelerator;
  }

  /** Chip specs, names, vendors and kinds feed the capacity answers, so every change marks them stale. */
  async create(dto: CreateAcceleratorDto, manager?: EntityManager): Promise<Accelerator> {
    if (!manager) return this.accelerators.manager.transaction((own) => this.create(dto, own));
    const accelerator = manager.create(Accelerator, {
      denseBf16Tflops: null,
      denseFp8Tflops: null,
      memoryGb: null,
      tdpWatts: null,
      releaseYear: null,
      note: null,
      specSource: null,
      ...definedFields(dto),
      aliases: cleanAliases(dto.aliases, dto.name),
    });
    const saved = await manager.save(accelerator).catch((error: unknown) => rethrowUniqueViolation(error, UNIQUE_FIELDS));
    await bumpLedgerVersion(manager);
    return saved;
  }

  async update(id: string, dto: UpdateAcceleratorDto): Promise<Accelerator> {
    const accelerator = await this.get(id);
    if (dto.version !== undefined && dto.version !== accelerator.version) {
      throw conflict(`accelerator ${id} was changed by someone else (version ${accelerator.version}, not ${dto.version})`, {
        current: accelerator,
      });
    }
    const { version: _version, ...changes } = definedFields(dto);
    Object.assign(accelerator, changes);
    accelerator.aliases = cleanAliases(accelerator.aliases, accelerator.name);
    return this.accelerators.manager.transaction(async (manager) => {
      const saved = await manager.save(accelerator).catch((error: unknown) => rethrowUniqueViolation(error, UNIQUE_FIELDS));
      await bumpLedgerVersion(manager);
      return saved;
    });
  }

  /** Finds a chip by its name or one of its aliases, ignoring case. */
  findByNameOrAlias(name: string, manager: EntityManager = this.accelerators.manager): Promise<Accelerator | null> {
    return manager
      .createQueryBuilder(Accelerator, 'chip')
      .where('lower(chip.name) = lower(:name)', { name })
      .orWhere('EXISTS (SELECT 1 FROM unnest(chip.aliases) AS alias WHERE lower(alias) = lower(:name))', { name })
      .orderBy('CASE WHEN lower(chip.name) = lower(:name) THEN 0 ELSE 1 END')
      .getOne();
  }
}
