import type { DeepPartial } from './types';
import type { Messages } from './en';

/** Chinese UI strings; anything missing falls back to English. */
export const zh: DeepPartial<Messages> = {
  login: { title: '登录', username: '用户名', password: '密码', submit: '登录', server: '服务器', demoUsers: '演示用户（密码 "demo"）', agent: '坐席', supervisor: '主管', failed: '登录失败：{{message}}' },
  status: { online: '在线', connecting: '连接中…', offline: '离线', syncing: '正在同步客户 {{done}} / {{total}}', goReady: '就绪', goAway: '离开', signOut: '退出', presence: { available: '就绪', away: '离开', reserved: '振铃中', on_call: '通话中', wrap_up: '话后处理', offline: '离线' } },
  idle: { readyTitle: '等待下一通电话', awayTitle: '您已离开', awayHint: '切换为就绪以接听电话。', readyHint: '来电时，客户资料、风险和话术会立即显示在这里。', saved: '话后记录已保存。' },
  call: { incoming: '来电', onCall: '通话中', wrapUp: '话后处理', accept: '接听', decline: '拒绝', hangUp: '挂断', unknownCaller: '未知来电' },
  risk: { title: '流失风险', band: { low: '低', medium: '中', high: '高' }, reasons: '原因' },
  value: { title: '价值', atRisk: '风险价值' },
  script: { title: '挽留话术', offers: '最佳优惠' },
  brief: { title: '摘要', onDevice: '本地摘要' },
  timeline: { title: '历史记录' },
  wrapup: { title: '话后处理', save: '保存', notes: '备注', summary: '摘要' },
  supervisor: { title: '挽留团队', agents: '坐席', queue: '队列', outcomes: '最近结果' },
};
