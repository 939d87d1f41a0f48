import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginResponseSchema } from '@shared/contract/server-http';
import { Cluster } from '../../support/cluster-harness';
import type { TsProcess } from '../../support/child-process';
import { browse, CLIENT, listen, RETURN_TO, startProvider } from '../../support/oidc-test-provider';

const exchange = (url: string, code: string): Promise<Response> =>
  fetch(`${url}/api/auth/oidc/exchange`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });

/**
 * Behind a load balancer any request may reach any node, including one that
 * does not route. What needs more than the database (a single sign-on's flow,
 * the calls an agent is on) must answer the same there. Three node processes
 * on PostgreSQL and Redis, a real OpenID provider on loopback, agents scoped
 * to their languages' customers, and one light desktop.
 */
describe('what any node answers in a cluster', () => {
  let cluster: Cluster;
  let provider: Awaited<ReturnType<typeof startProvider>>;
  let balancer: Server;
  let desktop: TsProcess | null = null;

  beforeAll(async () => {
    // The callback registered at the provider is a balancer's address that always sends the browser on to the
    // second node, whichever node the flow started on.
    balancer = createServer((request, response) => {
      response.writeHead(302, { location: `${cluster.nodeUrl(1)}${request.url ?? '/'}` }).end();
    });
    const callback = `${await listen(balancer)}/api/auth/oidc/callback`;
    provider = await startProvider(() => callback);
    cluster = await Cluster.start({
      nodes: 3, agents: 1, customers: 60,
      env: () => ({
        HOLDFAST_AGENT_CUSTOMER_SCOPE: 'languages',
        HOLDFAST_OIDC_ISSUER: provider.issuer, HOLDFAST_OIDC_CLIENT_ID: CLIENT.id, HOLDFAST_OIDC_CLIENT_SECRET: CLIENT.secret,
        HOLDFAST_OIDC_ROLE_GROUPS: 'supervisor=cc-supervisors,agent=cc-agents', HOLDFAST_OIDC_REDIRECT_URI: callback,
      }),
    });
  }, 180_000);
  afterAll(async () => {
    await desktop?.killHard();
    await cluster?.close();
    await provider?.close();
    balancer?.close();
  }, 60_000);

  it('single sign-on starts on one node, comes back to another and is exchanged on a third, once', async () => {
    provider.as.user = 'sam.super';
    const back = await browse(`${cluster.nodeUrl(0)}/api/auth/oidc/start?returnTo=${encodeURIComponent(RETURN_TO)}`);
    const code = back.url.searchParams.get('signin_code');
    expect(code, `${back.url.searchParams.get('signin_error')}: ${back.url.searchParams.get('signin_error_description')} (${back.status} ${back.body.slice(0, 200)})`).toBeTruthy();

    const exchanged = await exchange(cluster.nodeUrl(2), code!);
    expect(exchanged.status).toBe(200);
    const signedIn = loginResponseSchema.parse(await exchanged.json());
    expect(signedIn.agent).toMatchObject({ username: 'sam.super', role: 'supervisor' });
    // The token works on any node, and the code on none a second time.
    const agents = await fetch(`${cluster.lbUrl}/api/agents`, { headers: { authorization: `Bearer ${signedIn.token}` } });
    expect(agents.status).toBe(200);
    for (const i of [0, 1, 2]) expect((await exchange(cluster.nodeUrl(i), code!)).status).toBe(401);
  });

  it('a node that does not route lets an agent read the caller on their call, outside their languages', async () => {
    const [agentId] = cluster.agentIds;
    // Talking for a minute: the call stays open while the agent's desktop reads the caller.
    desktop = await cluster.swarm([agentId!], { talkMs: 60_000 });
    const authority = await cluster.waitForAuthority();
    const follower = cluster.nodeUrl((authority.index + 1) % 3);
    // Two Hebrew-speaking customers; the agent speaks only English, so neither is in their cache's scope.
    const [caller, stranger] = await cluster.callers(2, 'he');
    const customerOf = async (phone: string): Promise<string> =>
      (await cluster.pool.query<{ customer_id: string }>('SELECT customer_id FROM customer_phones WHERE phone = $1', [phone])).rows[0]!.customer_id;

    const posted = await fetch(`${follower}/api/calls`, {
      method: 'POST',
      headers: { authorization: `Bearer ${cluster.telephonyKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ callId: 'F-1', callerNumber: caller, language: 'en', intent: 'cancellation' }),
    });
    expect(posted.status).toBe(201);
    expect(((await posted.json()) as { customerId: string | null }).customerId).toBe(await customerOf(caller!));
    await desktop.waitForLine((line) => line.ev === 'accepted' && line.callId === 'F-1', 30_000);

    const token = (await cluster.tokens([agentId!]))[agentId!]!;
    const read = (id: string): Promise<Response> => fetch(`${follower}/api/customers/${id}`, { headers: { authorization: `Bearer ${token}` } });
    const onCall = await read(await customerOf(caller!));
    expect(onCall.status).toBe(200);
    expect(((await onCall.json()) as { customer: { language: string } }).customer.language).toBe('he');
    // A customer outside the agent's languages and not on a call with them stays hidden, on this node as on any.
    expect((await read(await customerOf(stranger!))).status).toBe(404);
  });
});
