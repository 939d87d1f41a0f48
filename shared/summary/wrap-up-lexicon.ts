/**
 * Cue phrases the wrap-up drafter looks for in agent notes and transcripts,
 * per language. All lexicons run on every text, because agents often write
 * notes in English whatever the customer spoke. Patterns run on lower-cased
 * text.
 */
export interface WrapUpLexicon {
  readonly churned: RegExp;
  readonly retained: RegExp;
  readonly callback: RegExp;
  readonly undecided: RegExp;
  readonly retentionContext: RegExp;
  /** Tested against the few characters just before a cue. */
  readonly negationBefore: RegExp;
  readonly credit: RegExp;
  readonly refund: RegExp;
  readonly sendInfo: RegExp;
  readonly escalate: RegExp;
  readonly technician: RegExp;
  readonly waiveFee: RegExp;
  /** Day-of-week mentions: [pattern, 0 = Sunday .. 6 = Saturday]. */
  readonly weekdays: readonly (readonly [RegExp, number])[];
  readonly tomorrow: RegExp;
  readonly nextWeek: RegExp;
  /** Captures the number of days. */
  readonly inDays: RegExp;
}

const en: WrapUpLexicon = {
  churned:
    /\b(?:cancell?ed|cancellation (?:processed|confirmed|done|completed)|churned|ported? out|porting out|closed (?:the |his |her |their )?account|disconnected|is leaving|has left|left us|switched to|terminated the contract)\b/,
  retained:
    /\b(?:accepted|accepts? the (?:offer|deal|discount)|i accept|i'?ll (?:stay|take it)|agreed to stay|retained|will stay|staying with us|stays with us|renewed|re-?signed|signed up for|took the (?:offer|deal|discount)|saved the customer|decided to stay|keeps? the (?:plan|service|line))\b/,
  callback: /\b(?:call(?:ing)? (?:him |her |them |the customer |cx )?back|callback|call-back|follow[- ]up call|will call (?:him|her|them|the customer)|ring (?:him |her |them )?back)\b/,
  undecided:
    /\b(?:think(?:ing)? (?:about it|it over)|will think|considering|undecided|not sure|unsure|talk(?:ing)? (?:it over )?(?:to|with) (?:his|her|their) (?:wife|husband|partner|spouse|family)|will decide|needs? (?:more )?time|on the fence|declined)\b/,
  retentionContext: /\b(?:cancel|cancellation|leave|leaving|switch|competitor|churn|retention|offer|discount|port(?:ing)? out)\b/,
  negationBefore: /(?:\bnot|n't|\bno|\bnever|\brefused to|\bdeclined to|\bwon't)\s+(?:\w+\s+)?$/,
  credit: /\b(?:apply|applied|add|added|issue|issued|give|gave|promised|post|posted)\b[^.;\n]{0,25}\bcredit\b|\bcredit of\b|\bcredit(?:ed)? (?:the |his |her )?account\b/,
  refund: /\brefund/,
  sendInfo: /\b(?:send|email|e-mail|text) (?:an? |the |him |her |them )?(?:email|e-mail|sms|text|confirmation|details|link|summary|contract|quote)\b/,
  escalate: /\bescalat/,
  technician: /\b(?:technician|engineer visit|site visit|tech visit|send a tech)\b/,
  waiveFee: /\bwaiv(?:e|ed|ing)\b/,
  weekdays: [
    [/\bsunday\b/, 0],
    [/\bmon(?:day)?\b/, 1],
    [/\btue(?:s|sday)?\b/, 2],
    [/\bwed(?:nesday)?\b/, 3],
    [/\bthu(?:rs|rsday)?\b/, 4],
    [/\bfri(?:day)?\b/, 5],
    [/\bsaturday\b/, 6],
  ],
  tomorrow: /\btomorrow\b/,
  nextWeek: /\bnext week\b/,
  inDays: /\bin (\d{1,2}) days?\b/,
};

const he: WrapUpLexicon = {
  churned: /(?:ביטל|ביטלה|בוטל|בוטלה|התנתק|התנתקה|עזב|עזבה|עבר(?:ה)? למתחרה|ניוד החוצה|ניידה|ניוד|סגר(?:ה)? את החשבון)/,
  retained: /(?:נשאר|נשארה|נשארת|הסכים להישאר|הסכימה להישאר|קיבל(?:ה)? את ההצעה|חידש(?:ה)?|נשמר|נשמרה|החליט(?:ה)? להישאר)/,
  callback: /(?:לחזור אלי(?:ו|ה)|לחזור ללקוח|חזרה טלפונית|נחזור אלי(?:ו|ה)|להתקשר שוב|להתקשר אלי(?:ו|ה))/,
  undecided: /(?:יחשוב|תחשוב|לחשוב על זה|מתלבט|מתלבטת|לא בטוח|לא בטוחה|יחליט|תחליט|להתייעץ|סירב(?:ה)? להצעה)/,
  retentionContext: /(?:לבטל|ביטול|לעזוב|מתחרה|הצעה|הנחה|שימור)/,
  negationBefore: /(?:לא|אין|סירב|סירבה)\s*$/,
  credit: /זיכוי/,
  refund: /החזר כספי|החזר/,
  sendInfo: /(?:לשלוח|נשלח|לשלוח לו|לשלוח לה) (?:מייל|הודעה|אישור|פרטים|קישור|SMS)/,
  escalate: /(?:הסלמה|להעביר למנהל|לאסקל)/,
  technician: /טכנאי/,
  waiveFee: /(?:ביטול (?:ה)?עמלה|לוותר על (?:ה)?עמלה|פטור מעמלה)/,
  weekdays: [
    [/יום ראשון/, 0],
    [/יום שני/, 1],
    [/יום שלישי/, 2],
    [/יום רביעי/, 3],
    [/יום חמישי/, 4],
    [/יום שישי/, 5],
    [/(?:^|\s)ב?שבת/, 6],
  ],
  tomorrow: /מחר/,
  nextWeek: /(?:ב)?שבוע הבא/,
  inDays: /בעוד (\d{1,2}) ימים/,
};

const ru: WrapUpLexicon = {
  churned:
    /(?:отключил(?:ся|ась|и)?|отключен[аоы]?|расторг(?:ла|ли|нут)?|ушел|ушёл|ушла|перешел|перешёл|перешла|закрыл(?:а)? (?:договор|счёт|счет)|перенес(?:ла)? номер|оформил(?:а)? отказ)/,
  retained: /(?:остал(?:ся|ась|ись)|согласил(?:ся|ась) остаться|принял(?:а)? предложение|продлил(?:а)?|решил(?:а)? остаться)/,
  callback: /(?:перезвонить|перезвоню|перезвоним|перезвон|повторный звонок|связаться повторно)/,
  undecided: /(?:подума(?:ет|ть|ю)|не уверен(?:а)?|решит позже|сомневается|посоветуется|посоветоваться|отказал(?:ся|ась) от предложения)/,
  retentionContext: /(?:отключ|расторж|уйти|уход|конкурент|предложени|скидк|удержани)/,
  negationBefore: /(?:\sне|^не|нет|отказал(?:ся|ась)?)\s*$/,
  credit: /(?:компенсац|начисл|бонус|зачисл)/,
  refund: /возврат/,
  sendInfo: /(?:отправить|выслать) (?:письмо|смс|sms|подтверждение|ссылку|детали|договор)/,
  escalate: /(?:эскалац|передать руководител|передать старшему)/,
  technician: /(?:техник|мастер|выезд)/,
  waiveFee: /(?:списать (?:штраф|комисси)|отменить (?:штраф|комисси)|без комиссии)/,
  weekdays: [
    [/воскресень/, 0],
    [/понедельник/, 1],
    [/вторник/, 2],
    [/сред[ау]/, 3],
    [/четверг/, 4],
    [/пятниц/, 5],
    [/суббот/, 6],
  ],
  tomorrow: /завтра/,
  nextWeek: /на следующей неделе/,
  inDays: /через (\d{1,2}) (?:дн|день)/,
};

const zh: WrapUpLexicon = {
  churned: /(?:已取消|已退订|已销户|已注销|携号转网|已离网|转到了?竞争对手|已经取消|办理了?退订)/,
  retained: /(?:接受了(?:优惠|方案|提议)?|同意留下|同意续约|已续约|决定留下|留下来了|保留了服务)/,
  callback: /(?:回电|回访|再联系|再打给|稍后致电|给(?:他|她|客户)打电话)/,
  undecided: /(?:考虑一下|再考虑|还没决定|不确定|商量一下|犹豫|拒绝了优惠)/,
  retentionContext: /(?:取消|退订|离网|竞争|优惠|折扣|挽留)/,
  negationBefore: /(?:不|没|没有|未)$/,
  credit: /(?:补偿|抵扣|返还|赠送|减免)/,
  refund: /退款/,
  sendInfo: /(?:发送|发)(?:邮件|短信|确认|链接)/,
  escalate: /(?:转交主管|上报主管|升级处理)/,
  technician: /(?:技术员|上门|维修人员)/,
  waiveFee: /(?:免除|免收)/,
  weekdays: [
    [/(?:周|星期|礼拜)[日天]/, 0],
    [/(?:周|星期|礼拜)一/, 1],
    [/(?:周|星期|礼拜)二/, 2],
    [/(?:周|星期|礼拜)三/, 3],
    [/(?:周|星期|礼拜)四/, 4],
    [/(?:周|星期|礼拜)五/, 5],
    [/(?:周|星期|礼拜)六/, 6],
  ],
  tomorrow: /明天/,
  nextWeek: /下周/,
  inDays: /(\d{1,2})天后/,
};

export const WRAP_UP_LEXICONS: readonly WrapUpLexicon[] = [en, he, ru, zh];

/** A money amount next to its currency, in the forms agents type. */
export const AMOUNT =
  /(?:[$€£₪¥₽]\s?\d+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?\s?(?:\$|€|£|₪|¥|₽|usd|eur|gbp|nis|ils|shekels?|dollars?|euros?|рублей|руб\.?|元|块|ש"ח|שקלים|שקל))/i;
