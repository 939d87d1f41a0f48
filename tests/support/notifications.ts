import type { BrowserContext, CDPSession, Page } from 'playwright-core';

/** A system notification the page made, and whether the page had focus at that moment. */
export interface RecordedNotice { title: string; body: string; focused: boolean; visibility: string }

/**
 * Lets the pages of `context` show notifications and records each one they
 * make (the real Notification is still created, so permission and the API
 * behave as in a browser; only the record is added).
 */
export async function recordNotifications(context: BrowserContext, origin: string): Promise<void> {
  await context.grantPermissions(['notifications'], { origin });
  await context.addInitScript(() => {
    const Real = window.Notification;
    const seen: Array<{ title: string; body: string; focused: boolean; visibility: string }> = [];
    (window as unknown as { __notices: typeof seen }).__notices = seen;
    class Recorded extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        seen.push({ title, body: options?.body ?? '', focused: document.hasFocus(), visibility: document.visibilityState });
      }
    }
    Object.defineProperty(window, 'Notification', { value: Recorded, configurable: true, writable: true });
  });
}

export function notices(page: Page): Promise<RecordedNotice[]> {
  return page.evaluate(() => (window as unknown as { __notices: RecordedNotice[] }).__notices);
}

/**
 * Puts another window in front of `page`, with Playwright's focus emulation
 * off so the page really loses focus. Returns how to bring it back.
 */
export async function putBehind(context: BrowserContext, page: Page): Promise<{ cdp: CDPSession; bringBack(): Promise<void> }> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: false });
  const other = await context.newPage();
  await other.bringToFront();
  return {
    cdp,
    async bringBack() {
      await page.bringToFront();
      await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: true });
      await other.close();
    },
  };
}
