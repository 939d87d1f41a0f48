import type { accountsMethods } from '@shared/contract/desktop-api';
import type { Handlers, MethodsOf } from '../desk/desk';
import { ServerRequestError, type ServerHttpClient } from '../server-link/server-http-client';
import type { SessionHolder } from '../session/session';

/**
 * The server's account rules answer `invalid_request` with the field first in the message
 * ("username: use lower-case letters ...") but without `field`: name it, so the form shows it there.
 */
const FIELD_IN_MESSAGE = /^(username|displayName|role|languages|skills)(?:\.[\w.]+)?: /;

async function namingField<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof ServerRequestError && error.field === undefined) {
      const field = FIELD_IN_MESSAGE.exec(error.message)?.[1];
      if (field) throw new ServerRequestError(error.status, error.code, error.message, field);
    }
    throw error;
  }
}

/**
 * Accounts, for admins: list, add, disable, enable and reset a password through
 * the server's admin routes. Roles are the server's to enforce: anyone else
 * asking gets its 403 back as data. The desk keeps no state of its own; the
 * one-time passwords it passes on are not kept anywhere.
 */
export class AccountsDesk {
  constructor(
    private readonly sessions: SessionHolder,
    private readonly http: ServerHttpClient,
  ) {}

  readonly handlers: Handlers<MethodsOf<typeof accountsMethods>> = {
    'accounts.list': () => this.http.users(this.token()),
    'accounts.add': (account) => namingField(this.http.addUser(this.token(), account)),
    'accounts.disable': ({ username }) => this.http.userAction(this.token(), username, 'disable'),
    'accounts.enable': ({ username }) => this.http.userAction(this.token(), username, 'enable'),
    'accounts.resetPassword': ({ username }) => this.http.resetUserPassword(this.token(), username),
  };

  private token(): string {
    return this.sessions.require().token;
  }
}
