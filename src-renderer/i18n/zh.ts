import type { DeepPartial } from './types';
import type { Messages } from './en';

/** Chinese UI strings; anything missing falls back to English. */
export const zh: DeepPartial<Messages> = {
  login: { title: '登录', username: '用户名', password: '密码', submit: '登录', server: '服务器', demoUsers: '演示用户（密码 "demo"）', agent: '坐席', supervisor: '主管', failed: '登录失败：{{message}}' },
  status: { online: '在线', connecting: '连接中…', offline: '离线', syncing: '正在同步客户 {{done}} / {{total}}', goReady: '就绪', goAway: '离开', signOut: '退出', presence: { available: '就绪', away: '离开', reserved: '振铃中', on_call: '通话中', wrap_up: '话后处理', offline: '离线' } },
  idle: { readyTitle: '等待下一通电话', awayTitle: '您已离开', awayHint: '切换为就绪以接听电话。', readyHint: '来电时，客户资料、风险和话术会立即显示在这里。', saved: '话后记录已保存。' },
  call: { incoming: '来电', onCall: '通话中', wrapUp: '话后处理', accept: '接听', decline: '拒绝', hangUp: '挂断', unknownCaller: '未知来电', outboundBadge: '外呼', outboundPurpose: '挽留外呼', outboundMatch: '您通过外呼任务致电此客户' },
  risk: { title: '流失风险', band: { low: '低', medium: '中', high: '高' }, reasons: '原因' },
  value: { title: '价值', atRisk: '风险价值' },
  script: { title: '挽留话术', offers: '最佳优惠' },
  brief: {
    title: '摘要', onDevice: '本地摘要', model: 'AI 摘要（{{model}}）', waiting: '正在请求 AI…', writing: 'AI 正在撰写…', empty: '此前无联系记录。',
    fellBack: 'AI 摘要不可用（{{reason}}），显示本地摘要。', incomplete: 'AI 摘要中断（{{reason}}）。',
  },
  settings: {
    open: 'AI 设置', title: 'AI 设置', close: '关闭', save: '保存', saved: '已保存。',
    privacy: '任何内容离开本机之前，姓名、电话、电子邮件、卡号、账号和证件号都会被替换为占位符。每个请求都记录在“AI 看到了什么”中。',
    baseUrl: '服务地址', baseUrlHint: '任何兼容 OpenAI 的服务，例如 https://api.openai.com/v1 或 http://localhost:11434/v1。留空则只用本地摘要。',
    model: '模型', apiKey: 'API 密钥', keyStored: '本机已保存密钥。输入新密钥可替换。', keyNone: '未保存密钥（本地服务通常不需要）。',
    removeKey: '删除已保存的密钥', timeout: '等待 AI 首个字的时间（秒）', timeoutHint: '超时未收到内容时，保留本地摘要。', timeoutInvalid: '请输入秒数，例如 4。',
    region: '脱敏用的电话地区', regionHint: '两个字母（US、GB、IL…）：未写国家代码的电话号码按该国家解读。',
    nationalIds: '需脱敏的身份证件格式',
    test: '测试连接', testing: '测试中…', testOk: '{{ms}} 毫秒连接成功；可用模型 {{count}} 个。', modelMissing: '其中没有模型“{{model}}”。',
    testFailed: '连接失败：{{reason}}。', mode: { onDevice: '仅本地', model: 'AI：{{model}}' },
  },
  failure: {
    'first-token-timeout': '未及时响应', 'request-timeout': '超时', 'rate-limited': '请求过多 (429)', 'server-error': '服务器错误', 'network-error': '无法连接服务',
    'auth-error': 'API 密钥被拒绝', 'bad-request': '服务拒绝了请求', 'retry-after-too-long': '服务要求等待过久', 'stream-broken': '回答中断', 'bad-response': '无法读取回答',
    aborted: '已取消', 'not-configured': '未设置服务', 'empty-output': '回答为空', 'malformed-stream': '无法读取回答', 'internal-error': '内部错误',
  },
  audit: {
    open: 'AI 看到了什么', title: 'AI 看到了什么', thisCall: '仅本次通话', empty: '本机尚未向 AI 发送任何内容。',
    emptyCall: '本次通话未发送任何内容：摘要来自本机缓存的先前请求（取消勾选“仅本次通话”即可查看）。',
    intro: '本机发送给 AI 服务的每个请求，与发送时完全一致。个人信息在离开本机前已替换为占位符；哈希值可用于核对存档。',
    when: '时间', who: '坐席', customer: '客户', what: '用途', model: '模型', tokens: '令牌', hash: '请求哈希',
    purpose: { brief: '摘要', wrapup: '话后草稿' }, fellBack: '已回退：{{reason}}', tokenSplit: '{{prompt}} 请求 + {{completion}} 回答',
    payloadTitle: '发送至 {{host}}', verified: '哈希一致', notVerified: '哈希不一致', raw: '完整请求体',
    role: { system: '指令', user: '发送的数据', assistant: '助手' },
  },
  timeline: { title: '历史记录' },
  wrapup: {
    title: '话后处理', save: '保存', notes: '备注', summary: '摘要', disposition: '结果',
    draft: 'AI 起草', drafting: '起草中…', transcript: '通话记录（可选）', transcriptHint: '粘贴通话记录：以“坐席：”或“客户：”开头的行。',
    followUps: '后续事项（每行一项）', followUpsHeading: '后续事项：', draftedByModel: '由 AI（{{model}}）根据备注起草——保存前请检查修改。',
    draftedOnDevice: '在本机根据备注起草——保存前请检查修改。', draftFallback: 'AI 不可用（{{reason}}），已在本机起草。',
    because: '建议依据：备注中写有“{{cue}}”。', autosaved: '草稿已保存 {{time}}', restored: '已恢复本次通话未保存的话后记录。',
    tooLong: '摘要和后续事项合计不得超过 {{max}} 个字符。',
  },
  supervisor: { title: '挽留团队', agents: '坐席', queue: '队列', outcomes: '最近结果' },
  outreach: {
    title: '外呼：有流失风险的客户', subtitle: '目前没有等待您的来电。要在客户流失前致电吗？',
    secondsLeft: '{{count}} 秒内决定', valueAtRisk: '风险价值', churnRisk: '流失风险', localTime: '客户当地时间',
    inHours: '在可致电时段内', offeredNow: '当前推荐给您', whyThis: '为什么是这位客户', whyNow: '为什么是现在', accept: '立即致电', skip: '跳过', calling: '正在呼叫…',
    lapsed: '外呼预览已超时，已放回列表。', listTitle: '待致电客户', refresh: '刷新', empty: '目前没有需要致电的客户。',
    skippedTitle: '已排除 —',
    rule: { do_not_call: '请勿致电', outside_calling_hours: '不在可致电时段', max_attempts: '已达最多尝试次数', cool_off: '近期已联系（冷却期）' },
    reason: { value_at_risk: '风险价值 {{value}}', churn_risk: '流失风险 {{pct}}%', first_attempt: '尚未尝试', retry: '第 {{n}} 次尝试（共 {{max}} 次）', in_calling_hours: '当地时间 {{time}}（{{tz}}），在可致电时段内', never_contacted: '无联系记录' },
  },
  routing: {
    title: '路由：预测 vs 基线', predictive: '预测', baselineShort: '基线', differenceShort: '差异（百分点）', baseline: '基线（等待最久）', rate: '挽留率', ci: '95% 区间',
    better: '预测路由比基线多挽留 {{pts}} 个百分点（95% 置信区间 {{lo}} 至 {{hi}}）。',
    noDifference: '尚无显著差异：预测 − 基线 = {{pts}} 个百分点，95% 置信区间 {{lo}} 至 {{hi}}。',
    notEnough: '挽留通话尚不足以比较（预测 {{policy}}，基线 {{baseline}}）。',
  },
  segment: { label: '{{tier}} · {{band}}', tier: { high: '高价值', mid: '中价值', low: '低价值' }, band: { high: '高风险', medium: '中风险', low: '低风险' }, unscored: '未评分' },
};
