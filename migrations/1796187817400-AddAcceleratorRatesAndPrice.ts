import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Dense FP32 and INT8 rates beside BF16 and FP8 (for precision `max`), and the chip's release price. */
export class AddAcceleratorRatesAndPrice1796187817400 implements MigrationInterface {
  name = 'AddAcceleratorRatesAndPrice1796187817400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE accelerators
        ADD COLUMN dense_fp32_tflops double precision CHECK (dense_fp32_tflops > 0),
        ADD COLUMN dense_int8_tops double precision CHECK (dense_int8_tops > 0),
        ADD COLUMN release_price_usd double precision CHECK (release_price_usd > 0)
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE accelerators
        DROP COLUMN release_price_usd,
        DROP COLUMN dense_int8_tops,
        DROP COLUMN dense_fp32_tflops
    `);
  }
}
