/** Progress of long jobs: the run log file and one live display (notebook, terminal bar or lines). */
export * from './runLog';
