/** Public API of lib/text: BERT WordPiece tokenisation and word-piece statistics. */
export * from './tokenizer';
export * from './bertTokenizerJson';
export * from './idf';
