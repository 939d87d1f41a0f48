import type { Language } from '@shared/domain/language';
import type { Channel, Topic } from '@shared/domain/interaction';
import { countOf, formatCount, type PluralForms } from '@shared/util/intl';
import type { SentimentTrend } from './facts';

export type OfferResult = 'accepted' | 'declined' | 'pending';

/**
 * Sentence templates for the on-device brief, written per language by hand
 * (no machine translation). Counts take the language's plural form through
 * Intl.PluralRules (Russian one/few/many, Hebrew one/two/other); dates arrive
 * already written by Intl in the language (shared/util/intl formatDay, UTC).
 */
export interface BriefTemplates {
  readonly topic: Readonly<Record<Topic, string>>;
  readonly channel: Readonly<Record<Channel, string>>;
  readonly offerResult: Readonly<Record<OfferResult, string>>;
  readonly trend: Readonly<Record<SentimentTrend, string>>;
  status(p: { count: number; since: string; channels: string; lastDate: string; lastChannel: string; lastTopic: string; open: string }): string;
  openTickets(count: number, list: string): string;
  readonly noOpenTickets: string;
  moreTickets(n: number): string;
  complaint(date: string, channel: string, summary: string): string;
  /** `offer` is the offer's name in the brief's language where one is known, else its id. */
  offer(offer: string, date: string, result: string): string;
  sentiment(trend: string, recent: string, recentCount: number, previous: string, previousCount: number): string;
  sentimentSingle(mean: string, count: number): string;
  promise(date: string, text: string, total: number): string;
  /** Opening and closing quotation marks. */
  readonly quotes: readonly [string, string];
  readonly listSeparator: string;
}

const EN_CONTACTS: PluralForms = { one: '{n} contact', other: '{n} contacts' };
const HE_CONTACTS: PluralForms = { one: 'פנייה אחת', other: '{n} פניות' };
const RU_CONTACTS: PluralForms = { one: '{n} обращение', few: '{n} обращения', many: '{n} обращений', other: '{n} обращения' };
const ES_CONTACTS: PluralForms = { one: '{n} contacto', other: '{n} contactos' };

const en: BriefTemplates = {
  topic: { billing: 'billing', technical: 'technical issue', cancellation: 'cancellation', plan_change: 'plan change', complaint: 'complaint', general: 'general question' },
  channel: { call: 'call', chat: 'chat', email: 'email', ticket: 'ticket', sms: 'SMS' },
  offerResult: { accepted: 'accepted', declined: 'declined', pending: 'no answer yet' },
  trend: { improving: 'improving', worsening: 'worsening', stable: 'stable', unknown: 'not enough contacts for a trend' },
  status: (p) => `${countOf('en', p.count, EN_CONTACTS)} since ${p.since} (${p.channels}); last on ${p.lastDate} by ${p.lastChannel} about ${p.lastTopic}. ${p.open}`,
  openTickets: (n, list) => `Open tickets (${n}): ${list}.`,
  noOpenTickets: 'No open tickets.',
  moreTickets: (n) => `${n} more`,
  complaint: (date, channel, summary) => `Latest complaint ${date} (${channel}): ${summary}`,
  offer: (offer, date, result) => `Last offer ${offer} on ${date}: ${result}`,
  sentiment: (trend, recent, rn, prev, pn) => `Sentiment ${trend}: ${recent} over ${countOf('en', rn, { one: 'the last contact', other: 'the last {n} contacts' })} vs ${prev} over ${countOf('en', pn, { one: 'the one before', other: 'the {n} before' })}`,
  sentimentSingle: (mean, n) => `Sentiment ${mean} over ${countOf('en', n, EN_CONTACTS)}; not enough contacts for a trend`,
  promise: (date, text, total) => `Promise made ${date}: ${text}${total > 1 ? ` (${total} promises in all)` : ''}`,
  quotes: ['“', '”'],
  listSeparator: ', ',
};

