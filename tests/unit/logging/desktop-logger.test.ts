import { describe, expect, it } from 'vitest';
import { createDesktopLogger } from '../../../src-main/services/logging/logger';

/** A destination that keeps every line pino writes, parsed. */
function capture(): { write(line: string): void; lines: Record<string, unknown>[]; text: () => string } {
  const raw: string[] = [];
  return {
    write: (line: string) => void raw.push(line),
    get lines() { return raw.map((line) => JSON.parse(line) as Record<string, unknown>); },
    text: () => raw.join(''),
  };
}

const SECRETS = { token: 'tok-3f9a7c', password: 'hunter2-pw', apiKey: 'sk-live-91b2', cardNumber: '4111 1111 1111 1111' };

describe('desktop logger', () => {
  it('censors tokens, passwords, API keys and card numbers, at the top of a log object and one level down', () => {
    const out = capture();
    const log = createDesktopLogger({ destination: out, env: {} });
    log.info({ ...SECRETS, customerId: 'c-17' }, 'signed in');
    log.warn({ session: SECRETS, attempt: 2 }, 'retrying');

    const [top, nested] = out.lines;
    expect(top).toMatchObject({ token: '[redacted]', password: '[redacted]', apiKey: '[redacted]', cardNumber: '[redacted]', customerId: 'c-17', msg: 'signed in', name: 'holdfast-desktop' });
    expect(nested).toMatchObject({ session: { token: '[redacted]', password: '[redacted]', apiKey: '[redacted]', cardNumber: '[redacted]' }, attempt: 2 });
    for (const secret of Object.values(SECRETS)) expect(out.text()).not.toContain(secret);
  });

  it('censors personal data like the server does', () => {
    const out = capture();
    createDesktopLogger({ destination: out, env: {} }).info({ customer: { phone: '+15551234567', email: 'ana@example.com', givenName: 'Ana' }, notes: 'called about her bill' });
    expect(out.text()).not.toMatch(/5551234567|ana@example\.com|Ana|her bill/);
  });

  it("logs at 'info' by default, at HOLDFAST_LOG_LEVEL when set, and at the level option above both", () => {
    expect(createDesktopLogger({ destination: capture(), env: {} }).level).toBe('info');
    expect(createDesktopLogger({ destination: capture(), env: { HOLDFAST_LOG_LEVEL: 'debug' } }).level).toBe('debug');
    expect(createDesktopLogger({ destination: capture(), env: { HOLDFAST_LOG_LEVEL: 'debug' }, level: 'warn' }).level).toBe('warn');
    expect(() => createDesktopLogger({ destination: capture(), env: { HOLDFAST_LOG_LEVEL: 'verbose' } })).toThrow(/HOLDFAST_LOG_LEVEL/);

    const out = capture();
    const log = createDesktopLogger({ destination: out, env: { HOLDFAST_LOG_LEVEL: 'warn' } });
    log.info('not written');
    log.warn('written');
    expect(out.lines.map((line) => line.msg)).toEqual(['written']);
  });

  it('writes nothing when silent', () => {
    const out = capture();
    const log = createDesktopLogger({ destination: out, silent: true, level: 'trace', env: {} });
    log.error(SECRETS, 'not written');
    expect(out.lines).toHaveLength(0);
  });
});
