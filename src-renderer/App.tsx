import { openOverlay, useAppStore, type Overlay } from './state/app-store';
import { LoginScreen } from './screens/LoginScreen';
import { AgentScreen } from './screens/AgentScreen';
import { SupervisorScreen } from './screens/SupervisorScreen';
import { AccountsScreen } from './screens/AccountsScreen';
import { TopBar } from './components/TopBar';
import { Drawer } from './components/Drawer';
import { AiSettingsPanel } from './components/ai/AiSettingsPanel';
import { AiAuditPanel } from './components/ai/AiAuditPanel';
import { PreferencesPanel } from './components/desk/PreferencesPanel';
import { ShortcutsHelp } from './components/desk/ShortcutsHelp';
import { useAppearance } from './components/desk/use-appearance';
import { useDeskShortcuts } from './components/desk/use-desk-shortcuts';

/** Admins manage accounts and take no calls; supervisors run the floor; agents take calls. */
function screenFor(role: 'agent' | 'supervisor' | 'admin') {
  if (role === 'admin') return <AccountsScreen />;
  return role === 'supervisor' ? <SupervisorScreen /> : <AgentScreen />;
}

function overlayPanel(overlay: NonNullable<Overlay>) {
  const close = () => openOverlay(null);
  if (overlay === 'settings') return <AiSettingsPanel onClose={close} />;
  if (overlay === 'preferences') return <PreferencesPanel onClose={close} />;
  return <AiAuditPanel onClose={close} />;
}

const OVERLAY_TEST_IDS: Record<NonNullable<Overlay>, string> = { settings: 'ai-settings', audit: 'ai-audit', preferences: 'preferences-drawer' };

export function App() {
  const session = useAppStore((s) => s.session);
  const overlay = useAppStore((s) => s.overlay);
  const shortcutsOpen = useAppStore((s) => s.shortcutsOpen);
  const isAgent = session?.user?.role === 'agent';
  useAppearance();
  useDeskShortcuts(isAgent);

  if (!session) return <div className="boot" aria-busy="true" />;
  if (!session.user) return <LoginScreen session={session} />;
  return (
    <div className="shell">
      <TopBar user={session.user} />
      <main className="shell-main">{screenFor(session.user.role)}</main>
      {overlay && (
        <Drawer onClose={() => openOverlay(null)} testId={OVERLAY_TEST_IDS[overlay]} className={`drawer-${overlay}`}>
          {overlayPanel(overlay)}
        </Drawer>
      )}
      {isAgent && shortcutsOpen && <ShortcutsHelp />}
    </div>
  );
}
