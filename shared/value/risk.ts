/** Expected value at risk: the part of a customer's CLV expected to be lost to churn. */
export function valueAtRisk(pChurn: number, clv: number): number {
  if (!(pChurn >= 0 && pChurn <= 1)) throw new RangeError(`churn probability must be in [0, 1], got ${pChurn}`);
  if (!Number.isFinite(clv)) throw new RangeError(`CLV must be a finite number, got ${clv}`);
  return pChurn * clv;
}
