import { openOverlay, useAppStore } from './state/app-store';
import { LoginScreen } from './screens/LoginScreen';
import { AgentScreen } from './screens/AgentScreen';
import { SupervisorScreen } from './screens/SupervisorScreen';
import { AccountsScreen } from './screens/AccountsScreen';
import { TopBar } from './components/TopBar';
import { Drawer } from './components/Drawer';
import { AiSettingsPanel } from './components/ai/AiSettingsPanel';
import { AiAuditPanel } from './components/ai/AiAuditPanel';

/** Admins manage accounts and take no calls; supervisors run the floor; agents take calls. */
function screenFor(role: 'agent' | 'supervisor' | 'admin') {
  if (role === 'admin') return <AccountsScreen />;
  return role === 'supervisor' ? <SupervisorScreen /> : <AgentScreen />;
}

export function App() {
  const session = useAppStore((s) => s.session);
  const overlay = useAppStore((s) => s.overlay);
  
  if (!session) return <div className="boot" aria-busy="true" />;
  if (!session.user) return <LoginScreen session={session} />;
  return (
    <div className="shell">
      <TopBar user={session.user} />
      <main className="shell-main">{screenFor(session.user.role)}</main>
      {overlay && (
        <Drawer onClose={() => openOverlay(null)} testId={overlay === 'settings' ? 'ai-settings' : 'ai-audit'} className={`drawer-${overlay}`}>
          {overlay === 'settings' ? <AiSettingsPanel onClose={() => openOverlay(null)} /> : <AiAuditPanel onClose={() => openOverlay(null)} />}
        </Drawer>
      )}
    </div>
  );
}
