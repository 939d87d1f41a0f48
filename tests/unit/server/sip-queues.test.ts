import { describe, expect, it } from 'vitest';
import { serverConfigFromEnv, serverConfigSchema } from '../../../src-server/config';
import { queueOf, referTarget, sipQueuesSchema } from '../../../src-server/telephony/sip/sip-queues';

const OWN = new Set(['pbx.example.com', '127.0.0.1']);
const QUEUES = { 7000: {}, 7001: { language: 'ru' as const }, 'support-billing': { skill: 'billing' } };

describe('SIP queue numbers for transfers', () => {
  it('reads HOLDFAST_SIP_QUEUES: numbers, each optionally with a language and a skill', () => {
    expect(sipQueuesSchema.parse('7000, 7001=ru,7002=/billing,support-ru=ru/retention')).toEqual({
      7000: {}, 7001: { language: 'ru' }, 7002: { skill: 'billing' }, 'support-ru': { language: 'ru', skill: 'retention' },
    });
    expect(sipQueuesSchema.parse({ 7000: { skill: 'billing' } })).toEqual({ 7000: { skill: 'billing' } });
  });

  it('names the entry that is wrong', () => {
    const badLanguage = sipQueuesSchema.safeParse('7000,7001=xx');
    expect(badLanguage.success).toBe(false);
    expect(badLanguage.error?.issues[0]?.path).toEqual(['7001', 'language']);
    expect(sipQueuesSchema.safeParse('7000,bad number').success).toBe(false);
    expect(sipQueuesSchema.safeParse(' , ').success).toBe(false);
  });

  it('is 7000 by default and taken from the environment', () => {
    expect(serverConfigSchema.parse({}).telephony.sip.queues).toEqual({ 7000: {} });
    const config = serverConfigSchema.parse(serverConfigFromEnv({ HOLDFAST_SIP_QUEUES: '5000=es', HOLDFAST_SIP_TRANSFER_WAIT_MS: '5000' }));
    expect(config.telephony.sip.queues).toEqual({ 5000: { language: 'es' } });
    expect(config.telephony.sip.transferWaitMs).toBe(5000);
  });

  it('reads the user and host of a Refer-To URI', () => {
    expect(referTarget('<sip:7000@PBX.example.com:5060;transport=udp>')).toEqual({ user: '7000', host: 'pbx.example.com' });
    expect(referTarget('sips:support%2Dbilling@127.0.0.1')).toEqual({ user: 'support-billing', host: '127.0.0.1' });
    expect(referTarget('tel:+15551230000')).toEqual({ user: '+15551230000', host: null });
    expect(referTarget('sip:pbx.example.com')).toBeNull();
    expect(referTarget('http://example.com/')).toBeNull();
  });

  it('tells a transfer to one of Holdfast\'s queue numbers from one anywhere else', () => {
    expect(queueOf('<sip:7000@pbx.example.com>', QUEUES, OWN)).toEqual({});
    expect(queueOf('sip:7001@127.0.0.1:5060', QUEUES, OWN)).toEqual({ language: 'ru' });
    expect(queueOf('sip:support-billing@pbx.example.com', QUEUES, OWN)).toEqual({ skill: 'billing' });
    expect(queueOf('tel:7000', QUEUES, OWN)).toEqual({});
    // Another host with the same number, another number at Holdfast's host: out of Holdfast.
    expect(queueOf('sip:7000@other-pbx.example.net', QUEUES, OWN)).toBeNull();
    expect(queueOf('sip:1002@pbx.example.com', QUEUES, OWN)).toBeNull();
    expect(queueOf('sip:toString@pbx.example.com', QUEUES, OWN)).toBeNull();
  });
});
