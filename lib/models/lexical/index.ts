/** Public API of lib/models/lexical: the hashed lexical student (config, encoder, creation, checkpoints). */
export * from './config';
export * from './encoder';
export * from './student';
export * from './checkpoint';
export { addTermVector, termSeed } from './hashing';
export { buildVocabulary, vocabularyFromStats, type LexicalVocabulary } from './vocabulary';
