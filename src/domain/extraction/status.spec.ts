import { describe, expect, it } from 'vitest';
import { COMMITMENT_VERB, statusOf } from './status.js';

describe('statusOf in Korean, Japanese and German', () => {
  it('reads Korean and Japanese past tenses of buying as confirmed and of deploying as delivered, wherever they stand', () => {
    expect(statusOf('카카오는 H100 2천 장을 구매했다.')).toBe('confirmed');
    expect(statusOf('카카오는 H100 2천 장을 확보했다.')).toBe('confirmed');
    expect(statusOf('SK텔레콤은 B200 1,000장을 도입했다.')).toBe('delivered');
    expect(statusOf('楽天グループはH100を1000基導入した。')).toBe('delivered');
    expect(statusOf('ハイレゾはH200を確保した。')).toBe('confirmed');
  });

  it('reads a Korean or Japanese plan as announced', () => {
    expect(statusOf('네이버는 H200 3천 장을 도입할 계획이다.')).toBe('announced');
    expect(statusOf('NTTデータはB200を800基導入する予定だ。')).toBe('announced');
  });

  it('reads German verbs', () => {
    expect(statusOf('Mistral AI hat 18.000 GB200-Chips bestellt.')).toBe('confirmed');
    expect(statusOf('Die Telekom hat 10.000 GPUs in Betrieb genommen.')).toBe('delivered');
    expect(statusOf('Die Telekom wird 10.000 GPUs installieren.')).toBe('announced');
    expect(statusOf('Die Telekom hat die Bestellung storniert.')).toBe('cancelled');
    expect(statusOf('Meta hat angeblich 5.000 GPUs gekauft.')).toBe('rumored');
    expect(COMMITMENT_VERB.test('Die Telekom will GPUs kaufen.')).toBe(true);
  });
});
