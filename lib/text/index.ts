/** Public API of lib/text: BERT WordPiece tokenisation, word-piece statistics, word-level analysis and term statistics. */
export * from './tokenizer';
export * from './bertTokenizerJson';
export * from './idf';
export * from './analyzer';
export * from './termStats';
