import { z } from 'zod';
import { CANONICAL_FIELDS, canonicalRecordSchema } from '@shared/identity/canonical';
import type { CanonicalRecord } from '@shared/identity/canonical';
import { identityFindResponseSchema, identityRecordsResponseSchema } from '@shared/identity/agent-api';
import { candidateFromProfile } from '@shared/identity/pick';
import { IdentityActionError } from '../identity/identity-service';
import type { IngestSummary, ResolveSummary } from '../identity/identity-service';
import type { CustomerProfile } from '@shared/domain/customer';
import type { Principal } from '../auth/tokens';
import { callCustomersOf, readableBy, scopeOfPrincipal } from '../routing/customer-scope';
import { sendError } from './http-errors';
import { defineRoute } from './route-table';
import type { RouteDeps } from './routes';

const MAX_BATCH = 1000;
const ALLOWED_KEYS = new Set<string>(['record_id', ...CANONICAL_FIELDS, 'updated_at']);

const sourceSchema = z.string().trim().min(1).max(64).regex(/^[^:]+$/, 'a source name may not contain ":"');
/** resolve false: store only (a bulk import's batches), then POST /api/identity/resolve once. */
const ingestBodySchema = z.union([
  z.object({ source: sourceSchema, records: z.array(z.unknown()).min(1).max(MAX_BATCH, `at most ${MAX_BATCH} records per request`), resolve: z.boolean().default(true) }),
  z.object({ source: sourceSchema, record: z.unknown(), resolve: z.boolean().default(true) }),
]);
const rowErrorSchema = z.object({
  /** 1-based position of the record in the batch (its "line"). */
  line: z.number().int().positive(),
  recordId: z.string().nullable(),
  field: z.string().nullable(),
  reason: z.string(),
});
type RowError = z.infer<typeof rowErrorSchema>;
const ingestResponseSchema = z.object({
  inserted: z.number().int(), updated: z.number().int(), unchanged: z.number().int(),
  errors: z.array(rowErrorSchema),
  changedCustomers: z.array(z.string()),
  /** incremental: a few records placed into the last resolution; full: everything re-resolved; none: nothing changed or stored only. */
  resolution: z.enum(['incremental', 'full', 'none']),
});
const resolveResponseSchema = z.object({
  records: z.number().int(), clusters: z.number().int(), customers: z.number().int(),
  changedCustomers: z.array(z.string()), unlinkedRecords: z.number().int(), ms: z.number(),
});
const splitBodySchema = z.object({ customerId: z.string().min(1).max(64), recordIds: z.array(z.string().min(1).max(200)).min(1).max(MAX_BATCH) });
const mergeBodySchema = z.object({
  customerIds: z.array(z.string().min(1).max(64)).min(2).max(20).refine((ids) => new Set(ids).size === ids.length, 'customer ids must differ'),
});
const confirmBodySchema = z.object({ customerId: z.string().min(1).max(64) });
const findQuerySchema = z.object({ q: z.string().trim().min(2, 'type at least 2 characters').max(100) });
const customerParamsSchema = z.object({ id: z.string().min(1).max(64) });
const MAX_FOUND = 10;

/** One record of a batch, validated on its own so a bad row names itself and the good rows still import. */
function parseRow(raw: unknown, source: string, line: number): { record: CanonicalRecord } | { error: RowError } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { error: { line, recordId: null, field: null, reason: 'a record must be an object' } };
  const values: Record<string, unknown> = {};
  const recordId = typeof (raw as Record<string, unknown>).record_id === 'string' || typeof (raw as Record<string, unknown>).record_id === 'number'
    ? String((raw as Record<string, unknown>).record_id) : null;
  for (const [key, value] of Object.entries(raw)) {
    if (!ALLOWED_KEYS.has(key)) return { error: { line, recordId, field: key, reason: `unknown field "${key}"` } };
    if (value === null || value === undefined) continue;
    if (typeof value === 'number' && Number.isFinite(value)) values[key] = String(value);
    else if (typeof value === 'string') {
      if (value.length > 2000) return { error: { line, recordId, field: key, reason: 'value longer than 2000 characters' } };
      const text = value.trim();
      if (text.length > 0) values[key] = text;
    } else return { error: { line, recordId, field: key, reason: `${key} must be text or a number` } };
  }
  const parsed = canonicalRecordSchema.safeParse({ ...values, source });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { error: { line, recordId, field: issue?.path.join('.') || null, reason: issue?.message ?? 'invalid record' } };
  }
  return { record: parsed.data };
}

