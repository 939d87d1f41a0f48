import { describe, expect, it } from 'vitest';
import { isTrustedSender, type IpcSender } from '../../../src-main/app/ipc-guard';

const trusted: IpcSender = { senderUrl: 'app://holdfast/index.html', isMainFrame: true, senderId: 7, expectedId: 7 };

describe('isTrustedSender', () => {
  it('accepts the main frame of our window on app://holdfast', () => {
    expect(isTrustedSender(trusted)).toBe(true);
    expect(isTrustedSender({ ...trusted, senderUrl: 'app://holdfast/' })).toBe(true);
    expect(isTrustedSender({ ...trusted, senderUrl: 'app://holdfast/index.html#/wrap-up?x=1' })).toBe(true);
  });

  it('rejects subframes, even on the app origin', () => {
    expect(isTrustedSender({ ...trusted, isMainFrame: false })).toBe(false);
  });

  it('rejects other webContents and a missing window', () => {
    expect(isTrustedSender({ ...trusted, senderId: 8 })).toBe(false);
    expect(isTrustedSender({ ...trusted, expectedId: null })).toBe(false);
  });

  it('rejects a missing or unparsable frame URL', () => {
    expect(isTrustedSender({ ...trusted, senderUrl: null })).toBe(false);
    expect(isTrustedSender({ ...trusted, senderUrl: undefined })).toBe(false);
    expect(isTrustedSender({ ...trusted, senderUrl: '' })).toBe(false);
    expect(isTrustedSender({ ...trusted, senderUrl: 'not a url' })).toBe(false);
  });

  it.each([
    'file:///opt/Holdfast/resources/app.asar/dist/renderer/index.html',
    'http://127.0.0.1:4870/index.html',
    'https://holdfast/index.html',
    'app://evil/index.html',
    'app://holdfast.evil.example/index.html',
    'app://holdfast:8080/index.html',
    'app://user:pw@holdfast/index.html',
    'apps://holdfast/index.html',
    'about:blank',
    'data:text/html,<script>1</script>',
    'devtools://devtools/bundled/inspector.html',
  ])('rejects %s', (senderUrl) => {
    expect(isTrustedSender({ ...trusted, senderUrl })).toBe(false);
  });
});
