import { CUSTOMER_FEATURES, loadChurnModel, type ChurnModel } from '@shared/churn';
import type { DocumentStore } from '../store/roles/document-store';
import { loadValueModelFile, type ValueModelFile } from './value-model-file';

/**
 * The server's current model of one kind. A replacement is checked by the
 * model's own loader first; a malformed one is refused with the loader's
 * message and the model already held stays in use. Nothing is ever half
 * replaced: the registry holds either the old model or the new one.
 */

export type ModelLoader<T> = (input: unknown) => { ok: true; model: T } | { ok: false; error: string };

export type OfferResult<T> =
  | { ok: true; model: T; replaced: string | null }
  | { ok: false; error: string; kept: string | null };

export class ModelRegistry<T extends { modelVersion: string }> {
  private held: T | null = null;

  constructor(
    readonly kind: string,
    private readonly loader: ModelLoader<T>,
  ) {}

  /** The model in use, or null before any valid model arrived. */
  get current(): T | null {
    return this.held;
  }

  /** Validates `input` (JSON text or a parsed object) and takes it if valid; otherwise keeps the current model. */
  offer(input: unknown): OfferResult<T> {
    const loaded = this.loader(input);
    const previous = this.held?.modelVersion ?? null;
    if (!loaded.ok) {
      const keeping = previous === null ? 'no model is in use' : `model ${previous} stays in use`;
      return { ok: false, error: `${this.kind} model refused: ${loaded.error}; ${keeping}`, kept: previous };
    }
    this.held = loaded.model;
    return { ok: true, model: loaded.model, replaced: previous };
  }

  /** Offers the model file the store holds for this kind; null when the store has none. */
  async offerFromStore(store: Pick<DocumentStore, 'model'>): Promise<OfferResult<T> | null> {
    const stored = await store.model(this.kind);
    return stored === null ? null : this.offer(stored);
  }
}

const SERVER_FEATURES: ReadonlySet<string> = new Set(Object.values(CUSTOMER_FEATURES));

/**
 * A churn model the server can score its own customers with: a valid file
 * whose features are all ones the server computes (customerFeatureRow). A
 * model may lack some (the trainer drops constant columns), never add others.
 */
export function loadServerChurnModel(input: unknown): { ok: true; model: ChurnModel } | { ok: false; error: string } {
  const loaded = loadChurnModel(input);
  if (!loaded.ok) return loaded;
  const unknown = loaded.model.features.map((f) => f.name).filter((name) => !SERVER_FEATURES.has(name));
  if (unknown.length > 0) {
    return { ok: false, error: `model uses features the server does not compute: ${unknown.join(', ')} (it computes ${[...SERVER_FEATURES].join(', ')})` };
  }
  return loaded;
}

export const churnModelRegistry = (): ModelRegistry<ChurnModel> => new ModelRegistry('churn', loadServerChurnModel);
export const valueModelRegistry = (): ModelRegistry<ValueModelFile> => new ModelRegistry('value', loadValueModelFile);
