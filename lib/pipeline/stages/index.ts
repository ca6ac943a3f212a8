/** The method's stages, in the order runMethod composes them (see lib/pipeline/method.ts). */
export * from './state';
export * from './candidates';
export * from './score';
export * from './fuse';
export * from './groups';
export * from './select';
export * from './train';
export * from './evaluate';
export * from './studentPass';
export * from './replace';
export * from './studentColumn';
export * from './gotWrong';
export * from './retrieve';
export * from './mine';
export * from './scoreNew';
export * from './hardBlocks';
export * from './harder';