function actionFailed(error: unknown, reply: Parameters<typeof sendError>[0]): unknown {
  if (error instanceof IdentityActionError) return sendError(reply, error.status, error.code, error.message);
  throw error;
}

const summary = (result: ResolveSummary): ResolveSummary => result;

/**
 * Identity resolution over HTTP: integrations send source records (one or a
 * batch), agents and supervisors confirm, merge and split profiles. A few
 * records are placed into the last resolution incrementally; a bulk batch or
 * an agent's action re-resolves; the customers that changed go out on the change feed.
 */
export function identityRoutes(deps: Pick<RouteDeps, 'store' | 'identity' | 'routing' | 'agentCustomerScope' | 'callCustomers'>) {
  const { store, identity, agentCustomerScope } = deps;
  const callCustomers = callCustomersOf(deps);
  // Agents scoped to their languages find and read only those customers (and the ones on a call with them).
  const readable = async (principal: Principal | null, customers: readonly CustomerProfile[]): Promise<CustomerProfile[]> =>
    readableBy(await scopeOfPrincipal(store, principal, agentCustomerScope ?? 'all'), principal, callCustomers, customers);
  const actionResponses = {
    200: { description: 'Re-resolved; the customers that changed went out on the change feed', schema: resolveResponseSchema },
    404: { description: 'No such customer (unknown_customer)' },
    409: { description: 'The action does not fit the profile (not_in_profile, whole_profile)' },
  };
  return [
    defineRoute({
      method: 'GET', path: '/api/identity/find', operationId: 'findIdentities', tag: 'identity', roles: ['agent', 'supervisor'],
      summary: 'Profiles a customer id, phone number (any format) or account id points at, e.g. to pick one to merge with',
      query: findQuerySchema,
      responses: { 200: { description: `Up to ${MAX_FOUND} live profiles (merged-away ones are left out)`, schema: identityFindResponseSchema } },
      handler: async ({ query, principal }) => {
        const found = new Map<string, { confidence: number | null; matchedOn: string[] }>();
        for (const customer of await store.customersByIds([query.q])) found.set(customer.id, { confidence: null, matchedOn: ['customer id'] });
        for (const match of [identity.lookup({ phone: query.q }), identity.lookup({ accountId: query.q })]) {
          for (const candidate of match?.candidates ?? []) {
            if (!found.has(candidate.customerId)) found.set(candidate.customerId, { confidence: candidate.confidence, matchedOn: candidate.matchedOn });
          }
        }
        for (const id of await store.customerIdsByAccount(query.q)) if (!found.has(id)) found.set(id, { confidence: null, matchedOn: ['account'] });
        const ids = [...found.keys()].slice(0, MAX_FOUND * 2);
        const customers = await readable(principal, (await store.customersByIds(ids)).filter((customer) => customer.identity?.mergedInto === undefined));
        const byId = new Map(customers.map((customer) => [customer.id, customer]));
        const candidates = ids.flatMap((id) => {
          const customer = byId.get(id);
          const hit = found.get(id);
          return customer && hit ? [candidateFromProfile(customer, hit.confidence, hit.matchedOn)] : [];
        });
        return { candidates: candidates.slice(0, MAX_FOUND) };
      },
    }),
    defineRoute({
      method: 'GET', path: '/api/identity/customers/:id/records', operationId: 'identityRecordsOf', tag: 'identity', roles: ['agent', 'supervisor'],
      summary: "A profile's source records as their systems sent them (to choose which to split off)",
      params: customerParamsSchema,
      responses: {
        200: { description: 'The records resolved into the profile', schema: identityRecordsResponseSchema },
        404: { description: 'No such customer (unknown_customer)' },
      },
      handler: async ({ params, reply, principal }) => {
        const [profile] = await store.customersByIds([params.id]);
        if (profile && (await readable(principal, [profile])).length === 0) return sendError(reply, 404, 'unknown_customer', `No customer ${params.id} known to identity resolution`);
        try {
          const records = await identity.recordsOf(params.id);
          return {
            customerId: params.id,
            records: records.map((r) => ({
              source: r.source, recordId: r.record_id, name: [r.given_name, r.family_name].filter(Boolean).join(' '),
              dateOfBirth: r.date_of_birth ?? null, phone: r.phone ?? null, email: r.email ?? null, city: r.city ?? null,
              accountId: r.account_id ?? null, updatedAt: r.updated_at ?? null,
            })),
          };
        } catch (error) {
          return actionFailed(error, reply);
        }
      },
    }),
    defineRoute({
      method: 'POST', path: '/api/identity/records', operationId: 'ingestIdentityRecords', tag: 'identity', roles: ['telephony', 'supervisor'],
      summary: `Ingest source records (one, or a batch of up to ${MAX_BATCH}) from one source system`,
      description: 'Fields: record_id (required), ' + CANONICAL_FIELDS.join(', ') + ', updated_at. Keyed by source + record_id; a record sent again unchanged changes nothing. A bad record is reported by line (1-based position) and field; the good ones still import.',
      body: ingestBodySchema,
      responses: { 200: { description: 'Counts, per-record errors and the customers that changed', schema: ingestResponseSchema } },
      handler: async ({ body }) => {
        const rows = 'records' in body ? body.records : [body.record];
        const records: CanonicalRecord[] = [];
        const errors: RowError[] = [];
        const seen = new Set<string>();
        rows.forEach((raw, index) => {
          const row = parseRow(raw, body.source, index + 1);
          if ('error' in row) errors.push(row.error);
          else if (seen.has(row.record.record_id)) errors.push({ line: index + 1, recordId: row.record.record_id, field: 'record_id', reason: 'record_id repeated in this batch' });
          else {
            seen.add(row.record.record_id);
            records.push(row.record);
          }
        });
        let result: IngestSummary = { inserted: 0, updated: 0, unchanged: 0, changedCustomers: [], resolution: 'none' };
        if (records.length > 0) result = body.resolve ? await identity.ingest(records) : { ...(await identity.storeOnly(records)), changedCustomers: [], resolution: 'none' };
        return { ...result, errors };
      },
    }),
    defineRoute({
      method: 'POST', path: '/api/identity/resolve', operationId: 'resolveIdentities', tag: 'identity', roles: ['telephony', 'supervisor'],
      summary: 'Re-resolve every source record (after a bulk import sent with resolve: false)',
      responses: { 200: { description: 'Re-resolved; the customers that changed went out on the change feed', schema: resolveResponseSchema } },
      handler: async () => summary(await identity.resolve()),
    }),
    defineRoute({
      method: 'POST', path: '/api/identity/split', operationId: 'splitIdentity', tag: 'identity', roles: ['agent', 'supervisor'],
      summary: '"Not this person": move source records out of a profile, for good',
      description: 'recordIds are record ids as the profile lists them (or source:record_id). The split is remembered: no automatic run links those records to the profile again.',
      body: splitBodySchema,
      responses: actionResponses,
      handler: async ({ body, principal, reply }) => {
        try {
          return summary(await identity.split(body.customerId, body.recordIds, principal?.subject ?? 'unknown'));
        } catch (error) {
          return actionFailed(error, reply);
        }
      },
    }),
    defineRoute({
      method: 'POST', path: '/api/identity/merge', operationId: 'mergeIdentities', tag: 'identity', roles: ['agent', 'supervisor'],
      summary: '"Same person": merge profiles into the first one',
      description: 'The first customer keeps its id, business data and history; the others are marked mergedInto it. Remembered on every later run.',
      body: mergeBodySchema,
      responses: actionResponses,
      handler: async ({ body, principal, reply }) => {
        try {
          return summary(await identity.merge(body.customerIds, principal?.subject ?? 'unknown'));
        } catch (error) {
          return actionFailed(error, reply);
        }
      },
    }),
    defineRoute({
      method: 'POST', path: '/api/identity/confirm', operationId: 'confirmIdentity', tag: 'identity', roles: ['agent', 'supervisor'],
      summary: "Confirm a profile's source records are one person (confidence 1, kept together)",
      body: confirmBodySchema,
      responses: actionResponses,
      handler: async ({ body, principal, reply }) => {
        try {
          return summary(await identity.confirm(body.customerId, principal?.subject ?? 'unknown'));
        } catch (error) {
          return actionFailed(error, reply);
        }
      },
    }),
  ];
}
