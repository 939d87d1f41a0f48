import type { attentionMethods } from '@shared/contract/desktop-api';
import type { Handlers, MethodsOf, ParsedInput } from '../desk/desk';

/** Shows a system notification; false when the host has none (browser mode: the page uses the web API). */
export type Notifier = (notice: ParsedInput<'attention.notify'>) => boolean;

/** Hands "a call / an outreach task is waiting" to the host's notifications (Electron's, injected by the glue). */
export class AttentionDesk {
  constructor(private readonly notifier: Notifier | null) {}

  readonly handlers: Handlers<MethodsOf<typeof attentionMethods>> = {
    'attention.notify': (notice) => ({ shown: this.notifier !== null && this.notifier(notice) }),
  };
}
