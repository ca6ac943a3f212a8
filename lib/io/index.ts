/** Small I/O primitives used by every stage: streaming lines, atomic writes, content hashes, locks, named errors. */
export * from './errors';
export * from './lines';
export * from './atomic';
export * from './hash';
export * from './endian';
export * from './lock';
export * from './outputs';
export * from './readers';
