import { Cron } from 'croner';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { intentSchema } from '@shared/domain/call';
import { oidcConfigSchema } from './auth/oidc';
import { signInLimitsSchema } from './auth/sign-in';
import { valueConfigFromEnv, valueConfigSchema } from './scoring/value-config';
import { closeUp, privateDir } from './private-files';
import { sipQueuesSchema } from './telephony/sip/sip-queues';

/** Per-queue overrides of the routing engine (a queue is named after the call's intent). */
const queueRoutingSchema = z.object({
  /** 'predictive' (learnt agent x segment save rates, joint assignment) or 'longestIdle'. */
  policy: z.enum(['predictive', 'longestIdle']).optional(),
  /** Share of calls routed by longest-idle as the measured baseline arm. */
  baselineShare: z.number().min(0).max(1).optional(),
  reservationTimeoutMs: z.number().int().min(100).optional(),
  /** Minimum language proficiency (1..5) to take this queue's calls. */
  minProficiency: z.number().int().min(1).max(5).optional(),
});
export type QueueRoutingConfig = z.infer<typeof queueRoutingSchema>;

export const routingConfigSchema = z.object({
  /** Matching policy of every queue without its own. */
  policy: z.enum(['predictive', 'longestIdle']).default('predictive'),
  /** Share of calls routed by longest-idle, so the uplift of the policy is measured, not claimed. */
  baselineShare: z.number().min(0).max(1).default(0.1),
  queues: z.partialRecord(intentSchema, queueRoutingSchema).default({}),
  /** An agent who declines an offer is set away (as in most ACDs), so the next call does not bounce too. */
  onReject: z.enum(['available', 'away']).default('away'),
  /** An agent who lets an offer lapse is most likely not at the desk. */
  onExpire: z.enum(['available', 'away']).default('away'),
  /** Calls answered within this many seconds count toward the service level. */
  serviceLevelSeconds: z.number().positive().default(20),
  /** The router's state is written at most this often (and always on shutdown). */
  stateSaveDebounceMs: z.number().int().min(0).max(60_000).default(250),
  /**
   * Events are routed together once this long after the first of them, so
   * calls and agents that turn up together are assigned jointly. 0: at the end
   * of the current event-loop turn (no added delay; coalesces what arrived together).
   */
  coalesceMs: z.number().int().min(0).max(1000).default(0),
});
export type RoutingConfig = z.infer<typeof routingConfigSchema>;

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM (24 h)');

export const outreachServerConfigSchema = z.object({
  /** Whether idle agents are offered outbound preview tasks when no inbound call waits for them. */
  blended: z.boolean().default(true),
  /** Customers' local calling hours (HH:MM, 24 h). */
  callingHours: z.object({ start: clockTime.default('09:00'), end: clockTime.default('20:00') }).prefault({}),
  maxAttempts: z.number().int().min(1).default(3),
  /** Attempts older than this no longer count toward maxAttempts. */
  attemptWindowDays: z.number().positive().default(30),
  /** No outbound call within this many hours of any contact. */
  coolOffHours: z.number().nonnegative().default(48),
  /** How many of the highest value-at-risk customers are considered. */
  candidates: z.number().int().min(1).max(5000).default(300),
  /** How long the candidate list is reused before it is read again. */
  refreshMs: z.number().int().min(0).default(30_000),
  /** How long an agent has to accept or skip a preview task. */
  taskTimeoutMs: z.number().int().min(1000).default(60_000),
  /** How long a customer an agent skipped is not offered to that agent again. */
  skipQuietMs: z.number().int().min(0).default(30 * 60_000),
  /** How often idle agents are looked at for a task (besides whenever an agent becomes free). */
  sweepMs: z.number().int().min(100).default(5_000),
});
export type OutreachServerConfig = z.infer<typeof outreachServerConfigSchema>;

