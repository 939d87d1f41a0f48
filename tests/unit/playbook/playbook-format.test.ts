import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Playbook } from '@shared/domain/playbook';
import { checkPlaybook, formatProblem } from '@shared/playbook/check';
import { normalisePlaybook } from '@shared/playbook/migrate';
import { answerStep, chooseScript, nextStep, rankScripts, scriptProfile, scriptView, startScript, stepBack } from '@shared/playbook/scripts';
import { mergeLine } from '@shared/playbook/text';
import type { Reason } from '@shared/domain/customer';

const read = (path: string): unknown => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
const shipped = read('../../../resources/playbook/default.json');
const legacy = read('../../fixtures/playbook/legacy-format1.json');
const clone = <T>(value: T): T => structuredClone(value);
const reason = (driver: Reason['driver']): Reason => ({ code: driver, driver, phrase: driver, weight: 1 });

describe('the playbook file and its check', () => {
  it('passes the shipped playbook: every line in four languages, every answer leading somewhere', () => {
    const result = checkPlaybook(shipped);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.playbook?.scripts.length).toBeGreaterThanOrEqual(7);
  });

  it('names the script, the step and the field of each problem', () => {
    const raw = clone(shipped) as Playbook;
    const price = raw.scripts.find((s) => s.id === 'price') as Playbook['scripts'][number];
    const offer = price.steps.find((s) => s.id === 'offer') as Playbook['scripts'][number]['steps'][number];
    delete offer.say.he;
    offer.answers[0]!.next = 'nowhere';
    offer.say.ru = 'Предлагаю {{customer.nickname}}';
    const lines = checkPlaybook(raw).problems.map((p) => formatProblem('edited.json', p));
    expect(lines).toContain('edited.json: error: script "price", step "offer", say.he: missing Hebrew text');
    expect(lines).toContain('edited.json: error: script "price", step "offer", answers[0].next: leads to a step that does not exist: "nowhere"');
    expect(lines.some((l) => l.startsWith('edited.json: error: script "price", step "offer", say.ru: unknown merge field {{customer.nickname}}'))).toBe(true);
    // "confirm" can now only be reached through "last-chance": still reachable, so no unreachable complaint for it.
    expect(lines.some((l) => l.includes('step "confirm"') && l.includes('reach'))).toBe(false);
  });

  it('places schema errors by ids, not array indexes', () => {
    const raw = clone(shipped) as { scripts: { id: string; steps: { id: string; answers: unknown }[] }[] };
    raw.scripts[2]!.steps[1]!.answers = 'not a list';
    const [problem] = checkPlaybook(raw).problems;
    expect(problem).toMatchObject({ script: raw.scripts[2]!.id, step: raw.scripts[2]!.steps[1]!.id, field: 'answers' });
  });

  it('finds steps no call can reach and loops that never end', () => {
    const raw = clone(shipped) as Playbook;
    const general = raw.scripts.find((s) => s.id === 'general')!;
    // last-chance now only loops back to itself or to the opening, and nothing leads to confirm.
    general.steps.find((s) => s.id === 'offer')!.answers = [{ id: 'again', label: { en: 'a', he: 'א', ru: 'а', zh: '一' }, next: 'last-chance' }];
    general.steps.find((s) => s.id === 'last-chance')!.answers = [{ id: 'again', label: { en: 'a', he: 'א', ru: 'а', zh: '一' }, next: 'opening' }];
    const problems = checkPlaybook(raw).problems.filter((p) => p.script === 'general');
    expect(problems.find((p) => p.step === 'confirm')?.message).toMatch(/no call can reach it/);
    expect(problems.filter((p) => /can never end/.test(p.message)).map((p) => p.step).sort()).toEqual(['acknowledge', 'check-fit', 'last-chance', 'offer', 'opening']);
  });

  it('requires offer translations and known RFM segments and lifecycle stages', () => {
    const raw = clone(shipped) as Playbook;
    delete raw.offers[0]!.translations!.zh;
    raw.scripts[0]!.when.rfmSegments = ['Whales'];
    raw.scripts[0]!.when.lifecycleStages = ['teenage'];
    const messages = checkPlaybook(raw).problems.map((p) => `${p.field}: ${p.message}`);
    expect(messages).toContain(`offer "${raw.offers[0]!.id}".translations.zh: missing Chinese name and description`);
    expect(messages.some((m) => m.startsWith('when.rfmSegments: unknown RFM segment "Whales"'))).toBe(true);
    expect(messages.some((m) => m.startsWith('when.lifecycleStages: unknown lifecycle stage "teenage"'))).toBe(true);
  });

  it('migrates the first format: English only, linear, flagged as not publishable until translated', () => {
    const migrated = normalisePlaybook(legacy);
    expect(migrated.format).toBe(2);
    const price = migrated.scripts.find((s) => s.id === 'price')!;
    expect(price.when).toEqual({ drivers: ['price'] });
    expect(price.steps[0]!.say.en).toMatch(/^Thanks for being with us/);
    expect(price.steps.some((s) => s.say.en.includes('{{offer.name}}'))).toBe(true);
    expect(migrated.scripts.find((s) => s.id === 'other')!.when).toEqual({});
    const check = checkPlaybook(legacy);
    expect(check.ok).toBe(false);
    expect(check.problems[0]?.message).toMatch(/first .* format/);
    expect(check.problems.some((p) => p.script === 'price' && p.field === 'say.he')).toBe(true);
  });

  it('refuses what is neither format with the schema message', () => {
    expect(() => normalisePlaybook({ version: 3 })).toThrow();
    expect(checkPlaybook({ format: 2, version: 0, offers: [], scripts: [] }).ok).toBe(false);
  });
});

