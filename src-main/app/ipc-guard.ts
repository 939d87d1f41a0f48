import { isAppUrl } from './app-origin';

/** What the main process knows about who sent an IPC message, as plain data. */
export interface IpcSender {
  /** URL of the sending frame; null when Electron could not tell (frame gone or navigated). */
  senderUrl: string | null | undefined;
  /** Whether the sending frame is the top frame of its page. */
  isMainFrame: boolean;
  /** `event.sender.id`: the webContents the message came from. */
  senderId: number;
  /** The id of our window's webContents; null when there is no window. */
  expectedId: number | null;
}

/**
 * Only our own page, in the top frame of our own window, may drive the
 * backend: not an iframe, not another window, not a page that navigated
 * elsewhere (file://, http://), and not a frame Electron cannot identify.
 */
export function isTrustedSender(sender: IpcSender): boolean {
  if (sender.expectedId === null || sender.senderId !== sender.expectedId) return false;
  if (!sender.isMainFrame) return false;
  return isAppUrl(sender.senderUrl);
}
