import type { DeepPartial } from './types';
import type { Messages } from './en';

/** Hebrew UI strings; anything missing falls back to English. */
export const he: DeepPartial<Messages> = {
  app: { name: 'Holdfast', tagline: 'שומרים על הלקוחות שעומדים לעזוב' },
  login: { title: 'כניסה', username: 'שם משתמש', password: 'סיסמה', submit: 'כניסה', server: 'שרת', demoUsers: 'משתמשי הדגמה (סיסמה "demo")', agent: 'נציג', supervisor: 'מנהל משמרת', failed: 'הכניסה נכשלה: {{message}}' },
  status: {
    online: 'מחובר', connecting: 'מתחבר…', offline: 'לא מחובר', pending_one: 'שינוי {{count}} ממתין לסנכרון', pending_other: '{{count}} שינויים ממתינים לסנכרון',
    syncing: 'מסנכרן לקוחות {{done}} מתוך {{total}}', ready: 'זמין', away: 'לא זמין', goReady: 'זמין לשיחות', goAway: 'הפסקה', signOut: 'יציאה',
    presence: { available: 'זמין', away: 'לא זמין', reserved: 'מצלצל', on_call: 'בשיחה', wrap_up: 'סיכום שיחה', offline: 'מנותק' },
  },
  idle: { readyTitle: 'מוכן לשיחה הבאה', awayTitle: 'אתה לא זמין', awayHint: 'עבור למצב זמין כדי לקבל שיחות.', readyHint: 'פרופיל הלקוח, הסיכון והתסריט יופיעו כאן ברגע שהשיחה מצלצלת.', saved: 'סיכום השיחה נשמר.', missedCall: 'השיחה לא נענתה ועברה לנציג אחר. עברת למצב לא זמין.', callGone: 'המתקשר ניתק לפני שענית.' },
  call: { incoming: 'שיחה נכנסת', onCall: 'בשיחה', wrapUp: 'סיכום שיחה', accept: 'מענה', decline: 'דחייה', hangUp: 'סיום שיחה', secondsLeft: '{{count}} שניות למענה', unknownCaller: 'מתקשר לא מזוהה', matchedBy: 'זוהה לפי {{method}}, {{confidence}}', pickCandidate: 'הזיהוי לא ודאי — מועמדים:', intent: 'נושא', language: 'שפה' },
  profile: { title: 'לקוח', phone: 'טלפון', email: 'דוא"ל', account: 'חשבון', plan: 'מסלול', tenure: 'לקוח כבר', months: '{{count}} חודשים', contract: 'התחייבות', contractEnds: 'מסתיימת {{date}}', address: 'כתובת', dob: 'תאריך לידה', source: 'מתוך {{source}}', doNotCall: 'אין להתקשר', edit: 'עריכה', save: 'שמירה', cancel: 'ביטול' },
  risk: { title: 'סיכון נטישה', band: { low: 'נמוך', medium: 'בינוני', high: 'גבוה' }, heuristic: 'הערכה היוריסטית — עדיין לא מודל מאומן', model: 'מודל {{version}}', noScore: 'אין עדיין ציון סיכון ללקוח זה.', reasons: 'למה', tooltip: 'הסיכוי שהלקוח יעזוב ב-90 הימים הקרובים. חושב על ידי {{version}}.' },
  value: { title: 'ערך', clv: 'ערך לקוח (12 חודשים)', tier: 'דרגה', tierName: { high: 'ערך גבוה', mid: 'ערך בינוני', low: 'ערך נמוך' }, atRisk: 'ערך בסיכון', tooltipClv: 'הרווח הצפוי ב-12 החודשים הקרובים. חושב על ידי {{version}}.', tooltipRisk: 'סיכוי הנטישה × ערך הלקוח: מה יאבד אם יעזוב.' },
  script: { title: 'תסריט שימור', offers: 'ההצעות המתאימות ביותר', acceptance: '{{pct}}% סיכוי לקבלה', evidence: '{{accepted}}/{{made}} התקבלו בפלח זה', noEvidence: 'אין עדיין היסטוריה בפלח זה', perMonth: '{{cost}} לחודש למשך {{months}} חודשים' },
  brief: {
    title: 'תקציר', onDevice: 'סיכום מקומי', model: 'סיכום AI ({{model}})', waiting: 'פונה ל-AI…', writing: 'ה-AI כותב…', empty: 'אין פניות קודמות.',
    fellBack: 'תקציר AI לא זמין ({{reason}}); מוצג הסיכום המקומי.', incomplete: 'תקציר ה-AI נקטע ({{reason}}).',
  },
  settings: {
    open: 'הגדרות AI', title: 'הגדרות AI', close: 'סגירה', save: 'שמירה', saved: 'נשמר.',
    privacy: 'לפני שמשהו יוצא מהמחשב, שמות, מספרי טלפון, כתובות דוא"ל, מספרי כרטיס, חשבון ותעודת זהות מוחלפים בממלאי מקום. כל בקשה נרשמת תחת "מה ה-AI ראה".',
    baseUrl: 'כתובת השרת', baseUrlHint: 'כל שרת תואם OpenAI, למשל https://api.openai.com/v1 או http://localhost:11434/v1. השאירו ריק לסיכומים מקומיים בלבד.',
    model: 'מודל', apiKey: 'מפתח API', keyStored: 'מפתח שמור במחשב זה. הקלידו מפתח חדש כדי להחליף אותו.', keyNone: 'לא שמור מפתח (שרתים מקומיים לרוב אינם צריכים).',
    removeKey: 'מחיקת המפתח השמור', timeout: 'זמן המתנה למילים הראשונות של ה-AI (שניות)', timeoutHint: 'אם לא מגיע דבר עד אז, הסיכום המקומי נשאר על המסך.',
    timeoutInvalid: 'הזינו מספר שניות, למשל 4.',
    test: 'בדיקת חיבור', testing: 'בודק…', testOk: 'מחובר תוך {{ms}} מ"ש; {{count}} מודלים זמינים.', modelMissing: 'המודל "{{model}}" אינו ביניהם.',
    testFailed: 'החיבור נכשל: {{reason}}.', mode: { onDevice: 'מקומי בלבד', model: 'AI: {{model}}' },
  },
  failure: {
    'first-token-timeout': 'לא התקבלה תשובה בזמן', 'request-timeout': 'תם הזמן', 'rate-limited': 'חריגה ממכסת הבקשות (429)', 'server-error': 'שגיאת שרת',
    'network-error': 'אין גישה לשרת', 'auth-error': 'מפתח ה-API נדחה', 'bad-request': 'השרת דחה את הבקשה', 'retry-after-too-long': 'השרת ביקש להמתין זמן רב מדי',
    'stream-broken': 'התשובה נקטעה', 'bad-response': 'לא ניתן לקרוא את התשובה', aborted: 'בוטל', 'not-configured': 'לא הוגדר שרת', 'empty-output': 'התשובה ריקה',
    'malformed-stream': 'לא ניתן לקרוא את התשובה', 'internal-error': 'שגיאה פנימית',
  },
  audit: {
    open: 'מה ה-AI ראה', title: 'מה ה-AI ראה', thisCall: 'השיחה הזו בלבד', empty: 'עדיין לא נשלח דבר ל-AI ממחשב זה.',
    emptyCall: 'לא נשלח דבר עבור שיחה זו: התקציר כבר היה שמור במחשב מבקשה קודמת (בטלו את "השיחה הזו בלבד" כדי לראות אותה).',
    intro: 'כל בקשה שמחשב זה שלח לשרת AI, בדיוק כפי שנשלחה. מידע אישי הוחלף בממלאי מקום לפני שיצא מהמחשב; הגיבוב מאפשר לבודק לאמת את העותק השמור.',
    when: 'מתי', who: 'נציג', customer: 'לקוח', what: 'עבור', model: 'מודל', tokens: 'טוקנים', hash: 'גיבוב הבקשה',
    purpose: { brief: 'תקציר', wrapup: 'טיוטת סיכום' }, fellBack: 'חזרה למקומי: {{reason}}', tokenSplit: '{{prompt}} בקשה + {{completion}} תשובה',
    payloadTitle: 'נשלח אל {{host}}', verified: 'הגיבוב תואם', notVerified: 'הגיבוב אינו תואם', raw: 'גוף הבקשה המדויק',
    role: { system: 'הוראות', user: 'המידע שנשלח', assistant: 'עוזר' },
  },
  timeline: { title: 'היסטוריה', empty: 'אין פניות קודמות.', channel: { call: 'שיחה', chat: "צ'אט", email: 'דוא"ל', ticket: 'פנייה', sms: 'SMS' }, open: 'פתוחה', offer: 'הצעה {{offer}}: {{result}}', promise: 'הובטח: {{promise}}' },
  wrapup: {
    title: 'סיכום שיחה', disposition: 'תוצאה', offerMade: 'הצעה שניתנה', noOffer: 'ללא הצעה', outcome: 'תגובה להצעה', notes: 'הערות', summary: 'סיכום', save: 'שמירת סיכום', saving: 'שומר…',
    savedOffline: 'נשמר במחשב זה; יסונכרן כשהחיבור יחזור.',
    dispositions: { retained: 'נשאר', churned: 'עוזב', undecided: 'מתלבט', callback: 'לחזור אליו', not_retention: 'לא שיחת שימור' },
    outcomes: { accepted: 'התקבלה', declined: 'נדחתה', no_offer: 'לא ניתנה הצעה' },
    draft: 'טיוטה עם AI', drafting: 'מנסח…', transcript: 'תמליל (לא חובה)', transcriptHint: 'הדביקו את תמליל השיחה: שורות שמתחילות ב"נציג:" או "לקוח:".',
    followUps: 'משימות המשך (אחת בכל שורה)', followUpsHeading: 'משימות המשך:', draftedByModel: 'נוסח על ידי AI ({{model}}) מההערות שלך — בדקו וערכו לפני השמירה.',
    draftedOnDevice: 'נוסח במחשב זה מההערות שלך — בדקו וערכו לפני השמירה.', draftFallback: 'ה-AI לא זמין ({{reason}}); נוסח במחשב זה במקום.',
    because: 'הוצע כי בהערות כתוב “{{cue}}”.', autosaved: 'הטיוטה נשמרה {{time}}', restored: 'סיכום השיחה שלא נשמר שוחזר.',
    tooLong: 'הסיכום ומשימות ההמשך יחד יכולים להכיל עד {{max}} תווים.',
  },
  supervisor: { title: 'רצפת שימור', agents: 'נציגים', queue: 'תור', outcomes: 'תוצאות אחרונות', saveRate: 'שיעור שימור היום', calls: 'שיחות היום', saves: 'שימורים', waiting: 'ממתינים', empty: 'אין שיחות ממתינות.', noOutcomes: 'אין עדיין תוצאות היום.', time: 'שעה', agent: 'נציג', customer: 'לקוח', disposition: 'תוצאה', offer: 'הצעה', valueTier: 'דרגה', presence: 'מצב', languages: 'שפות', since: 'מאז {{time}}', chartTitle: 'שיחות ושימורים לפי נציג (היום)', valueSaved: 'ערך שנשמר היום' },
  language: { en: 'אנגלית', he: 'עברית', ru: 'רוסית', zh: 'סינית', ar: 'ערבית', es: 'ספרדית' },
  intent: { billing: 'חיוב', technical: 'תמיכה טכנית', cancellation: 'ביטול', plan_change: 'שינוי מסלול', general: 'כללי' },
};
