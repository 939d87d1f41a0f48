/** Chinese strings of the playbook: the script on the pop, churn reasons, match methods, the editor and the funnel. Plural forms follow the language's own rules (i18next suffixes), so there are keys English lacks. */
export const playbookZh = {
  stepOf: '第 {{n}} 步，共 {{total}} 步', customerSays: '客户回答：', next: '下一步', back: '返回', switchScript: '切换话术',
  otherScript: '{{name}}（不匹配）', ended: { saved: '话术结束：客户留下了。请在通话小结中记录。', lost: '话术结束：客户要离开。请在通话小结中记录。', none: '话术结束。' },
  match: {
    phone: '电话号码', account: '账户号码', phone_and_account: '电话和账户号码', shared_phone: '共用电话号码',
    shared_by: '{{what}}（{{count}} 位客户共用该电话）', no_match: '未匹配', restored: '重启后恢复', other: '身份识别',
  },
  reason: {
    usage_flat: '近 90 天用量持平', usage_down: '近 90 天用量下降 {{pct}}%', usage_up: '近 90 天用量上升 {{pct}}%', usage_unknown: '没有近期用量数据',
    complaints_zero: '近 90 天无投诉', complaints_other: '近 90 天投诉 {{count}} 次', complaints_unknown: '投诉记录未知',
    negative_contacts_zero: '近 90 天无不满联络', negative_contacts_other: '近 90 天不满联络 {{count}} 次', negative_contacts_recent_other: '近期不满联络 {{count}} 次', negative_contacts_unknown: '联络情绪未知',
    slow_resolution_other: '问题耗时 {{count}} 天才解决', resolution_time_other: '问题平均 {{count}} 小时解决', no_support_history: '没有工单记录',
    last_contact_zero: '今天有联系', last_contact_other: '上次联系在 {{count}} 天前', never_contacted: '没有联系记录',
    payment_failures_zero: '近 90 天无付款失败', payment_failures_other: '近 90 天付款失败 {{count}} 次', payment_history_unknown: '付款记录未知',
    new_customer_other: '成为客户仅 {{count}} 个月', tenure_years_other: '已是客户 {{count}} 年', tenure_months_other: '已是客户 {{count}} 个月', tenure_unknown: '在网时长未知',
    contract_ending_zero: '合约今天到期', contract_ending_other: '合约 {{count}} 天后到期', contract_ended_other: '合约已于 {{count}} 天前到期', no_contract_end: '合约没有固定到期日',
    high_price: '月费偏高（${{amount}}）', monthly_charge: '月费 ${{amount}}', monthly_charge_unknown: '月费未知',
    service_count_zero: '没有在用服务', service_count_one: '仅 1 项服务', service_count_other: '套餐含 {{count}} 项服务', services_unknown: '服务未知',
    contract_m2m: '按月合约', contract_one_year: '一年合约', contract_two_year: '两年合约', contract_unknown: '合约类型未知', contract_other: '合约：{{label}}',
    pays_by: '付款方式：{{label}}', column_missing: '{{column}} 缺失', column_value: '{{column}} = {{value}}',
    column_very_low: '{{column}} 很低（{{value}}）', column_low: '{{column}} 偏低（{{value}}）', column_typical: '{{column}} 正常（{{value}}）', column_high: '{{column}} 偏高（{{value}}）', column_very_high: '{{column}} 很高（{{value}}）',
  },
  editor: {
    title: '话术手册', version: '版本 {{version}}', publishedBy: '由 {{who}} 于 {{when}} 发布', scripts: '话术', offers: '优惠', language: '语言',
    scriptName: '话术名称', when: '适用于', anyCustomer: '任何客户', drivers: '流失原因', tiers: '价值等级', step: '步骤', stepTitle: '步骤标题', say: '坐席要说的话',
    mergeHint: '合并字段：{{fields}}', answers: '回答', answerLabel: '回答', leadsTo: '转到', endsScript: '结束话术', outcome: { saved: '留下', lost: '流失' },
    offerName: '名称', offerDescription: '说明', preview: '预览', previewHint: '以示例客户展示该步骤在通话中的样子', publish: '发布版本 {{version}}',
    publishing: '正在发布…', published: '版本 {{version}} 已发布：各坐席端下次同步时收到。', problems: '发布前请先修正：', edited: '有未发布的修改',
    discard: '放弃修改', noPlaybook: '还没有话术手册。', conflict: '期间已有人发布了版本 {{version}}：请重新载入后再修改。', sampleCustomer: '示例客户',
  },
  funnel: {
    title: '客户在哪一步流失', hint: '按话术和步骤统计通话小结：到达该步骤的通话数，以及停在该步骤的通话中留下和流失的数量。',
    script: '话术', step: '步骤', reached: '到达', saved: '在此留下', lost: '在此流失', calls_other: '{{count}} 通电话', empty: '还没有通话小结记录话术步骤。', refresh: '刷新', removedStep: '{{id}}（已不在话术手册中）',
  },
  tabs: { floor: '现场', playbook: '话术手册' },
};