/** Verified outcomes: horizons (days after a claimed save), the one learners use, and how often claims are verified again. */
export const outcomesConfigSchema = z.object({
  horizonsDays: z.array(z.coerce.number().int().min(1).max(3650)).min(1).default([30, 60, 90]),
  learnHorizonDays: z.coerce.number().int().min(1).default(30),
  windowDays: z.coerce.number().int().min(1).default(365),
  refreshMs: z.coerce.number().int().min(1000).default(3_600_000),
}).refine((c) => c.horizonsDays.includes(c.learnHorizonDays), { message: 'the learning horizon (HOLDFAST_OUTCOME_LEARN_HORIZON_DAYS) must be one of the horizons (HOLDFAST_OUTCOME_HORIZONS_DAYS)', path: ['learnHorizonDays'] });

/** Offers that learn: the exploration share and the guardrails (see src-server/offers/offer-learner.ts). */
export const offersConfigSchema = z.object({
  exploration: z.coerce.number().min(0).max(1).default(0.02),
  maxCostShare: z.coerce.number().positive().max(10).default(0.5),
  declineCooldownDays: z.coerce.number().int().min(0).max(3650).default(90),
  propensityDraws: z.coerce.number().int().min(10).max(10_000).default(100),
});

/** Scheduled retraining of the churn and value models (off unless a cron pattern is given). */
export const retrainConfigSchema = z.object({
  cron: z.string().trim().min(1).refine((pattern) => {
    try {
      new Cron(pattern, { paused: true }).stop();
      return true;
    } catch {
      return false;
    }
  }, 'is not a cron pattern croner reads, e.g. "0 3 * * *" (03:00 every day)').optional(),
  timezone: z.string().min(1).optional(),
  holdoutShare: z.coerce.number().gt(0).lt(1).default(0.2),
});
/**
 * The phone system in front of Holdfast (docs/telephony.md). 'none' (the default, the demo and the
 * simulator): calls come in on the HTTP API and accepting one connects it at once.
 */
