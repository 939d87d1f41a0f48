/** The value model file lives in shared/value so desktops check what they receive with the same loader. */
export { VALUE_MODEL_FILE_SCHEMA_VERSION, valueModelFileSchema, loadValueModelFile } from '@shared/value/model-file';
export type { ValueModelFile, ValueModelLoadResult } from '@shared/value/model-file';
