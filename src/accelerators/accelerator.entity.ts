import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { ACCELERATOR_KINDS, type AcceleratorKind } from '../domain/vocabulary.js';

@Entity({ name: 'accelerators' })
export class Accelerator {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  vendor: string;

  @Column({ type: 'enum', enum: ACCELERATOR_KINDS, enumName: 'accelerator_kind' })
  kind: AcceleratorKind;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  aliases: string[];

  @Column({ name: 'dense_fp32_tflops', type: 'double precision', nullable: true })
  denseFp32Tflops: number | null;

  @Column({ name: 'dense_bf16_tflops', type: 'double precision', nullable: true })
  denseBf16Tflops: number | null;

  @Column({ name: 'dense_fp8_tflops', type: 'double precision', nullable: true })
  denseFp8Tflops: number | null;

  @Column({ name: 'dense_int8_tops', type: 'double precision', nullable: true })
  denseInt8Tops: number | null;

  @Column({ name: 'memory_gb', type: 'double precision', nullable: true })
  memoryGb: number | null;

  @Column({ name: 'tdp_watts', type: 'double precision', nullable: true })
  tdpWatts: number | null;

  @Column({ name: 'release_year', type: 'integer', nullable: true })
  releaseYear: number | null;

  @Column({ name: 'release_price_usd', type: 'double precision', nullable: true })
  releasePriceUsd: number | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ name: 'spec_source', type: 'text', nullable: true })
  specSource: string | null;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
