/** Teaching assistants: scorers, score tables, distributions, distances, fusion, selection and the pool. */
export * from './types';
export * from './distribution';
export * from './divergence';
export * from './rankCompare';
export * from './missing';
export * from './fusion';
export * from './selection';
export * from './random';
export * from './pool';
export * from './scoreTable';
export * from './tableIo';
export * from './tableView';
export * from './scorers/runFile';
export * from './scorers/bm25';
export * from './scorers/dense';
export * from './config';
export * from './report';
