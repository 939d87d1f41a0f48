import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiPath } from '../../../src-server/http/openapi';
import type { RunningServer } from '../../../src-server/routing-server';
import { startServer } from '../../support/stack';
import { api, postCall, readyDesk, scoredCustomers, waitFor, wrapUp } from './helpers';

type Operation = { parameters: Array<{ name: string; in: string; required: boolean }>; requestBody?: { content: Record<string, { schema: Record<string, unknown> }> }; responses: Record<string, { content?: Record<string, unknown> }> };
type OpenApi = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

type Families = ReturnType<typeof parsePrometheusTextFormat> & { text: string };

/** Scrapes /metrics and parses it with an independent parser (which throws on a malformed line). */
async function scrape(server: RunningServer): Promise<Families> {
  const response = await fetch(new URL('/metrics', server.url));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  const text = await response.text();
  return Object.assign(parsePrometheusTextFormat(text), { text });
}

/** One sample straight from the text (the parser flattens labelled histograms away). */
function sample(families: Families, series: string): number {
  const line = families.text.split('\n').find((l) => l.startsWith(`${series} `));
  if (!line) throw new Error(`no sample ${series}`);
  return Number(line.slice(series.length + 1));
}

function value(families: ReturnType<typeof parsePrometheusTextFormat>, name: string, labels: Record<string, string> = {}): number {
  const family = families.find((f) => f.name === name);
  if (!family) throw new Error(`no metric ${name}`);
  const sample = family.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return sample ? Number(sample.value ?? sample.count) : 0;
}

describe('operations', () => {
  let server: RunningServer;
  let remove: () => void;

  beforeAll(async () => {
    ({ server, remove } = await startServer({ demoCustomers: 40, outreach: { blended: false }, routing: { baselineShare: 0 } }));
  });
  afterAll(async () => {
    await server.close();
    remove();
  });

  it('documents every registered HTTP route in the OpenAPI document, from the same schemas the routes validate with', async () => {
    const response = await api(server, 'GET', '/api/openapi.json', undefined, '');
    expect(response.status).toBe(200);
    const doc = response.body as unknown as OpenApi;
    expect(doc.openapi).toBe('3.1.0');
    const registered = server.httpRoutes.filter((r) => r.method !== 'HEAD');
    expect(registered.length).toBeGreaterThan(15);
    for (const route of registered) {
      expect(doc.paths[openApiPath(route.url)]?.[route.method.toLowerCase()], `${route.method} ${route.url}`).toBeDefined();
    }
    const documented = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    expect(documented).toBe(registered.length);

    const createCall = doc.paths['/api/calls']!.post!;
    const body = createCall.requestBody!.content['application/json']!.schema as { properties: Record<string, { enum?: string[] }>; required: string[] };
    expect(body.required).toContain('callerNumber');
    expect(body.properties.language?.enum).toContain('he');
    expect(createCall.responses['201']!.content).toBeDefined();
    expect(doc.paths['/api/agents/{id}']!.patch!.parameters).toContainEqual(expect.objectContaining({ name: 'id', in: 'path', required: true }));
    expect(doc.paths['/api/outreach']!.get!.parameters).toContainEqual(expect.objectContaining({ name: 'limit', in: 'query', required: false }));
    expect(Object.keys(doc.paths['/metrics']!.get!.responses['200']!.content!)[0]).toContain('text/plain');
    const ready = doc.paths['/api/routing/ready']!.get! as Operation & { 'x-roles': string[] };
    expect(ready['x-roles']).toEqual(['telephony', 'supervisor']);
    expect(JSON.stringify(ready.responses['200']!.content)).toMatch(/"intents"/);
    expect(doc.paths['/api/demo/callers']!.get!.parameters).toContainEqual(expect.objectContaining({ name: 'language', in: 'query', required: false }));
    // Every $ref points at a component that exists.
    const refs = JSON.stringify(doc).match(/"\$ref":"#\/components\/schemas\/([^"]+)"/g) ?? [];
    for (const ref of refs) expect(doc.components.schemas[ref.split('/').at(-1)!.replace('"', '')]).toBeDefined();
  });

  it('exposes Prometheus metrics that parse, and count what happens', async () => {
    const before = await scrape(server);
    for (const [name, type] of [
      ['holdfast_queue_depth', 'GAUGE'], ['holdfast_queue_wait_seconds', 'HISTOGRAM'], ['holdfast_service_level_ratio', 'GAUGE'],
      ['holdfast_offers_total', 'COUNTER'], ['holdfast_offer_accepts_total', 'COUNTER'], ['holdfast_offer_rejects_total', 'COUNTER'],
      ['holdfast_offer_timeouts_total', 'COUNTER'], ['holdfast_saves_total', 'COUNTER'], ['holdfast_connected_desktops', 'GAUGE'],
    ] as const) {
      expect(before.find((f) => f.name === name)?.type, name).toBe(type);
    }

    const { customer } = (await scoredCustomers(server, 40))[0]!;
    const callId = await postCall(server, { callerNumber: customer.phones[0], language: 'en' });
    expect(value(await scrape(server), 'holdfast_queue_depth')).toBe(1);

    const ben = await readyDesk(server, 'ben');
    await ben.offerOf(callId);
    await ben.emit('call:accept', { callId });
    await ben.emit('call:hangUp', { callId });
    await ben.emit('wrapUp:submit', wrapUp(ben, callId, customer.id, 'retained'));
    await waitFor(() => ben.presence.at(-1) === 'available');

    const after = await scrape(server);
    expect(value(after, 'holdfast_queue_depth')).toBe(0);
    expect(value(after, 'holdfast_offers_total', { arm: 'policy' }) - value(before, 'holdfast_offers_total', { arm: 'policy' })).toBe(1);
    expect(value(after, 'holdfast_offer_accepts_total') - value(before, 'holdfast_offer_accepts_total')).toBe(1);
    expect(value(after, 'holdfast_saves_total', { arm: 'policy' })).toBe(1);
    expect(value(after, 'holdfast_connected_desktops')).toBe(1);
    expect(value(after, 'holdfast_service_level_ratio')).toBe(1);
    expect(sample(after, 'holdfast_queue_wait_seconds_count{outcome="answered"}')).toBe(1);
    expect(sample(after, 'holdfast_queue_wait_seconds_bucket{le="+Inf",outcome="answered"}')).toBe(1);
    expect(sample(after, 'holdfast_queue_wait_seconds_bucket{le="20",outcome="answered"}')).toBe(1);
    ben.close();
  });
});
