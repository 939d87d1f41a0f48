import { describe, expect, it } from 'vitest';
import { isAllowedReturnTo, oidcConfigSchema, roleFromGroups, roleGroupsSchema } from '../../../src-server/auth/oidc';
import { serverConfigFromEnv, serverConfigSchema } from '../../../src-server/config';

describe('single sign-on settings', () => {
  it('maps groups to the highest role', () => {
    const groups = roleGroupsSchema.parse('supervisor=cc-supervisors, agent=cc-agents,admin=cc-admins,agent=contractors');
    expect(roleFromGroups(['cc-agents', 'cc-supervisors'], groups)).toBe('supervisor');
    expect(roleFromGroups(['contractors'], groups)).toBe('agent');
    expect(roleFromGroups(['cc-admins', 'cc-agents'], groups)).toBe('admin');
    expect(roleFromGroups(['finance'], groups)).toBeNull();
    expect(roleFromGroups([], groups)).toBeNull();
  });

  it('refuses a mapping that is not role=group', () => {
    expect(roleGroupsSchema.safeParse('owner=cc-owners').success).toBe(false);
    expect(roleGroupsSchema.safeParse('agent').success).toBe(false);
    expect(roleGroupsSchema.safeParse('').success).toBe(false);
  });

  it('is off unless HOLDFAST_OIDC_ISSUER is set, and reads the rest from HOLDFAST_OIDC_*', () => {
    expect(serverConfigSchema.parse(serverConfigFromEnv({})).oidc).toBeUndefined();
    const config = serverConfigSchema.parse(serverConfigFromEnv({
      HOLDFAST_OIDC_ISSUER: 'https://login.example.com', HOLDFAST_OIDC_CLIENT_ID: 'holdfast', HOLDFAST_OIDC_ROLE_GROUPS: 'agent=cc-agents',
    })).oidc;
    expect(config).toMatchObject({ issuer: 'https://login.example.com', clientId: 'holdfast', groupsClaim: 'groups' });
    expect(config?.clientSecret).toBeUndefined();
    expect(config?.roleGroups.get('cc-agents')).toBe('agent');
    // An issuer without a client or a mapping stops the server at start.
    expect(() => serverConfigSchema.parse(serverConfigFromEnv({ HOLDFAST_OIDC_ISSUER: 'https://login.example.com' }))).toThrow();
    expect(oidcConfigSchema.safeParse({ issuer: 'not a url', clientId: 'x', roleGroups: 'agent=a' }).success).toBe(false);
  });

  it('sends the browser back to loopback addresses only', () => {
    expect(isAllowedReturnTo('http://127.0.0.1:5173/')).toBe(true);
    expect(isAllowedReturnTo('http://[::1]:4000/done')).toBe(true);
    expect(isAllowedReturnTo('http://localhost:4000/')).toBe(true);
    expect(isAllowedReturnTo('https://attacker.example/')).toBe(false);
    expect(isAllowedReturnTo('http://127.0.0.1.attacker.example/')).toBe(false);
    expect(isAllowedReturnTo('http://user:pw@127.0.0.1/')).toBe(false);
    expect(isAllowedReturnTo('javascript:alert(1)')).toBe(false);
    expect(isAllowedReturnTo('/relative')).toBe(false);
  });
});
