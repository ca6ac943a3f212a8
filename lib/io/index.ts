/** Small I/O primitives used by every stage: streaming lines, atomic writes, content hashes. */
export * from './lines';
export * from './atomic';
export * from './hash';
export * from './endian';