describe('choosing a script', () => {
  const playbook = normalisePlaybook(shipped);

  it('follows the main churn reason, then the profile', () => {
    expect(chooseScript(playbook, scriptProfile([reason('service'), reason('price')], 'mid', null, null)).id).toBe('service');
    expect(chooseScript(playbook, scriptProfile([reason('price')], 'mid', null, null)).id).toBe('price');
    // A high-value customer leaving over price gets the script written for them.
    expect(chooseScript(playbook, scriptProfile([reason('price')], 'high', null, null)).id).toBe('price-high-value');
    // The second reason decides when the first has no script of its own.
    expect(chooseScript(playbook, scriptProfile([reason('other'), reason('payment')], 'low', null, null)).id).toBe('payment');
    expect(chooseScript(playbook, scriptProfile([], null, null, null)).id).toBe('general');
  });

  it('honours lifecycle stage and RFM segment conditions', () => {
    const custom: Playbook = clone(playbook);
    custom.scripts.unshift({ ...clone(playbook.scripts.find((s) => s.id === 'general')!), id: 'win-back', when: { lifecycleStages: ['lapsed'], rfmSegments: ['At risk', "Can't lose them"] } });
    expect(chooseScript(custom, scriptProfile([reason('usage')], 'mid', 'lapsed', 'At risk')).id).toBe('win-back');
    expect(chooseScript(custom, scriptProfile([reason('usage')], 'mid', 'lapsed', 'Champions')).id).toBe('usage');
    const ranked = rankScripts(custom, scriptProfile([reason('usage')], 'mid', 'mature', 'At risk'));
    expect(ranked.find((r) => r.script.id === 'win-back')?.fits).toBe(false);
    expect(ranked.at(-1)?.fits).toBe(false);
  });
});

describe('a call moving through its script', () => {
  const playbook = normalisePlaybook(shipped);
  const script = playbook.scripts.find((s) => s.id === 'price')!;

  it('branches on the answer, goes next and back, and ends with an outcome', () => {
    let state = startScript(script);
    expect(state.path).toEqual(['opening']);
    state = answerStep(script, state, 'cancel-now');
    expect(state.path).toEqual(['opening', 'last-chance']);
    state = stepBack(state);
    state = nextStep(script, state);
    expect(state.path).toEqual(['opening', 'acknowledge']);
    expect(answerStep(script, state, 'no-such-answer')).toBe(state);
    state = nextStep(script, nextStep(script, state));
    expect(state.path.at(-1)).toBe('offer');
    state = answerStep(script, answerStep(script, state, 'declines'), 'leaves');
    expect(state.ended).toEqual({ answerId: 'leaves', outcome: 'lost' });
    expect(nextStep(script, state)).toBe(state);
    expect(stepBack(state).ended).toBeNull();
  });

  it('shows the lines in the agent’s language, the spoken line in the caller’s, with data merged in', () => {
    const view = scriptView(playbook, rankScripts(playbook, scriptProfile([reason('price')], 'mid', null, null)), startScript(script), { ui: 'he', spoken: 'ru' }, {
      'customer.firstName': 'Дана',
    })!;
    expect(view.name).toBe('מחיר');
    expect(view.steps[0]!.title).toBe('פתיחה');
    expect(view.steps[0]!.say.find((p) => p.field === 'customer.firstName')?.text).toBe('Дана');
    expect(view.steps[0]!.say.map((p) => p.text).join('')).toMatch(/^Спасибо, что вы с нами, Дана\./);
    expect(view.steps[0]!.answers.map((a) => a.label)).toEqual(['מוכן לשמוע', 'רוצה לבטל עכשיו']);
    expect(view.alternatives[0]).toEqual({ scriptId: 'price', name: 'מחיר', fits: true });
  });
});

describe('merge fields', () => {
  it('splits a line into script text and merged values, showing a gap as a dash', () => {
    expect(mergeLine('Hi {{customer.firstName}}, {{ offer.name }} for {{customer.plan}}!', { 'customer.firstName': 'Dana', 'offer.name': 'Renewal bonus' })).toEqual([
      { text: 'Hi ', field: null },
      { text: 'Dana', field: 'customer.firstName' },
      { text: ', ', field: null },
      { text: 'Renewal bonus', field: 'offer.name' },
      { text: ' for ', field: null },
      { text: '—', field: 'customer.plan' },
      { text: '!', field: null },
    ]);
    expect(mergeLine('{{unknown.field}} stays', {})).toEqual([{ text: '{{unknown.field}}', field: null }, { text: ' stays', field: null }]);
  });
});
