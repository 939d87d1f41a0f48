import type { playbookMethods } from '@shared/contract/desktop/playbook';
import type { Handlers, MethodsOf } from '../desk/desk';
import type { ServerHttpClient } from '../server-link/server-http-client';
import type { SessionHolder } from '../session/session';

/**
 * The supervisor's playbook editor and funnel, straight to the server: it
 * checks and numbers what is published, enforces the supervisor role, and
 * sends the new version to every desktop through the feed (this one too).
 */
export class PlaybookDesk {
  constructor(
    private readonly sessions: SessionHolder,
    private readonly http: ServerHttpClient,
  ) {}

  readonly handlers: Handlers<MethodsOf<typeof playbookMethods>> = {
    'playbook.load': () => this.http.playbook(this.sessions.require().token),
    'playbook.publish': ({ baseVersion, playbook }) => this.http.publishPlaybook(this.sessions.require().token, baseVersion, playbook),
    'playbook.funnel': () => this.http.scriptFunnel(this.sessions.require().token),
  };
}
