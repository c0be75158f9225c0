import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUrl, Length } from 'class-validator';
import { Trim } from '../../common/text.js';

export class CreateFeedDto {
  @ApiProperty({ example: 'https://news.example.com/technology/rss.xml', description: 'An RSS or Atom feed, http or https' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'url must be an http(s) URL' })
  @Length(1, 2000)
  url: string;

  @ApiProperty({
    example: 'Example Wire: technology',
    description: 'Shown in the inbox, and as the publisher of the records accepted from it',
  })
  @Trim()
  @IsString()
  @Length(1, 200, { message: 'name must be 1 to 200 characters' })
  name: string;
}
