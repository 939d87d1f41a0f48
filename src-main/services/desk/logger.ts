/** What the desks need of a logger (pino's shape); the backend is handed a real one. */
export interface DeskLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export const silentLogger: DeskLogger = { debug() {}, info() {}, warn() {}, error() {} };
