/**
 * The ring, made with Web Audio rather than a sound file: two mixed tones
 * (440 + 480 Hz, the classic ring) on for a second, off for two, so no asset
 * ships and the volume is just a gain. Started and stopped by the call's phase.
 */
const ON_S = 1;
const CYCLE_MS = 3_000;

let context: AudioContext | null = null;
let timer: ReturnType<typeof setInterval> | null = null;

function audio(): AudioContext | null {
  if (typeof AudioContext === 'undefined') return null;
  context ??= new AudioContext();
  return context;
}

function burst(volume: number): void {
  const ctx = audio();
  if (!ctx) return;
  void ctx.resume().catch(() => undefined);
  const gain = ctx.createGain();
  const start = ctx.currentTime;
  // Soft edges: a click at the start and end of each burst is harsher than the ring.
  gain.gain.setValueAtTime(0, start);
  gain.gain.linearRampToValueAtTime(volume * 0.25, start + 0.03);
  gain.gain.setValueAtTime(volume * 0.25, start + ON_S - 0.05);
  gain.gain.linearRampToValueAtTime(0, start + ON_S);
  gain.connect(ctx.destination);
  for (const frequency of [440, 480]) {
    const tone = ctx.createOscillator();
    tone.frequency.value = frequency;
    tone.connect(gain);
    tone.start(start);
    tone.stop(start + ON_S);
  }
}

/** Rings until stopRing(); a volume of 0 is silence (and nothing is started). */
export function startRing(volume: number): void {
  stopRing();
  if (volume <= 0) return;
  burst(volume);
  timer = setInterval(() => burst(volume), CYCLE_MS);
  document.documentElement.dataset.ringing = 'true';
}

export function stopRing(): void {
  if (timer !== null) clearInterval(timer);
  timer = null;
  delete document.documentElement.dataset.ringing;
}

/** One burst, for the volume slider's "play" button. */
export function playRingOnce(volume: number): void {
  if (volume > 0) burst(volume);
}
