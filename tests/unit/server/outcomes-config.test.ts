import { describe, expect, it } from 'vitest';
import { serverConfigFromEnv, serverConfigSchema } from '../../../src-server/config';

describe('verified outcomes and retraining settings', () => {
  it('defaults to 30/60/90-day horizons, learning at 30, and no scheduled retraining', () => {
    const config = serverConfigSchema.parse(serverConfigFromEnv({}));
    expect(config.outcomes).toMatchObject({ horizonsDays: [30, 60, 90], learnHorizonDays: 30 });
    expect(config.retrain.cron).toBeUndefined();
  });

  it('reads the horizons, the learning horizon and a cron pattern from the environment', () => {
    const config = serverConfigSchema.parse(serverConfigFromEnv({ HOLDFAST_OUTCOME_HORIZONS_DAYS: '14, 45', HOLDFAST_OUTCOME_LEARN_HORIZON_DAYS: '45', HOLDFAST_RETRAIN_CRON: '0 3 * * *' }));
    expect(config.outcomes).toMatchObject({ horizonsDays: [14, 45], learnHorizonDays: 45 });
    expect(config.retrain.cron).toBe('0 3 * * *');
  });

  it('refuses a learning horizon that is not a horizon, and a cron pattern croner cannot read, naming the setting', () => {
    const horizon = serverConfigSchema.safeParse(serverConfigFromEnv({ HOLDFAST_OUTCOME_LEARN_HORIZON_DAYS: '20' }));
    expect(horizon.success ? '' : horizon.error.issues[0]?.message).toContain('HOLDFAST_OUTCOME_LEARN_HORIZON_DAYS');
    const cron = serverConfigSchema.safeParse(serverConfigFromEnv({ HOLDFAST_RETRAIN_CRON: 'every night' }));
    expect(cron.success ? '' : cron.error.issues[0]?.message).toContain('cron pattern');
  });
});
