import type { preferenceMethods } from '@shared/contract/desktop-api';
import { DEFAULT_PREFERENCES, type AgentPreferences, type PreferencesState } from '@shared/contract/desktop-api';
import type { Language } from '@shared/domain/language';
import { BackendError } from '../desk/backend-error';
import type { Handlers, MethodsOf, ParsedInput } from '../desk/desk';
import type { DesktopEventBus } from '../desk/event-bus';
import type { DeskLogger } from '../desk/logger';
import type { Session, SessionHolder } from '../session/session';
import { PreferencesStore } from './preferences-store';

const SIGNED_OUT: PreferencesState = { agentId: null, preferences: DEFAULT_PREFERENCES };

/**
 * The agent's own settings: the UI language (briefs and wrap-up drafts are
 * written in it), and theme, density, ring volume and language kept per agent
 * on this desktop, loaded again at their next sign-in.
 */
export class PreferencesDesk {
  private uiLanguage: Language = 'en';
  private readonly languageListeners = new Set<(language: Language) => void>();
  private state: PreferencesState = SIGNED_OUT;
  private readonly store: PreferencesStore;
  /** Writes one after another, so two quick changes never land older-last. */
  private writing: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string, private readonly sessions: SessionHolder, private readonly events: DesktopEventBus, private readonly log: DeskLogger) {
    this.store = new PreferencesStore(dataDir);
    sessions.onStarted((session) => void this.load(session));
    sessions.onEnded(() => {
      this.state = SIGNED_OUT;
      events.emit('preferences.changed', this.state);
    });
  }

  readonly handlers: Handlers<MethodsOf<typeof preferenceMethods>> = {
    'ui.setLanguage': ({ language }) => {
      if (language !== this.uiLanguage) {
        this.uiLanguage = language;
        for (const listener of this.languageListeners) listener(language);
      }
      return { ok: true as const };
    },
    'preferences.get': () => this.state,
    'preferences.set': (change) => this.change(change),
  };

  get language(): Language {
    return this.uiLanguage;
  }

  onLanguageChanged(listener: (language: Language) => void): void {
    this.languageListeners.add(listener);
  }

  private async read(agentId: string): Promise<AgentPreferences> {
    const { preferences, problem } = await this.store.read(agentId);
    if (problem) this.log.warn({ problem }, 'agent preferences unreadable; using the defaults');
    return preferences;
  }

  private async load(session: Session): Promise<void> {
    const preferences = await this.read(session.agent.id);
    // Signed out, or a change arrived first (it was applied over the file): nothing to announce.
    if (!this.sessions.isCurrent(session) || this.state.agentId === session.agent.id) return;
    this.state = { agentId: session.agent.id, preferences };
    this.events.emit('preferences.changed', this.state);
  }

  private async change(change: ParsedInput<'preferences.set'>): Promise<PreferencesState> {
    const agentId = this.sessions.require().agent.id;
    const base = this.state.agentId === agentId ? this.state.preferences : await this.read(agentId);
    const preferences: AgentPreferences = { ...base, ...definedOnly(change) };
    const written = this.writing.then(() => this.store.write(agentId, preferences));
    this.writing = written.catch(() => undefined);
    try {
      await written;
    } catch (error) {
      this.log.error({ reason: (error as Error).message }, 'could not keep the agent preferences');
      throw new BackendError('internal', 'Your preferences could not be saved on this computer');
    }
    this.state = { agentId, preferences };
    this.events.emit('preferences.changed', this.state);
    return this.state;
  }
}

/** zod's partial() leaves absent keys out, but the type still allows undefined under exactOptionalPropertyTypes. */
function definedOnly<T extends object>(change: T): Partial<T> {
  return Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined)) as Partial<T>;
}