export const telephonyConfigSchema = z.object({
  adapter: z.enum(['none', 'sip', 'webhook']).default('none'),
  /** How long an agent's phone may ring before the call goes to the next agent, if the phone system never says. */
  ringTimeoutMs: z.coerce.number().int().min(1000).default(30_000),
  sip: z.object({
    /** Kamailio's HTTP endpoint (xhttp in resources/telephony/kamailio.cfg), where decisions are POSTed. */
    kamailioUrl: z.string().url().refine((u) => /^https?:$/.test(new URL(u).protocol), 'an http:// or https:// URL').default('http://127.0.0.1:5071'),
    /** SIP domain of agents' phones given as extensions (1001 -> sip:1001@domain); default: Kamailio's host. */
    domain: z.string().optional(),
    /** How often Kamailio's health is read (a new start time there means it restarted). */
    healthMs: z.coerce.number().int().min(100).default(1_000),
    /** Kamailio's SIP address (UDP host:port): Holdfast's own calls (outreach "Call now") go out through it. */
    proxy: z.string().regex(/^[^\s]+:\d+$/, 'host:port').default('127.0.0.1:5060'),
    /** Where Holdfast's SIP user agent listens (UDP host:port; port 0: any free one). The phones must reach it. */
    listen: z.string().regex(/^[^\s]+:\d+$/, 'host:port').default('127.0.0.1:0'),
    /**
     * Holdfast's queue numbers, for transfers: a REFER to one of them (at the agents' domain or Kamailio's
     * address) brings the caller back into the queue as the same call, optionally to another language or
     * skill (`7000,7001=ru,7002=/billing`); a REFER anywhere else is a transfer out of Holdfast.
     * Kamailio queues a call to any number; only transfers read this list.
     */
    queues: sipQueuesSchema.default({ '7000': {} }),
    /** How long after a transfer to the queue the caller's new INVITE may take to arrive before the transfer is given up. */
    transferWaitMs: z.coerce.number().int().min(1000).default(30_000),
    /** Queue calls without an X-Holdfast-Intent / X-Holdfast-Language header take these. */
    defaultIntent: intentSchema.default('general'),
    defaultLanguage: z.string().length(2).default('en'),
  }).prefault({}),
  webhook: z.object({
    /** Where assignments are POSTed. */
    url: z.string().url().optional(),
    /** HMAC-SHA256 key for the Holdfast-Signature header (at least 32 characters). */
    secret: z.string().min(32).optional(),
    /** First retry after this long, doubling up to maxBackoffMs. */
    firstBackoffMs: z.coerce.number().int().min(10).default(500),
    maxBackoffMs: z.coerce.number().int().min(100).default(60_000),
    timeoutMs: z.coerce.number().int().min(100).default(5_000),
  }).prefault({}),
}).superRefine((t, ctx) => {
  if (t.adapter === 'webhook' && (!t.webhook.url || !t.webhook.secret)) {
    ctx.addIssue({ code: 'custom', path: ['webhook'], message: 'the webhook adapter needs HOLDFAST_WEBHOOK_URL and HOLDFAST_WEBHOOK_SECRET (32+ characters)' });
  }
});
export type TelephonyConfig = z.infer<typeof telephonyConfigSchema>;
export const clusterConfigSchema = z.object({
  /** redis:// URL of the Redis that carries socket messages between the nodes. */
  redisUrl: z.string().regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL'),
  /** Keys and streams of this cluster in Redis start with this (several clusters may share one Redis). */
  redisPrefix: z.string().regex(/^[A-Za-z0-9:._-]{1,64}$/, 'letters, digits and : . _ - (at most 64)').default('holdfast'),
  /** This node's name, unique in the cluster. */
  nodeId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits and . _ - (at most 64)'),
  /** How the other nodes reach this one's HTTP port (they forward routing requests to the authority). */
  advertiseUrl: z.string().regex(/^https?:\/\/[^/]+$/, 'an http(s)://host:port URL without a path'),
  /** Shared by every node: authenticates the requests nodes forward to each other. */
  secret: z.string().min(16),
  /** How long a routing lease lasts without renewal (renewed every third of it): the failover time is about this. */
  leaseMs: z.coerce.number().int().min(1000).max(60_000).default(3000),
});
export type ClusterConfig = z.infer<typeof clusterConfigSchema>;

