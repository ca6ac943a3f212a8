/** The MTA4DPR pipeline: experiment configs, splits, the iterative method, reproduction, reports. */
export * from './steps';
export * from './splits';
export * from './table';
export * from './student';
export * from './method';
export * from './reproduce';
export * from './report';
export * from './matrix';
export * from './parallel';
export * from './experiment';
export * from './paper';
export * from './bm25Runs';
export * from './validate';
export * from './assistantsReport';
export * from './scorers';
export * from './trainRow';
export * from './stages';
