import {
  Column,
  type ColumnOptions,
  CreateDateColumn,
  DeleteDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  type Relation,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { Accelerator } from '../accelerators/accelerator.entity.js';
import { Company } from '../companies/company.entity.js';
import { type CommitmentField, columnOptions } from '../domain/commitment-fields.js';
import type { AcceleratorKind, Certainty, CommitmentStatus, QuantityQualifier } from '../domain/vocabulary.js';
import { CommitmentSource } from './commitment-source.entity.js';

/** A column as the declaration gives it (the types there are PostgreSQL's, which TypeORM takes as they are). */
const column = (field: CommitmentField) => columnOptions(field) as ColumnOptions;

/** The columns come from the one declaration of a commitment's fields (`src/domain/commitment-fields.ts`). */
@Entity({ name: 'commitments' })
export class Commitment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** External key from an import file, so importing the same file twice creates nothing new. */
  @Column(column('key'))
  key: string | null;

  @Column(column('companyId'))
  companyId: string;

  @ManyToOne(() => Company, { nullable: false })
  @JoinColumn({ name: 'company_id' })
  company: Relation<Company>;

  @Column(column('acceleratorId'))
  acceleratorId: string | null;

  @ManyToOne(() => Accelerator, { nullable: true })
  @JoinColumn({ name: 'accelerator_id' })
  accelerator: Relation<Accelerator> | null;

  @Column(column('acceleratorKind'))
  acceleratorKind: AcceleratorKind;

  @Column(column('quantity'))
  quantity: number | null;

  @Column(column('quantityQualifier'))
  quantityQualifier: QuantityQualifier | null;

  @Column(column('statedH100e'))
  statedH100e: number | null;

  @Column(column('statedPowerMw'))
  statedPowerMw: number | null;

  /** The range of the primary amount (quantity, else statedH100e, else statedPowerMw), in that amount's unit. */
  @Column(column('amountLow'))
  amountLow: number | null;

  @Column(column('amountHigh'))
  amountHigh: number | null;

  @Column(column('announcedOn'))
  announcedOn: string;

  @Column(column('deliveryFrom'))
  deliveryFrom: string | null;

  @Column(column('deliveryBy'))
  deliveryBy: string | null;

  /** The effective delivery window (defaults applied) as quarter indexes, kept by the writer on every write. */
  @Column(column('windowFirstQuarter'))
  windowFirstQuarter: number;

  @Column(column('windowLastQuarter'))
  windowLastQuarter: number;

  @Column(column('status'))
  status: CommitmentStatus;

  @Column(column('certainty'))
  certainty: Certainty;

  @Column(column('supersedesId'))
  supersedesId: string | null;

  @Column(column('notes'))
  notes: string | null;

  /** The company that owns and runs the chips, when the record's company uses them through it (never the same). */
  @Column(column('hostCompanyId'))
  hostCompanyId: string | null;

  @ManyToOne(() => Company, { nullable: true })
  @JoinColumn({ name: 'host_company_id' })
  hostCompany?: Relation<Company> | null;

  /** The record whose chips include this record's (one level: a whole is never a part). */
  @Column(column('partOfId'))
  partOfId: string | null;

  /** ISO 3166 alpha-2 of where the chips are deployed; null when unknown. */
  @Column(column('siteCountry'))
  siteCountry: string | null;

  @OneToMany(() => CommitmentSource, (source) => source.commitment, { cascade: true })
  sources: Relation<CommitmentSource>[];

  @VersionColumn()
  version: number;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @DeleteDateColumn({ name: 'deleted_at', type: 'timestamptz' })
  deletedAt: Date | null;
}
