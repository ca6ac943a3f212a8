/**
 * mta4dpr: the public API. One namespace-free surface for notebooks and scripts, in the order
 * data flows: data → scorers/assistants → curriculum → training → retrieval → evaluation → report.
 */
export * from './io';
export * from './backend';
export * from './data';
export * from './eval';
export * from './text';
export * from './models';
export * from './retrieval';
export * from './assistants';
export * from './curriculum';
export * from './train';
export * from './report';
export * from './progress';
export * from './random';
export * from './config';
export * from './pipeline';
