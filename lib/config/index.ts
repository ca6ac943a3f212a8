/** The one schema folder: every config concept defined once (a leaf: zod and node built-ins only). */
export * from './enums';
export * from './errors';
export * from './data';
export * from './distribution';
export * from './missing';
export * from './fusion';
export * from './selection';
export * from './loss';
export * from './training';
export * from './iterations';
export * from './evaluation';
export * from './student';
export * from './model';
export * from './dataset';
export * from './experiment';
export * from './load';
