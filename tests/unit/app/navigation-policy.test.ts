import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, isAppUrl } from '../../../src-main/app/app-origin';
import { externalLinkToOpen, isInternalNavigation } from '../../../src-main/app/navigation-policy';

describe('navigation policy', () => {
  it('keeps navigation inside app://holdfast', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isInternalNavigation('app://holdfast/index.html')).toBe(true);
    expect(isInternalNavigation('APP://HOLDFAST/index.html')).toBe(true);
    expect(isInternalNavigation('https://example.com/')).toBe(false);
    expect(isInternalNavigation('file:///etc/passwd')).toBe(false);
    expect(isInternalNavigation('app://other/index.html')).toBe(false);
    expect(isInternalNavigation('javascript:alert(1)')).toBe(false);
  });

  it('opens only https links, without credentials, in the OS browser', () => {
    expect(externalLinkToOpen('https://example.com/help?q=1')).toBe('https://example.com/help?q=1');
    expect(externalLinkToOpen('http://example.com/')).toBeNull();
    expect(externalLinkToOpen('file:///etc/passwd')).toBeNull();
    expect(externalLinkToOpen('javascript:alert(1)')).toBeNull();
    expect(externalLinkToOpen('smb://server/share')).toBeNull();
    expect(externalLinkToOpen('https://user:secret@example.com/')).toBeNull();
    expect(externalLinkToOpen('not a url')).toBeNull();
  });
});
