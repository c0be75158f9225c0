import {
  Column,
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
import {
  ACCELERATOR_KINDS,
  type AcceleratorKind,
  CERTAINTIES,
  type Certainty,
  COMMITMENT_STATUSES,
  type CommitmentStatus,
  QUANTITY_QUALIFIERS,
  type QuantityQualifier,
} from '../domain/vocabulary.js';
import { CommitmentSource } from './commitment-source.entity.js';

@Entity({ name: 'commitments' })
export class Commitment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** External key from an import file, so importing the same file twice creates nothing new. */
  @Column({ name: 'external_key', type: 'text', nullable: true })
  key: string | null;

  @Column({ name: 'company_id', type: 'uuid' })
  companyId: string;

  @ManyToOne(() => Company, { nullable: false })
  @JoinColumn({ name: 'company_id' })
  company: Relation<Company>;

  @Column({ name: 'accelerator_id', type: 'uuid', nullable: true })
  acceleratorId: string | null;

  @ManyToOne(() => Accelerator, { nullable: true })
  @JoinColumn({ name: 'accelerator_id' })
  accelerator: Relation<Accelerator> | null;

  @Column({ name: 'accelerator_kind', type: 'enum', enum: ACCELERATOR_KINDS, enumName: 'accelerator_kind' })
  acceleratorKind: AcceleratorKind;

  @Column({ type: 'integer', nullable: true })
  quantity: number | null;

  @Column({
    name: 'quantity_qualifier',
    type: 'enum',
    enum: QUANTITY_QUALIFIERS,
    enumName: 'quantity_qualifier',
    nullable: true,
  })
  quantityQualifier: QuantityQualifier | null;

  @Column({ name: 'stated_h100e', type: 'double precision', nullable: true })
  statedH100e: number | null;

  @Column({ name: 'stated_power_mw', type: 'double precision', nullable: true })
  statedPowerMw: number | null;

  @Column({ name: 'announced_on', type: 'date' })
  announcedOn: string;

  @Column({ name: 'delivery_from', type: 'text', nullable: true })
  deliveryFrom: string | null;

  @Column({ name: 'delivery_by', type: 'text', nullable: true })
  deliveryBy: string | null;

  /** The effective delivery window (defaults applied) as quarter indexes, kept by the service on every write. */
  @Column({ name: 'window_first_quarter', type: 'integer' })
  windowFirstQuarter: number;

  @Column({ name: 'window_last_quarter', type: 'integer' })
  windowLastQuarter: number;

  @Column({ type: 'enum', enum: COMMITMENT_STATUSES, enumName: 'commitment_status' })
  status: CommitmentStatus;

  @Column({ type: 'enum', enum: CERTAINTIES, enumName: 'certainty' })
  certainty: Certainty;

  @Column({ name: 'supersedes_id', type: 'uuid', nullable: true })
  supersedesId: string | null;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

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
