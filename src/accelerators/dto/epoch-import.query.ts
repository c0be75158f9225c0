import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { QueryBoolean } from '../../common/decorators.js';

export class EpochImportQuery {
  @ApiPropertyOptional({ default: false, description: 'true: check the file and report what would change, write nothing' })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean({ message: 'dryRun must be true or false' })
  dryRun = false;
}
