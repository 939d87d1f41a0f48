import { describe, expect, it, vi } from 'vitest';
import type { DesktopMethod, DesktopEventName } from '@shared/contract/desktop-api';
import { createPreloadBridge, type PreloadTransport } from '../../../src-main/app/preload-bridge';

function fakeTransport(reply: unknown = { ok: true, value: { ok: true } }) {
  let deliver: ((event: unknown, payload: unknown) => void) | null = null;
  const transport = {
    invoke: vi.fn(async (_method: string, _input: unknown) => reply),
    subscribe: vi.fn((listener: (event: unknown, payload: unknown) => void) => {
      deliver = listener;
      return () => {
        deliver = null;
      };
    }),
  } satisfies PreloadTransport;
  return {
    transport,
    emit: (event: unknown, payload: unknown) => deliver?.(event, payload),
    subscribed: () => deliver !== null,
  };
}

describe('createPreloadBridge', () => {
  it('exposes exactly invoke and on, frozen', () => {
    const bridge = createPreloadBridge(fakeTransport().transport);
    expect(Reflect.ownKeys(bridge).sort()).toEqual(['invoke', 'on']);
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(typeof bridge.invoke).toBe('function');
    expect(typeof bridge.on).toBe('function');
  });

  it('passes contract methods to the transport and returns its result', async () => {
    const fake = fakeTransport({ ok: true, value: { ok: true } });
    const bridge = createPreloadBridge(fake.transport);
    const result = await bridge.invoke('call.accept', { callId: 'c1' });
    expect(result).toEqual({ ok: true, value: { ok: true } });
    expect(fake.transport.invoke).toHaveBeenCalledWith('call.accept', { callId: 'c1' });
  });

  it.each(['nope', 'constructor', '__proto__', 'toString', 'session', 42, null])(
    'refuses the unknown method %s without calling the transport',
    async (method) => {
      const fake = fakeTransport();
      const bridge = createPreloadBridge(fake.transport);
      const result = await bridge.invoke(method as unknown as DesktopMethod, {} as never);
      expect(result).toEqual({ ok: false, error: { code: 'unknown_method', message: expect.any(String) } });
      expect(fake.transport.invoke).not.toHaveBeenCalled();
    },
  );

  it('turns a transport failure into an error result', async () => {
    const fake = fakeTransport();
    fake.transport.invoke.mockRejectedValueOnce(new Error('channel closed'));
    const result = await createPreloadBridge(fake.transport).invoke('status.get', {});
    expect(result).toEqual({ ok: false, error: { code: 'ipc', message: 'channel closed' } });
  });

  it('refuses unknown events without subscribing', () => {
    const fake = fakeTransport();
    const bridge = createPreloadBridge(fake.transport);
    expect(() => bridge.on('call.exploded' as DesktopEventName, () => undefined)).toThrow(/Unknown event/);
    expect(() => bridge.on('hasOwnProperty' as DesktopEventName, () => undefined)).toThrow(/Unknown event/);
    expect(fake.transport.subscribe).not.toHaveBeenCalled();
  });

  it('delivers only the named event, only the payload, until unsubscribed', () => {
    const fake = fakeTransport();
    const bridge = createPreloadBridge(fake.transport);
    const offered = vi.fn();
    const updated = vi.fn();
    const offOffered = bridge.on('outreach.changed', offered);
    const offUpdated = bridge.on('call.changed', updated);
    expect(fake.transport.subscribe).toHaveBeenCalledTimes(1);

    fake.emit('call.changed', { version: 1, current: null, last: null });
    fake.emit('not.an.event', { evil: true });
    expect(updated).toHaveBeenCalledTimes(1);
    expect(updated.mock.calls[0]).toEqual([{ version: 1, current: null, last: null }]);
    expect(offered).not.toHaveBeenCalled();

    offUpdated();
    offUpdated();
    fake.emit('call.changed', { version: 2, current: null, last: null });
    expect(updated).toHaveBeenCalledTimes(1);
    expect(fake.subscribed()).toBe(true);

    offOffered();
    expect(fake.subscribed()).toBe(false);
    bridge.on('status.changed', () => undefined);
    expect(fake.transport.subscribe).toHaveBeenCalledTimes(2);
  });

  it('keeps two registrations of one listener independent, and survives a throwing listener', () => {
    const fake = fakeTransport();
    const bridge = createPreloadBridge(fake.transport);
    const listener = vi.fn();
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const first = bridge.on('session.changed', listener);
    bridge.on('session.changed', () => {
      throw new Error('boom');
    });
    bridge.on('session.changed', listener);
    fake.emit('session.changed', { serverUrl: 'x', user: null, demoUsers: [] });
    expect(listener).toHaveBeenCalledTimes(2);
    first();
    fake.emit('session.changed', { serverUrl: 'x', user: null, demoUsers: [] });
    expect(listener).toHaveBeenCalledTimes(3);
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
  });
});
