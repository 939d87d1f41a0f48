export * from './account-status';
export * from './verify';
