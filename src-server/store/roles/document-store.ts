/** Named JSON documents: model files (published to the feed) and the server's private state. */
export interface DocumentStore {
  /** Publishes a model file to the change feed (desktops receive it as a 'model' change). */
  putModel(kind: string, model: unknown): Promise<void>;
  model(kind: string): Promise<unknown | null>;
  /** Server-private state (e.g. the router's learnt statistics), not in the feed. */
  putDocument(kind: string, data: unknown): Promise<void>;
  document(kind: string): Promise<unknown | null>;
}
