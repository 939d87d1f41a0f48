import { describe, expect, it } from 'vitest';
import { serverConfigFromEnv, serverConfigSchema } from '../../../src-server/config';

const parse = (env: Record<string, string>) => serverConfigSchema.safeParse({ ...serverConfigFromEnv(env), dataDir: '/tmp/unused' });

describe('outreach settings from the environment', () => {
  it('reads the calling hours (customer local time) and the blended flag', () => {
    const config = parse({ HOLDFAST_OUTREACH_CALLING_HOURS: '08:30-21:00', HOLDFAST_OUTREACH_BLENDED: '0' });
    expect(config.success && config.data.outreach).toMatchObject({ blended: false, callingHours: { start: '08:30', end: '21:00' } });
    const defaults = parse({});
    expect(defaults.success && defaults.data.outreach.callingHours).toEqual({ start: '09:00', end: '20:00' });
    expect(defaults.success && defaults.data.outreach.blended).toBe(true);
  });

  it('names a calling hour that is not a time of day', () => {
    for (const hours of ['9am-5pm', '24:00-25:00', '09:00-']) {
      const bad = parse({ HOLDFAST_OUTREACH_CALLING_HOURS: hours });
      expect(bad.success).toBe(false);
      expect(bad.error?.issues[0]?.path.join('.')).toMatch(/^outreach\.callingHours\.(start|end)$/);
      expect(bad.error?.issues[0]?.message).toContain('HH:MM');
    }
  });
});
