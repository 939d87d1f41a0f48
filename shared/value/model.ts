/**
 * The fitted value model (BG/NBD + Gamma-Gamma) as one versioned object the
 * server can store and score with.
 */
import { z } from 'zod';
import { bgNbdParamsSchema, fitBgNbd, type BgNbdFit } from './bgnbd';
import { fitGammaGamma, gammaGammaParamsSchema, type GammaGammaFit } from './gamma-gamma';
import type { CustomerValueInput } from './clv';

/** Bump when formulas or conventions change in a way that changes scores. */
export const VALUE_MODEL_FAMILY = 'bgnbd-gg@1';

export const valueModelSchema = z.object({
  /** Family plus a fingerprint of the parameters, e.g. "bgnbd-gg@1:3f2a91c0". */
  modelVersion: z.string(),
  bgnbd: bgNbdParamsSchema.extend({ logLikelihood: z.number(), customers: z.number().int(), converged: z.boolean() }),
  gammaGamma: gammaGammaParamsSchema.extend({ logLikelihood: z.number(), customers: z.number().int(), converged: z.boolean() }),
  /** Repeat buyers left out of the spend fit because their mean repeat value was not positive. */
  spendExcluded: z.number().int().nonnegative(),
});
export type ValueModel = z.infer<typeof valueModelSchema>;

/**
 * FNV-1a of the parameter text. Same as hashString in @shared/util/random,
 * repeated here because the layer lint rule currently rejects imports from
 * @shared/util (its "util" pattern is meant for Node's util module).
 */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

export function valueModelVersion(bgnbd: BgNbdFit, gammaGamma: GammaGammaFit): string {
  const params = [bgnbd.r, bgnbd.alpha, bgnbd.a, bgnbd.b, gammaGamma.p, gammaGamma.q, gammaGamma.gamma]
    .map((v) => v.toPrecision(8))
    .join(',');
  return `${VALUE_MODEL_FAMILY}:${fingerprint(params)}`;
}

/** Fits both models on one cohort: the BG/NBD on everyone, Gamma-Gamma on repeat buyers with positive spend. */
export function fitValueModel(customers: readonly CustomerValueInput[]): ValueModel {
  const bgnbd = fitBgNbd(customers.map(({ x, tx, T }) => ({ x, tx, T })));
  const spend = customers
    .filter((c) => c.x > 0 && c.meanRepeatValue != null && c.meanRepeatValue > 0)
    .map((c) => ({ x: c.x, meanValue: c.meanRepeatValue as number }));
  const spendExcluded = customers.filter((c) => c.x > 0).length - spend.length;
  const gammaGamma = fitGammaGamma(spend);
  return { modelVersion: valueModelVersion(bgnbd, gammaGamma), bgnbd, gammaGamma, spendExcluded };
}
