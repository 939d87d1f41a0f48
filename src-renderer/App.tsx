import { useAppStore } from './state/app-store';
import { LoginScreen } from './screens/LoginScreen';
import { AgentScreen } from './screens/AgentScreen';
import { SupervisorScreen } from './screens/SupervisorScreen';
import { TopBar } from './components/TopBar';

export function App() {
  const session = useAppStore((s) => s.session);
  if (!session) return <div className="boot" aria-busy="true" />;
  if (!session.user) return <LoginScreen session={session} />;
  return (
    <div className="shell">
      <TopBar user={session.user} />
      <main className="shell-main">{session.user.role === 'supervisor' ? <SupervisorScreen /> : <AgentScreen />}</main>
    </div>
  );
}
