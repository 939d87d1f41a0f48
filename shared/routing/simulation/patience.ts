import type { Random } from '@shared/util/random';
import type { BankCall } from './bank-calls';

/**
 * Caller patience (how long someone waits in queue before hanging up).
 *
 * Observed exactly only for callers who hung up in the queue (their q_time).
 * For served callers it is right-censored: they would have waited at least
 * their q_time. So a Weibull(shape k, scale lambda) is fitted by maximum
 * likelihood with censoring: hang-ups are events, served queue waits are
 * censored observations (callers served without queueing carry no
 * information). For fixed k the scale has a closed form,
 * lambda^k = sum(t_i^k) / events, and the profile log-likelihood is
 * maximised over k by golden-section search. Weibull rather than exponential
 * because abandonment hazards in call centers fall with waiting time
 * (k < 1), and the fit lets the data say so.
 *
 * Each simulated caller then gets a patience:
 *  - hung up in the data: their observed q_time;
 *  - served after queueing for w seconds: a draw from the fitted Weibull
 *    conditioned on exceeding w, lambda * ((w/lambda)^k + E)^(1/k), E ~ Exp(1);
 *  - served without queueing: an unconditional draw.
 */
export interface WeibullFit {
  shape: number;
  scale: number;
  events: number;
  censored: number;
  logLikelihood: number;
}

export function fitPatience(calls: readonly BankCall[]): WeibullFit {
  const eventTimes: number[] = [];
  const censoredTimes: number[] = [];
  for (const call of calls) {
    if (!call.queued) continue;
    if (call.outcome === 'HANG') eventTimes.push(Math.max(0.5, call.queueWaitS));
    else if (call.queueWaitS > 0) censoredTimes.push(call.queueWaitS);
  }
  const d = eventTimes.length;
  if (d === 0) throw new Error('cannot fit caller patience: no caller hung up in the queue');
  const all = [...eventTimes, ...censoredTimes];
  const sumLogEvents = eventTimes.reduce((sum, t) => sum + Math.log(t), 0);
  const profile = (k: number): number => {
    let sumPow = 0;
    for (const t of all) sumPow += t ** k;
    const lambdaK = sumPow / d;
    return d * Math.log(k) - d * Math.log(lambdaK) + (k - 1) * sumLogEvents - d;
  };
  let low = 0.05;
  let high = 5;
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 80; i++) {
    const a = high - phi * (high - low);
    const b = low + phi * (high - low);
    if (profile(a) > profile(b)) high = b;
    else low = a;
  }
  const shape = (low + high) / 2;
  let sumPow = 0;
  for (const t of all) sumPow += t ** shape;
  return { shape, scale: (sumPow / d) ** (1 / shape), events: d, censored: censoredTimes.length, logLikelihood: profile(shape) };
}

export function drawPatienceS(call: BankCall, fit: WeibullFit, random: Random): number {
  if (call.outcome === 'HANG') return Math.max(0.5, call.queueWaitS);
  const e = random.exponential(1);
  const floor = call.queued ? (call.queueWaitS / fit.scale) ** fit.shape : 0;
  return fit.scale * (floor + e) ** (1 / fit.shape);
}
