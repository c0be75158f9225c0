import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The range of a commitment's primary amount (its quantity, else its stated H100e, else its stated power), in that
 * amount's unit: `amount_low ≤ amount ≤ amount_high`. The rule against the amount is the writer's (it names the field);
 * the table keeps what holds on its own.
 */
export class AddAmountRange1796201000000 implements MigrationInterface {
  name = 'AddAmountRange1796201000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE commitments
        ADD COLUMN amount_low double precision CHECK (amount_low >= 0),
        ADD COLUMN amount_high double precision CHECK (amount_high > 0),
        ADD CONSTRAINT commitments_amount_range_ordered CHECK (amount_low <= amount_high)
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE commitments
        DROP CONSTRAINT commitments_amount_range_ordered,
        DROP COLUMN amount_high,
        DROP COLUMN amount_low
    `);
  }
}