export const serverConfigSchema = z.object({
  host: z.string().default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(4870),
  dataDir: z.string().default('.holdfast-data/server'),
  /**
   * Seed demo customers and agents into an empty store, and list demo users on the login screen.
   * Unset: on for a loopback host (the embedded server of `./holdfast start`), off for any other.
   * On with a non-loopback host is refused at start: demo mode publishes its logins and telephony key.
   */
  demo: z.boolean().optional(),
  demoCustomers: z.coerce.number().int().min(0).max(1_000_000).default(5000),
  demoSeed: z.coerce.number().int().default(7),
  /** The date the demo book is "as of"; defaults to today so the history looks current. */
  demoAsOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  /** How long an agent has to answer an offer before it goes to the next best agent. */
  reservationTimeoutMs: z.coerce.number().int().min(100).default(15_000),
  routing: routingConfigSchema.prefault({}),
  outreach: outreachServerConfigSchema.prefault({}),
  outcomes: outcomesConfigSchema.prefault({}),
  retrain: retrainConfigSchema.prefault({}),
  offers: offersConfigSchema.prefault({}),
  /** CLV horizon, margin, discount rate and value-tier shares the value model is fitted with. */
  value: valueConfigSchema.prefault({}),
  defaultRegion: z.string().length(2).default('US'),
  tokenSecret: z.string().min(32).optional(),
  /** How long an access token works; desktops refresh it before then with their refresh token. */
  accessTokenMinutes: z.coerce.number().min(0.05).max(24 * 60).default(15),
  /** Lockout after failed sign-ins, per user name and per address, and the refresh tokens' lifetime. */
  signIn: signInLimitsSchema.prefault({}),
  telephonyKey: z.string().min(16).optional(),
  telephony: telephonyConfigSchema.prefault({}),
  /** Sign-in through the company's OpenID provider; off when absent. */
  oidc: oidcConfigSchema.optional(),
  /** A postgres:// URL selects PostgreSQL; unset keeps the embedded SQLite store in the data folder. */
  databaseUrl: z.string().optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** TLS certificate chain and private key (PEM file paths): HTTPS and WSS. Required to listen on a non-loopback address (see tls.ts). */
  tlsCert: z.string().min(1).optional(),
  tlsKey: z.string().min(1).optional(),
  /** A load balancer or proxy in front terminates TLS, so plain HTTP on a non-loopback address is allowed. */
  tlsTerminatedByProxy: z.boolean().default(false),
  /** HTTP writes per caller per window (people; the telephony key has its own, higher limit). 429 beyond. */
  rateLimit: z.object({
    windowMs: z.coerce.number().int().min(100).default(60_000),
    writes: z.coerce.number().int().min(1).default(600),
    telephonyWrites: z.coerce.number().int().min(1).default(60_000),
  }).prefault({}),
  /** PostgreSQL pool bounds (ms); see PostgresStoreOptions. */
  postgres: z.object({
    connectionTimeoutMs: z.coerce.number().int().min(100).default(10_000),
    statementTimeoutMs: z.coerce.number().int().min(0).default(60_000),
    idleTimeoutMs: z.coerce.number().int().min(100).default(30_000),
    idleInTransactionTimeoutMs: z.coerce.number().int().min(0).default(60_000),
  }).prefault({}),
  /**
   * What of the customer book an agent-role account gets from the server: 'all', or 'languages' (only
   * customers of the agent's languages in snapshot pages, the change feed and customer reads; a caller
   * outside them on a call with the agent stays readable). Supervisors always get the whole book.
   */
  agentCustomerScope: z.enum(['all', 'languages']).default('all'),
  /**
   * Cold-sync images (src-server/sync-image): built once per scope and served until the feed moves
   * `maxLagChanges` past one or it is `maxAgeSeconds` old. Off: desktops take paged JSON.
   */
  syncImage: z.object({
    enabled: z.boolean().default(true),
    maxLagChanges: z.coerce.number().int().min(0).default(5_000),
    maxAgeSeconds: z.coerce.number().int().min(1).default(15 * 60),
  }).prefault({}),
  /** How far into the future a desktop's clock stamp (HLC) may be; a stamp further ahead is refused. */
  maxClockDriftMs: z.coerce.number().int().min(1000).default(5 * 60_000),
  /** The supervisor's live board: which waiting callers raise an alert, and after how long. */
  reviewAlert: z.object({
    waitSeconds: z.coerce.number().positive().default(60),
    /** High value: lifetime value at least this. */
    minClv: z.coerce.number().nonnegative().default(1000),
    /** At risk: churn probability at least this. */
    minChurnRisk: z.coerce.number().min(0).max(1).default(0.5),
  }).prefault({}),
  /** Several servers on one PostgreSQL database and one Redis (src-server/cluster); absent: one server on its own. */
  cluster: clusterConfigSchema.optional(),
});
export type ServerConfigInput = z.input<typeof serverConfigSchema>;
export type ServerConfig = z.output<typeof serverConfigSchema> & { demo: boolean; tokenSecret: string; telephonyKey: string; demoAsOf: string };

/** 127.0.0.0/8, ::1 and localhost: addresses no other machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return bare === 'localhost' || bare === '::1' || bare === '0:0:0:0:0:0:0:1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare) || /^::ffff:127\./.test(bare);
}

/** Demo mode (published logins, a fixed telephony key) is for one machine only. */
function resolveDemo(demo: boolean | undefined, host: string): boolean {
  const loopback = isLoopbackHost(host);
  if (demo === undefined) return loopback;
  if (demo && !loopback) {
    throw new Error(`Demo mode (HOLDFAST_DEMO) is on but the server would listen on ${host} (HOLDFAST_HOST / --host), which is not a loopback address. `
      + 'Demo mode publishes its logins and a fixed telephony key, so it only listens on 127.0.0.1 or ::1: set HOLDFAST_DEMO=0 (or --no-demo) to serve other machines.');
  }
  return demo;
}

