/** Data layer: types, readers/writers for TSV, JSONL/BEIR, DPR, SMART, CACM and TREC files, validation, candidates, the dataset registry. */
export * from './types';
export * from './trec';
export * from './validate';
export * from './paths';
export * from './tsv';
export * from './jsonl';
export * from './beir';
export * from './jsonRecords';
export * from './pythonList';
export * from './dpr';
export * from './smart';
export * from './tar';
export * from './cacm';
export * from './candidates';
export * from './registry';
export * from './fullScale';
