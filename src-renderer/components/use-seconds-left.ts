import { useEffect, useState } from 'react';

/** Whole seconds until a deadline (ms since epoch), ticking while active. */
export function useSecondsLeft(deadline: number, active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [active, deadline]);
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}
