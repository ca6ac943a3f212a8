/** Public API of lib/retrieval: corpus encoding (cached), exact / HNSW top-k, runs, .npy files. */
export * from './npy';
export * from './topk';
export * from './encodeCorpus';
export * from './search';
export * from './hnsw';
export * from './rerank';
