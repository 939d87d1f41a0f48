import type { Logger } from 'pino';
import type { TelephonyConfig } from '../config';
import type { TelephonyStore } from '../store/roles/telephony-store';
import { KamailioAdapter } from './sip/kamailio-adapter';
import type { TelephonyAdapter } from './telephony-adapter';
import { WebhookAdapter } from './webhook/webhook-adapter';

/** The configured phone system's adapter, or null (no phone system: the default). */
export function createTelephonyAdapter(config: TelephonyConfig, key: string, store: TelephonyStore, log: Logger): TelephonyAdapter | null {
  switch (config.adapter) {
    case 'none':
      return null;
    case 'sip':
      return new KamailioAdapter({
        kamailioUrl: config.sip.kamailioUrl,
        key,
        domain: config.sip.domain ?? new URL(config.sip.kamailioUrl).hostname,
        healthMs: config.sip.healthMs,
        proxy: config.sip.proxy,
        listen: config.sip.listen,
        defaultIntent: config.sip.defaultIntent,
        defaultLanguage: config.sip.defaultLanguage,
        queues: config.sip.queues,
        transferWaitMs: config.sip.transferWaitMs,
      }, log);
    case 'webhook':
      return new WebhookAdapter({ url: config.webhook.url as string, secret: config.webhook.secret as string, ...config.webhook }, store, log);
  }
}
