import { describe, expect, it } from 'vitest';
import { findChipMentions, findCompanyMentions, findUnknownCompanies } from './catalog-matching.js';
import type { CatalogAccelerator, CatalogCompany } from './types.js';

const companies: CatalogCompany[] = [
  { id: 'naver', name: 'Naver', aliases: ['네이버'] },
  { id: 'samsung', name: 'Samsung Electronics', aliases: ['삼성전자'] },
  { id: 'softbank', name: 'SoftBank', aliases: ['ソフトバンク'] },
  { id: 'microsoft', name: 'Microsoft', aliases: ['マイクロソフト'] },
  { id: 'fujitsu', name: 'Fujitsu', aliases: ['富士通'] },
];
const accelerators: CatalogAccelerator[] = [
  { id: 'h100', name: 'H100 SXM', vendor: 'Nvidia', kind: 'gpu', aliases: ['H100', 'H100 SXM5'] },
  { id: 'gb200', name: 'GB200', vendor: 'Nvidia', kind: 'gpu', aliases: ['GB200 NVL72', 'Grace Blackwell'] },
  { id: 'maia', name: 'Maia 100', vendor: 'Microsoft', kind: 'custom', aliases: ['Maia'] },
  { id: 'mtia', name: 'MTIA v2', vendor: 'Meta', kind: 'custom', aliases: ['MTIA'] },
  { id: 'trn2', name: 'Trainium2', vendor: 'AWS', kind: 'custom', aliases: ['Trainium 2'] },
];

/** The catalog companies named in a text, by id, with the text each mention covers. */
const known = (text: string) =>
  findCompanyMentions(text, companies)
    .filter((mention) => mention.company !== null)
    .map((mention) => [mention.company!.id, text.slice(mention.start, mention.end)]);
const unknown = (text: string) =>
  findUnknownCompanies(text, (name) => companies.some((company) => [company.name, ...company.aliases].includes(name))).map(
    (mention) => mention.unknownName,
  );
/** The chips named in a text (generic words such as "GPUs" left out). */
const chips = (text: string) =>
  findChipMentions(text, accelerators)
    .filter((mention) => mention.type !== 'gpu_generic')
    .map((mention) => ({
      text: text.slice(mention.start, mention.end),
      name: mention.name,
      id: mention.accelerator?.id ?? null,
    }));

describe('findCompanyMentions in scripts written without spaces', () => {
  it('matches a Korean alias followed by a particle, without taking the particle', () => {
    expect(known('네이버는 H100을 샀다')).toEqual([['naver', '네이버']]);
    expect(known('삼성전자가 도입한다')).toEqual([['samsung', '삼성전자']]);
    expect(known('네이버로부터 받았다')).toEqual([['naver', '네이버']]);
    expect(known('삼성전자와 네이버의 계약')).toEqual([
      ['samsung', '삼성전자'],
      ['naver', '네이버'],
    ]);
    expect(known('(네이버)')).toEqual([['naver', '네이버']]);
  });

  it('does not take the start of a longer Korean word for the name', () => {
    expect(known('네이버클라우드는 GPU를 늘린다')).toEqual([]);
    expect(known('신네이버는')).toEqual([]);
  });

  it('ends a katakana name where katakana ends and a kanji name where kanji ends', () => {
    expect(known('ソフトバンクは導入する')).toEqual([['softbank', 'ソフトバンク']]);
    expect(known('ソフトバンクグループは導入する')).toEqual([]);
    expect(known('米マイクロソフトが発表')).toEqual([['microsoft', 'マイクロソフト']]);
    expect(known('富士通は')).toEqual([['fujitsu', '富士通']]);
    expect(known('富士通研究所は')).toEqual([]);
  });
});

describe('findUnknownCompanies before a topic or subject particle', () => {
  it('proposes a Hangul, kana or kanji name the catalog lacks', () => {
    expect(unknown('카카오는 H100 2천 장을 확보했다.')).toEqual(['카카오']);
    expect(unknown('네이버클라우드는 내년에 도입한다.')).toEqual(['네이버클라우드']);
    expect(unknown('KT클라우드가 B200을 들여온다.')).toEqual(['KT클라우드']);
    expect(unknown('Upstage는 H100을 도입했다.')).toEqual(['Upstage']);
    expect(unknown('올해 카카오는 GPU를 샀다.')).toEqual(['카카오']);
    expect(unknown('楽天グループはH100を導入した。')).toEqual(['楽天グループ']);
    expect(unknown('2025年3月、ハイレゾがH200を導入する。')).toEqual(['ハイレゾ']);
    expect(unknown('米オラクルはH100を導入した。')).toEqual(['オラクル']);
  });

  it('leaves out time words, the government, verb forms, chip makers and names the catalog has', () => {
    expect(unknown('올해는 GPU가 부족하다.')).toEqual([]);
    expect(unknown('정부는 GPU 1만 장을 확보한다.')).toEqual([]);
    expect(unknown('도입하는 기업은 늘었다.')).toEqual([]);
    expect(unknown('엔비디아는 공급을 늘린다.')).toEqual([]);
    expect(unknown('데이터센터는 2026년에 문을 연다.')).toEqual([]);
    expect(unknown('네이버는 H100을 샀다.')).toEqual([]);
    expect(unknown('同社は導入する。')).toEqual([]);
    expect(unknown('政府はGPUを確保する。')).toEqual([]);
    expect(unknown('2025年はGPUが不足した。')).toEqual([]);
  });

  it('does not read a name in the middle of a Japanese sentence, after a particle', () => {
    expect(unknown('H100を導入することが決まった。')).toEqual([]);
  });
});

describe('findChipMentions with names of several words', () => {
  it('takes a chip the catalog lacks with its whole name, once', () => {
    expect(chips('10,000 Vera Rubin NVL144 GPUs')).toEqual([{ text: 'Vera Rubin NVL144', name: 'Vera Rubin NVL144', id: null }]);
    expect(chips('Nvidia Rubin Ultra NVL576 GPUs').map((chip) => chip.name)).toEqual(['Rubin Ultra NVL576']);
  });

  it('matches the longest catalog name or alias and keeps a form factor after it in the same mention', () => {
    expect(chips('5,000 GB200 NVL72 GPUs')).toEqual([{ text: 'GB200 NVL72', name: 'GB200', id: 'gb200' }]);
    expect(chips('H100 SXM5 GPUs')).toEqual([{ text: 'H100 SXM5', name: 'H100 SXM', id: 'h100' }]);
    expect(chips('H100 80GB boards')).toEqual([{ text: 'H100 80GB', name: 'H100 SXM', id: 'h100' }]);
    expect(chips('Trainium 2 chips')).toEqual([{ text: 'Trainium 2', name: 'Trainium2', id: 'trn2' }]);
  });

  it('reads another model number after a catalog name ending in a word as another chip of the family', () => {
    expect(chips('10,000 Maia 200 chips')).toEqual([{ text: 'Maia 200', name: 'Maia 200', id: null }]);
    expect(chips('MTIA v3 chips')).toEqual([{ text: 'MTIA v3', name: 'MTIA v3', id: null }]);
    expect(chips('Maia 100 chips')).toEqual([{ text: 'Maia 100', name: 'Maia 100', id: 'maia' }]);
  });

  it('keeps the catalog chip before a count in Korean or Japanese order, or a number with a separator', () => {
    expect(chips('MTIA 500개')).toEqual([{ text: 'MTIA', name: 'MTIA v2', id: 'mtia' }]);
    expect(chips('Maia 10,000 units')).toEqual([{ text: 'Maia', name: 'Maia 100', id: 'maia' }]);
  });
});