export const DEMO_TELEPHONY_KEY = 'demo-telephony-key-0001';

/** A secret kept beside the data, created once with owner-only permissions. */
function persistentSecret(dataDir: string, name: string): string {
  const file = join(dataDir, name);
  if (existsSync(file)) {
    closeUp(file);
    return readFileSync(file, 'utf8').trim();
  }
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export function resolveServerConfig(input: ServerConfigInput): ServerConfig {
  const parsed = serverConfigSchema.parse(input);
  const demo = resolveDemo(parsed.demo, parsed.host);
  const dataDir = resolve(parsed.dataDir);
  privateDir(dataDir);
  if (parsed.cluster) {
    // Every node must take every other's tokens and telephony key, and share one database.
    if (!parsed.databaseUrl) throw new Error('A cluster (HOLDFAST_CLUSTER_REDIS_URL) needs a shared PostgreSQL database: set HOLDFAST_DATABASE_URL');
    if (!parsed.tokenSecret) throw new Error('A cluster needs the same HOLDFAST_TOKEN_SECRET on every node');
    if (!demo && !parsed.telephonyKey) throw new Error('A cluster needs the same HOLDFAST_TELEPHONY_KEY on every node');
  }
  const telephonyKey = parsed.telephonyKey ?? (demo ? DEMO_TELEPHONY_KEY : persistentSecret(dataDir, 'telephony-key'));
  return {
    ...parsed,
    demo,
    dataDir,
    tokenSecret: parsed.tokenSecret ?? persistentSecret(dataDir, 'token-secret'),
    telephonyKey,
    demoAsOf: parsed.demoAsOf ?? new Date().toISOString().slice(0, 10),
  };
}

/** Configuration from HOLDFAST_* environment variables. */
export function serverConfigFromEnv(env: NodeJS.ProcessEnv): ServerConfigInput {
  const pick = (name: string): string | undefined => env[`HOLDFAST_${name}`] || undefined;
  const flag = (name: string): boolean | undefined => (pick(name) === undefined ? undefined : pick(name) === '1' || pick(name) === 'true');
  return {
    host: pick('HOST'), port: pick('PORT') as unknown as number, dataDir: pick('SERVER_DATA_DIR'), demo: flag('DEMO'),
    demoCustomers: pick('DEMO_CUSTOMERS') as unknown as number, demoSeed: pick('DEMO_SEED') as unknown as number, demoAsOf: pick('DEMO_AS_OF'),
    reservationTimeoutMs: pick('RESERVATION_TIMEOUT_MS') as unknown as number, defaultRegion: pick('DEFAULT_REGION'),
    tokenSecret: pick('TOKEN_SECRET'), accessTokenMinutes: pick('ACCESS_TOKEN_MINUTES') as unknown as number,
    signIn: {
      maxFailures: pick('LOGIN_MAX_FAILURES') as unknown as number, lockoutSeconds: pick('LOGIN_LOCKOUT_SECONDS') as unknown as number,
      maxFailuresPerIp: pick('LOGIN_MAX_FAILURES_PER_IP') as unknown as number, refreshTokenHours: pick('REFRESH_TOKEN_HOURS') as unknown as number,
    },
    oidc: oidcFromEnv(pick),
    telephonyKey: pick('TELEPHONY_KEY'), databaseUrl: pick('DATABASE_URL'), logLevel: pick('LOG_LEVEL') as ServerConfigInput['logLevel'],
    tlsCert: pick('TLS_CERT'), tlsKey: pick('TLS_KEY'), tlsTerminatedByProxy: flag('TLS_TERMINATED_BY_PROXY'),
    routing: routingFromEnv(pick),
    telephony: {
      adapter: pick('TELEPHONY') as 'none' | 'sip' | 'webhook' | undefined,
      ringTimeoutMs: pick('RING_TIMEOUT_MS') as unknown as number,
      sip: { kamailioUrl: pick('SIP_KAMAILIO_URL'), domain: pick('SIP_DOMAIN'), healthMs: pick('SIP_HEALTH_MS') as unknown as number, proxy: pick('SIP_PROXY'), listen: pick('SIP_LISTEN'),
        queues: pick('SIP_QUEUES'), transferWaitMs: pick('SIP_TRANSFER_WAIT_MS') as unknown as number },
      webhook: { url: pick('WEBHOOK_URL'), secret: pick('WEBHOOK_SECRET') },
    },
    outreach: outreachFromEnv(pick, flag),
    value: valueConfigFromEnv(pick),
    offers: {
      exploration: pick('OFFER_EXPLORATION') as unknown as number, maxCostShare: pick('OFFER_MAX_COST_SHARE') as unknown as number,
      declineCooldownDays: pick('OFFER_DECLINE_COOLDOWN_DAYS') as unknown as number,
    },
    retrain: { cron: pick('RETRAIN_CRON'), timezone: pick('RETRAIN_TIMEZONE'), holdoutShare: pick('RETRAIN_HOLDOUT_SHARE') as unknown as number },
    outcomes: {
      horizonsDays: pick('OUTCOME_HORIZONS_DAYS')?.split(',').map((d) => d.trim()) as unknown as number[] | undefined,
      learnHorizonDays: pick('OUTCOME_LEARN_HORIZON_DAYS') as unknown as number,
      refreshMs: pick('OUTCOME_VERIFY_EVERY_MS') as unknown as number,
    },
    maxClockDriftMs: pick('MAX_CLOCK_DRIFT_MS') as unknown as number,
    reviewAlert: {
      waitSeconds: pick('REVIEW_ALERT_WAIT_SECONDS') as unknown as number,
      minClv: pick('REVIEW_ALERT_MIN_CLV') as unknown as number,
      minChurnRisk: pick('REVIEW_ALERT_MIN_CHURN_RISK') as unknown as number,
    },
    cluster: clusterFromEnv(pick),
    agentCustomerScope: pick('AGENT_CUSTOMER_SCOPE') as ServerConfigInput['agentCustomerScope'],
    syncImage: {
      enabled: flag('SYNC_IMAGE'),
      maxLagChanges: pick('SYNC_IMAGE_MAX_LAG_CHANGES') as unknown as number,
      maxAgeSeconds: pick('SYNC_IMAGE_MAX_AGE_SECONDS') as unknown as number,
    },
    rateLimit: {
      windowMs: pick('RATE_LIMIT_WINDOW_MS') as unknown as number,
      writes: pick('RATE_LIMIT_WRITES') as unknown as number,
      telephonyWrites: pick('RATE_LIMIT_TELEPHONY_WRITES') as unknown as number,
    },
    postgres: {
      connectionTimeoutMs: pick('PG_CONNECTION_TIMEOUT_MS') as unknown as number,
      statementTimeoutMs: pick('PG_STATEMENT_TIMEOUT_MS') as unknown as number,
      idleTimeoutMs: pick('PG_IDLE_TIMEOUT_MS') as unknown as number,
      idleInTransactionTimeoutMs: pick('PG_IDLE_IN_TRANSACTION_TIMEOUT_MS') as unknown as number,
    },
  };
}

/**
 * HOLDFAST_OIDC_ISSUER, _CLIENT_ID, _CLIENT_SECRET (absent: a public client), _ROLE_GROUPS
 * (supervisor=cc-supervisors,agent=cc-agents), _GROUPS_CLAIM (groups), _LABEL and _REDIRECT_URI:
 * off unless the issuer is set.
 */
function oidcFromEnv(pick: (name: string) => string | undefined): ServerConfigInput['oidc'] {
  const issuer = pick('OIDC_ISSUER');
  if (issuer === undefined) return undefined;
  return {
    issuer, clientId: pick('OIDC_CLIENT_ID') ?? '', clientSecret: pick('OIDC_CLIENT_SECRET'), roleGroups: pick('OIDC_ROLE_GROUPS') ?? '',
    groupsClaim: pick('OIDC_GROUPS_CLAIM'), label: pick('OIDC_LABEL'), redirectUri: pick('OIDC_REDIRECT_URI'),
  };
}

/**
 * HOLDFAST_ROUTING_POLICY (predictive | longestIdle), HOLDFAST_BASELINE_SHARE (0..1),
 * HOLDFAST_ROUTING_COALESCE_MS (0..1000: how long arrivals wait to be assigned together) and
 * HOLDFAST_ROUTING_QUEUES (JSON, e.g. {"cancellation":{"baselineShare":0.2}}).
 */
/** HOLDFAST_OUTREACH_BLENDED=0|1 and HOLDFAST_OUTREACH_CALLING_HOURS=09:00-20:00 (the customer's local time). */
function outreachFromEnv(pick: (name: string) => string | undefined, flag: (name: string) => boolean | undefined): ServerConfigInput['outreach'] {
  const blended = flag('OUTREACH_BLENDED');
  const hours = pick('OUTREACH_CALLING_HOURS');
  if (blended === undefined && hours === undefined) return undefined;
  const [start, end] = (hours ?? '').split('-').map((part) => part.trim());
  return { ...(blended === undefined ? {} : { blended }), ...(hours === undefined ? {} : { callingHours: { start, end } }) };
}

function routingFromEnv(pick: (name: string) => string | undefined): ServerConfigInput['routing'] {
  const policy = pick('ROUTING_POLICY');
  const share = pick('BASELINE_SHARE');
  const queues = pick('ROUTING_QUEUES');
  const coalesce = pick('ROUTING_COALESCE_MS');
  if (policy === undefined && share === undefined && queues === undefined && coalesce === undefined) return undefined;
  let parsedQueues: unknown;
  if (queues !== undefined) {
    try {
      parsedQueues = JSON.parse(queues);
    } catch {
      throw new Error('HOLDFAST_ROUTING_QUEUES must be JSON, e.g. {"cancellation":{"baselineShare":0.2}}');
    }
  }
  return {
    ...(policy !== undefined ? { policy: policy as RoutingConfig['policy'] } : {}),
    ...(share !== undefined ? { baselineShare: Number(share) } : {}),
    ...(coalesce !== undefined ? { coalesceMs: Number(coalesce) } : {}),
    ...(parsedQueues !== undefined ? { queues: parsedQueues as RoutingConfig['queues'] } : {}),
  };
}

/**
 * HOLDFAST_CLUSTER_REDIS_URL turns cluster mode on; with it HOLDFAST_NODE_ID, HOLDFAST_ADVERTISE_URL,
 * HOLDFAST_CLUSTER_SECRET, and optionally HOLDFAST_CLUSTER_LEASE_MS and HOLDFAST_CLUSTER_REDIS_PREFIX.
 */
function clusterFromEnv(pick: (name: string) => string | undefined): ServerConfigInput['cluster'] {
  const redisUrl = pick('CLUSTER_REDIS_URL');
  if (redisUrl === undefined) return undefined;
  return {
    redisUrl, nodeId: pick('NODE_ID') ?? '', advertiseUrl: pick('ADVERTISE_URL') ?? '', secret: pick('CLUSTER_SECRET') ?? '',
    leaseMs: pick('CLUSTER_LEASE_MS') as unknown as number, redisPrefix: pick('CLUSTER_REDIS_PREFIX'),
  };
}
