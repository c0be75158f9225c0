import type { CommitmentStatus } from '../vocabulary.js';

/*
 * The status a sentence gives its commitments, from its verbs:
 *   cancelled ("cancelled", "membatalkan") > rumored ("reportedly", "dilaporkan", "rumoured")
 *   > delivered ("installed", "brought online", "deployed", "telah memasang", "telah menerapkan")
 *   > confirmed ("ordered", "bought", "signed", "memesan", "membeli")
 *   > announced (plans, "akan", "berencana", and anything else).
 * A verb of delivery or purchase counts only when no word of intent ("will", "plans", "akan", "berencana")
 * comes before it: "plans to install" is announced, "ordered … to be installed" is confirmed.
 */
/** Words of spaced scripts start a word; Korean and Japanese words stand anywhere ("1万基導入した"). */
const words = (spaced: string, unspaced: string) => new RegExp(String.raw`(?<![\p{L}])(?:${spaced})|${unspaced}`, 'iu');

const CANCELLED = words(
  'cancel(?:l)?ed|cancels|scrapped|called off|membatalkan|dibatalkan|batal|annulée?s?|storniert|abgesagt',
  '취소|中止|キャンセル',
);
const RUMORED = words(
  'reportedly|rumou?red|rumou?rs?|is said to|are said to|according to (?:people|sources|a person|reports)|sources (?:said|say)|dilaporkan|dikabarkan|kabarnya|rumor|selon des sources|aurait|auraient|angeblich|Berichten zufolge|Insidern zufolge',
  '보도|알려졌다|伝えられ|報じ|関係者によると',
);
const INTENT =
  /(?<![\p{L}])(?:will|would|plans?|planned|planning|intends?|aims?|expects?|is set to|are set to|to be|akan|berencana|rencana|bermaksud|menargetkan|ingin|va|vont|prévoit|compte|wird|werden|plant|planen|wollen|soll|sollen|beabsichtigt|예정|계획|予定|計画)(?![\p{Script=Latin}])/iu;
const DELIVERED = words(
  'installed|has installed|brought online|came online|went live|deployed|is running|are running|now operates|(?:telah|sudah)\\s(?:memasang|menerapkan|mengoperasikan|mengaktifkan)|terpasang|beroperasi|installée?s?|déployée?s?|mis en service|installiert|in Betrieb genommen',
  '가동|도입했다|설치했다|구축했다|設置した|稼働|導入した',
);
const CONFIRMED = words(
  'ordered|orders|placed an order|bought|purchased|signed|agreed to (?:buy|purchase|acquire)|contracted|memesan|membeli|menandatangani|commandée?s?|achetée?s?|bestellt|bestellte|gekauft|kaufte|erworben|unterzeichnet',
  '주문|구매\\s?계약|구매했다|구입했다|사들였다|확보했다|発注|購入した|確保した|契約',
);

function firstIndex(pattern: RegExp, text: string): number {
  return pattern.exec(text)?.index ?? -1;
}

export function statusOf(sentence: string): CommitmentStatus {
  if (CANCELLED.test(sentence)) return 'cancelled';
  if (RUMORED.test(sentence)) return 'rumored';
  const intent = firstIndex(INTENT, sentence);
  const withoutIntentBefore = (pattern: RegExp) => {
    const index = firstIndex(pattern, sentence);
    return index >= 0 && (intent < 0 || intent > index);
  };
  if (withoutIntentBefore(DELIVERED)) return 'delivered';
  if (withoutIntentBefore(CONFIRMED)) return 'confirmed';
  return 'announced';
}

/** Verbs of acquiring or putting chips to work: without a quantity, a chip is a candidate only next to one. */
export const COMMITMENT_VERB =
  /(?<![\p{L}])(?:deploy(?:s|ed|ing)?|install(?:s|ed|ing)?|buy(?:s|ing)?|bought|purchas(?:e|es|ed|ing)|order(?:s|ed|ing)?|acquir(?:e|es|ed|ing)|secur(?:e|es|ed|ing)|procur(?:e|es|ed|ing)|rent(?:s|ed|ing)?|leas(?:e|es|ed|ing)|receiv(?:e|es|ed|ing)|brought online|bring online|roll(?:s|ed|ing)? out|us(?:e|es|ed|ing)|menerapkan|memasang|membeli|memesan|mengamankan|memperoleh|menyewa|menggunakan|mendapatkan|mengoperasikan|déploie|déployer|déploiera|acheter|achète|achètera|commandé|installer|installera|kaufen|kauft|kaufte|gekauft|bestellen|bestellt|erwerben|erwirbt|beschaffen|installieren|installiert|einsetzen|mieten|sichern|sichert|도입|구매|확보|導入|購入|確保|配備)(?![\p{Script=Latin}])/iu;
