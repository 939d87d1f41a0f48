export * from './eligibility';
export * from './hierarchical';
export * from './thompson';
export * from './ope';
