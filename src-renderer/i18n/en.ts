/** English UI strings; the other languages mirror these keys. */
export const en = {
  app: { name: 'Holdfast', tagline: 'Keep the customers who are about to leave' },
  login: {
    title: 'Sign in', username: 'Username', password: 'Password', submit: 'Sign in', server: 'Server',
    demoUsers: 'Demo users (password "demo")', agent: 'Agent', supervisor: 'Supervisor', failed: 'Sign-in failed: {{message}}',
  },
  status: {
    online: 'Online', connecting: 'Connecting…', offline: 'Offline', pending_one: '{{count}} change waiting to sync',
    pending_other: '{{count}} changes waiting to sync', syncing: 'Syncing customers {{done}} of {{total}}', ready: 'Ready', away: 'Away',
    goReady: 'Go ready', goAway: 'Go away', signOut: 'Sign out', presence: { available: 'Ready', away: 'Away', reserved: 'Ringing', on_call: 'On call', wrap_up: 'Wrap-up', offline: 'Offline' },
  },
  idle: {
    readyTitle: 'Ready for the next call', awayTitle: 'You are away', awayHint: 'Go ready to start receiving calls.',
    readyHint: 'The caller’s profile, risk and script appear here the moment a call rings.', saved: 'Wrap-up saved.',
    missedCall: 'The call rang out and went to another agent. You are set to away.', callGone: 'The caller hung up before you answered.',
  },
  call: {
    incoming: 'Incoming call', onCall: 'On call', wrapUp: 'Wrap-up', accept: 'Answer', decline: 'Decline', hangUp: 'End call',
    secondsLeft: '{{count}}s to answer', unknownCaller: 'Unknown caller', matchedBy: 'Matched by {{method}}, {{confidence}}',
    pickCandidate: 'Not sure who this is — candidates:', intent: 'Intent', language: 'Language',
  },
  profile: {
    title: 'Customer', phone: 'Phone', email: 'Email', account: 'Account', plan: 'Plan', tenure: 'Customer for', months: '{{count}} months',
    contract: 'Contract', contractEnds: 'ends {{date}}', address: 'Address', dob: 'Born', source: 'from {{source}}', none: '—', doNotCall: 'Do not call',
    edit: 'Edit', save: 'Save', cancel: 'Cancel',
  },
  risk: {
    title: 'Churn risk', band: { low: 'Low', medium: 'Medium', high: 'High' }, heuristic: 'Heuristic estimate — not yet a trained model',
    model: 'Model {{version}}', noScore: 'No risk score for this caller yet.', reasons: 'Why',
    tooltip: 'Chance this customer leaves in the next 90 days. Made by {{version}}.',
  },
  value: {
    title: 'Value', clv: 'Lifetime value (12 mo)', tier: 'Tier', tierName: { high: 'High value', mid: 'Mid value', low: 'Low value' },
    atRisk: 'Value at risk', tooltipClv: 'Expected margin over the next 12 months. Made by {{version}}.',
    tooltipRisk: 'Churn probability × lifetime value: what is lost if they leave.',
  },
  script: { title: 'Retention script', offers: 'Best offers for this customer', acceptance: '{{pct}}% likely to accept', evidence: '{{accepted}}/{{made}} accepted in this segment', noEvidence: 'No history in this segment yet', perMonth: '{{cost}}/mo for {{months}} mo' },
  brief: {
    title: 'Brief', onDevice: 'On-device summary', model: 'AI summary ({{model}})', waiting: 'Asking the AI…', writing: 'AI writing…',
    empty: 'No previous contact.', fellBack: 'AI brief not available ({{reason}}); showing the on-device summary.', incomplete: 'The AI brief was cut short ({{reason}}).',
  },
  settings: {
    open: 'AI settings', title: 'AI settings', close: 'Close', save: 'Save', saved: 'Saved.',
    privacy: 'Before anything leaves this computer, names, phone numbers, e-mail addresses, card, account and ID numbers are replaced by placeholders. Every request is logged under "What the AI saw".',
    baseUrl: 'Endpoint URL', baseUrlHint: 'Any OpenAI-compatible endpoint, e.g. https://api.openai.com/v1 or http://localhost:11434/v1. Leave empty for on-device summaries only.',
    model: 'Model', apiKey: 'API key', keyStored: 'A key is stored on this computer. Type a new one to replace it.', keyNone: 'No key stored (local servers often need none).',
    removeKey: 'Remove the stored key', timeout: 'Wait for the AI’s first words (seconds)', timeoutHint: 'If nothing arrives by then, the on-device summary stays on screen.',
    timeoutInvalid: 'Enter a number of seconds, e.g. 4.',
    test: 'Test connection', testing: 'Testing…', testOk: 'Connected in {{ms}} ms; {{count}} models available.', modelMissing: 'The model "{{model}}" is not among them.',
    testFailed: 'Connection failed: {{reason}}.', mode: { onDevice: 'On-device only', model: 'AI: {{model}}' },
  },
  failure: {
    'first-token-timeout': 'no answer in time', 'request-timeout': 'timed out', 'rate-limited': 'rate limited (429)', 'server-error': 'the endpoint had a server error',
    'network-error': 'cannot reach the endpoint', 'auth-error': 'the API key was refused', 'bad-request': 'the endpoint refused the request',
    'retry-after-too-long': 'the endpoint asked to wait too long', 'stream-broken': 'the answer broke off', 'bad-response': 'the answer could not be read',
    aborted: 'cancelled', 'not-configured': 'no endpoint set', 'empty-output': 'the answer was empty', 'malformed-stream': 'the answer could not be read', 'internal-error': 'internal error',
  },
  audit: {
    open: 'What the AI saw', title: 'What the AI saw', thisCall: 'This call only', empty: 'Nothing has been sent to an AI from this desktop yet.',
    emptyCall: 'Nothing was sent for this call: the brief was already in this computer’s cache from an earlier request (untick “This call only” to see it).',
    intro: 'Every request this desktop sent to an AI endpoint, exactly as sent. Personal data was replaced by placeholders before it left this computer; the hash lets an auditor check the stored copy.',
    when: 'When', who: 'Agent', customer: 'Customer', what: 'For', model: 'Model', tokens: 'Tokens', hash: 'Payload hash',
    purpose: { brief: 'Brief', wrapup: 'Wrap-up draft' }, fellBack: 'fell back: {{reason}}', tokenSplit: '{{prompt}} prompt + {{completion}} answer',
    payloadTitle: 'Sent to {{host}}', verified: 'Hash matches', notVerified: 'Hash does not match', raw: 'Exact request body',
    role: { system: 'Instructions', user: 'Data sent', assistant: 'Assistant' },
  },
  timeline: { title: 'History', empty: 'No previous contact.', channel: { call: 'Call', chat: 'Chat', email: 'Email', ticket: 'Ticket', sms: 'SMS' }, open: 'open', offer: 'Offer {{offer}}: {{result}}', promise: 'Promised: {{promise}}' },
  wrapup: {
    title: 'Wrap-up', disposition: 'Disposition', offerMade: 'Offer made', noOffer: 'No offer', outcome: 'Offer outcome', notes: 'Notes',
    summary: 'Summary', save: 'Save wrap-up', saving: 'Saving…', savedOffline: 'Saved on this computer; it will sync when the connection is back.',
    dispositions: { retained: 'Retained', churned: 'Leaving', undecided: 'Undecided', callback: 'Call back', not_retention: 'Not a retention call' },
    outcomes: { accepted: 'Accepted', declined: 'Declined', no_offer: 'No offer made' },
    draft: 'Draft with AI', drafting: 'Drafting…', transcript: 'Transcript (optional)', transcriptHint: 'Paste the call transcript: lines starting "Agent:" or "Customer:".',
    followUps: 'Follow-ups (one per line)', followUpsHeading: 'Follow-ups:', draftedByModel: 'Drafted by AI ({{model}}) from your notes — check and edit before saving.',
    draftedOnDevice: 'Drafted on this computer from your notes — check and edit before saving.', draftFallback: 'AI not available ({{reason}}); drafted on this computer instead.',
    because: 'Suggested because the notes say “{{cue}}”.', autosaved: 'Draft kept {{time}}', restored: 'Your unsaved wrap-up for this call was restored.',
    tooLong: 'Summary and follow-ups together may be at most {{max}} characters.',
  },
  supervisor: {
    title: 'Retention floor', agents: 'Agents', queue: 'Queue', outcomes: 'Recent outcomes', saveRate: 'Save rate today', calls: 'Calls today',
    saves: 'Saves', waiting: 'Waiting', empty: 'No calls waiting.', noOutcomes: 'No outcomes yet today.', time: 'Time', agent: 'Agent',
    customer: 'Customer', disposition: 'Disposition', offer: 'Offer', valueTier: 'Tier', presence: 'Status', languages: 'Languages', since: 'since {{time}}',
    chartTitle: 'Calls and saves by agent (today)', valueSaved: 'Value kept today',
  },
  language: { en: 'English', he: 'Hebrew', ru: 'Russian', zh: 'Chinese', ar: 'Arabic', es: 'Spanish' },
  intent: { billing: 'Billing', technical: 'Technical', cancellation: 'Cancellation', plan_change: 'Plan change', general: 'General' },
};
export type Messages = typeof en;
