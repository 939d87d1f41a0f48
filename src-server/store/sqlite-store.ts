import { sqliteOfferDecisions } from './sqlite/offer-decisions';
import { sqliteAccountEvents } from './sqlite/account-events';
import { sqliteAccounts } from './sqlite/accounts';
import type { ServerStore } from './server-store';
import { sqliteAgents } from './sqlite/agents';
import { sqliteCalls } from './sqlite/calls';
import { sqliteCustomers } from './sqlite/customers';
import { openSqliteDatabase } from './sqlite/database';
import { sqliteDocuments } from './sqlite/documents';
import { sqliteFeed } from './sqlite/feed';
import { sqliteIdentity } from './sqlite/identity';
import { sqliteOutcomes } from './sqlite/outcomes';
import { sqlitePlaybook } from './sqlite/playbook';
import { sqliteReview } from './sqlite/review';
import { sqliteScoring } from './sqlite/scoring';
import { sqliteTelephony } from './sqlite/telephony';

/**
 * The routing server's embedded store: one SQLite file, each role's SQL in
 * its own module under sqlite/, all of them on the one connection (so a
 * write in one role and the feed position move together).
 */
export function openSqliteServerStore(file: string): ServerStore {
  const context = openSqliteDatabase(file);
  return {
    async close() {
      context.db.close();
    },
    ...sqliteAgents(context),
    ...sqliteAccounts(context),
    ...sqliteCustomers(context),
    ...sqliteFeed(context),
    ...sqlitePlaybook(context),
    ...sqliteDocuments(context),
    ...sqliteCalls(context),
    ...sqliteOutcomes(context),
    ...sqliteIdentity(context),
    ...sqliteScoring(context),
    ...sqliteAccountEvents(context),
    ...sqliteOfferDecisions(context),
    ...sqliteReview(context),
    ...sqliteTelephony(context),
  };
}