const he: BriefTemplates = {
  topic: { billing: 'חיוב', technical: 'תקלה טכנית', cancellation: 'ביטול', plan_change: 'שינוי מסלול', complaint: 'תלונה', general: 'שאלה כללית' },
  channel: { call: 'שיחה', chat: "צ'אט", email: 'מייל', ticket: 'פנייה כתובה', sms: 'מסרון' },
  offerResult: { accepted: 'התקבלה', declined: 'נדחתה', pending: 'טרם נענתה' },
  trend: { improving: 'משתפר', worsening: 'מחמיר', stable: 'יציב', unknown: 'אין מספיק פניות למגמה' },
  status: (p) => `${countOf('he', p.count, HE_CONTACTS)} מאז ${p.since} (${p.channels}); האחרונה ב-${p.lastDate} ב${p.lastChannel} בנושא ${p.lastTopic}. ${p.open}`,
  openTickets: (n, list) => `פניות פתוחות (${n}): ${list}.`,
  noOpenTickets: 'אין פניות פתוחות.',
  moreTickets: (n) => `ועוד ${n}`,
  complaint: (date, channel, summary) => `תלונה אחרונה ${date} (${channel}): ${summary}`,
  offer: (offer, date, result) => `הצעה אחרונה ${offer} ב-${date}: ${result}`,
  sentiment: (trend, recent, rn, prev, pn) => `סנטימנט ${trend}: ${recent} ${countOf('he', rn, { one: 'בפנייה האחרונה', other: 'ב-{n} הפניות האחרונות' })} לעומת ${prev} ${countOf('he', pn, { one: 'בפנייה שלפניה', other: 'ב-{n} הפניות שלפניהן' })}`,
  sentimentSingle: (mean, n) => `סנטימנט ${mean} ${countOf('he', n, { one: 'בפנייה אחת', other: 'ב-{n} פניות' })}; אין מספיק פניות למגמה`,
  promise: (date, text, total) => `התחייבות מ-${date}: ${text}${total > 1 ? ` (${total} התחייבויות בסך הכול)` : ''}`,
  quotes: ['"', '"'],
  listSeparator: ', ',
};

const ru: BriefTemplates = {
  topic: { billing: 'счета и оплата', technical: 'техническая проблема', cancellation: 'расторжение', plan_change: 'смена тарифа', complaint: 'жалоба', general: 'общий вопрос' },
  channel: { call: 'звонок', chat: 'чат', email: 'письмо', ticket: 'заявка', sms: 'SMS' },
  offerResult: { accepted: 'принято', declined: 'отклонено', pending: 'ответа пока нет' },
  trend: { improving: 'улучшается', worsening: 'ухудшается', stable: 'стабильно', unknown: 'мало обращений для оценки' },
  status: (p) => `${countOf('ru', p.count, RU_CONTACTS)} с ${p.since} (${p.channels}); последнее ${p.lastDate}, ${p.lastChannel}, тема: ${p.lastTopic}. ${p.open}`,
  openTickets: (n, list) => `Открытые заявки (${n}): ${list}.`,
  noOpenTickets: 'Открытых заявок нет.',
  moreTickets: (n) => `ещё ${n}`,
  complaint: (date, channel, summary) => `Последняя жалоба ${date} (${channel}): ${summary}`,
  offer: (offer, date, result) => `Последнее предложение ${offer} от ${date}: ${result}`,
  sentiment: (trend, recent, rn, prev, pn) => `Настроение ${trend}: ${recent} ${rn === 1 ? 'за последнее обращение' : `за последние ${countOf('ru', rn, RU_CONTACTS)}`} против ${prev} ${pn === 1 ? 'за предыдущее' : `за ${formatCount('ru', pn)} до них`}`,
  sentimentSingle: (mean, n) => `Настроение ${mean} (${countOf('ru', n, RU_CONTACTS)}); мало обращений для оценки динамики`,
  promise: (date, text, total) => `Обещание от ${date}: ${text}${total > 1 ? ` (всего обещаний: ${total})` : ''}`,
  quotes: ['«', '»'],
  listSeparator: ', ',
};

const zh: BriefTemplates = {
  topic: { billing: '账单', technical: '技术问题', cancellation: '退订', plan_change: '套餐变更', complaint: '投诉', general: '一般咨询' },
  channel: { call: '电话', chat: '在线聊天', email: '邮件', ticket: '工单', sms: '短信' },
  offerResult: { accepted: '已接受', declined: '已拒绝', pending: '尚未答复' },
  trend: { improving: '好转', worsening: '恶化', stable: '稳定', unknown: '联系次数不足，无法判断趋势' },
  status: (p) => `自${p.since}以来共${formatCount('zh', p.count)}次联系（${p.channels}）；最近一次为${p.lastDate}，${p.lastChannel}，主题：${p.lastTopic}。${p.open}`,
  openTickets: (n, list) => `未结工单（${n}）：${list}。`,
  noOpenTickets: '没有未结工单。',
  moreTickets: (n) => `另有${n}项`,
  complaint: (date, channel, summary) => `最近投诉 ${date}（${channel}）：${summary}`,
  offer: (offer, date, result) => `最近优惠 ${offer}（${date}）：${result}`,
  sentiment: (trend, recent, rn, prev, pn) => `情绪${trend}：最近${rn}次平均${recent}，之前${pn}次平均${prev}`,
  sentimentSingle: (mean, n) => `情绪平均${mean}（${n}次联系）；联系次数不足，无法判断趋势`,
  promise: (date, text, total) => `承诺（${date}）：${text}${total > 1 ? `（共${total}项承诺）` : ''}`,
  quotes: ['“', '”'],
  listSeparator: '、',
};

const es: BriefTemplates = {
  topic: { billing: 'facturación', technical: 'problema técnico', cancellation: 'baja', plan_change: 'cambio de plan', complaint: 'queja', general: 'consulta general' },
  channel: { call: 'llamada', chat: 'chat', email: 'correo', ticket: 'incidencia', sms: 'SMS' },
  offerResult: { accepted: 'aceptada', declined: 'rechazada', pending: 'sin respuesta aún' },
  trend: { improving: 'mejorando', worsening: 'empeorando', stable: 'estable', unknown: 'pocos contactos para una tendencia' },
  status: (p) => `${countOf('es', p.count, ES_CONTACTS)} desde ${p.since} (${p.channels}); el último el ${p.lastDate} por ${p.lastChannel} sobre ${p.lastTopic}. ${p.open}`,
  openTickets: (n, list) => `Incidencias abiertas (${n}): ${list}.`,
  noOpenTickets: 'Sin incidencias abiertas.',
  moreTickets: (n) => `${n} más`,
  complaint: (date, channel, summary) => `Última queja ${date} (${channel}): ${summary}`,
  offer: (offer, date, result) => `Última oferta ${offer} el ${date}: ${result}`,
  sentiment: (trend, recent, rn, prev, pn) => `Sentimiento ${trend}: ${recent} ${rn === 1 ? 'en el último contacto' : `en los últimos ${rn} contactos`} frente a ${prev} ${pn === 1 ? 'en el anterior' : `en los ${pn} anteriores`}`,
  sentimentSingle: (mean, n) => `Sentimiento ${mean} en ${countOf('es', n, ES_CONTACTS)}; pocos contactos para una tendencia`,
  promise: (date, text, total) => `Compromiso del ${date}: ${text}${total > 1 ? ` (${total} compromisos en total)` : ''}`,
  quotes: ['«', '»'],
  listSeparator: ', ',
};

const ar: BriefTemplates = {
  topic: { billing: 'الفواتير', technical: 'مشكلة تقنية', cancellation: 'الإلغاء', plan_change: 'تغيير الباقة', complaint: 'شكوى', general: 'استفسار عام' },
  channel: { call: 'مكالمة', chat: 'دردشة', email: 'بريد إلكتروني', ticket: 'تذكرة', sms: 'رسالة نصية' },
  offerResult: { accepted: 'مقبول', declined: 'مرفوض', pending: 'بانتظار الرد' },
  trend: { improving: 'يتحسن', worsening: 'يتراجع', stable: 'مستقر', unknown: 'لا تكفي الاتصالات لتحديد اتجاه' },
  status: (p) => `${p.count} تواصل منذ ${p.since} (${p.channels})؛ آخرها في ${p.lastDate} عبر ${p.lastChannel} بخصوص ${p.lastTopic}. ${p.open}`,
  openTickets: (n, list) => `تذاكر مفتوحة (${n}): ${list}.`,
  noOpenTickets: 'لا توجد تذاكر مفتوحة.',
  moreTickets: (n) => `و${n} أخرى`,
  complaint: (date, channel, summary) => `آخر شكوى ${date} (${channel}): ${summary}`,
  offer: (offer, date, result) => `آخر عرض ${offer} بتاريخ ${date}: ${result}`,
  sentiment: (trend, recent, rn, prev, pn) => `المزاج ${trend}: ${recent} ${rn === 1 ? 'في آخر تواصل' : `في آخر ${rn} تواصل`} مقابل ${prev} في الـ${pn} السابقة`,
  sentimentSingle: (mean, n) => `المزاج ${mean} في ${n} تواصل؛ لا تكفي الاتصالات لتحديد اتجاه`,
  promise: (date, text, total) => `وعد بتاريخ ${date}: ${text}${total > 1 ? ` (${total} وعود إجمالاً)` : ''}`,
  quotes: ['«', '»'],
  listSeparator: '، ',
};

export const BRIEF_TEMPLATES: Readonly<Record<Language, BriefTemplates>> = { en, he, ru, zh, es, ar };
