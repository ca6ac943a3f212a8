/** Public API of the evaluation module: trec_eval-exact measures, QA answer accuracy, significance, tables. */
export { evaluate, type EvaluateOptions, type EvaluationResult } from './evaluate';
export { parseMeasure, parseMeasureList, measureHelp, MeasureSyntaxError, type ParsedMeasure } from './parse';
export { MEASURES, type MeasureDefinition } from './measures';
export { compareTrecDocIds, compareByScore, rankEntries, type RankingOrder } from './order';
export { prepareQrels, prepareQuery, numRelevant, UNJUDGED, type JudgedQuery, type PreparedQuery } from './prepared';
export { hasAnswer, answerTokens, topKAccuracy, answerHitsPerQuery, answerMeasureDepth, type AnswerMatchMode, type TopKAccuracy } from './answers';
export {
  pairedValues, pairedTTest, randomizationTest, seededRandom,
  type PairedValues, type PairedTestResult, type TTestResult, type RandomizationOptions, type RandomizationResult,
} from './significance';
export { regularizedIncompleteBeta, regularizedLowerGamma, normalCdf, logGamma, studentTTwoSided } from './special-functions';
export {
  pairedTTestPower, minimumDetectableDifference, detectableFromDifferences, requiredQueries, differenceSd, studentTTwoSidedQuantile,
  type DetectableDifference, type PowerOptions,
} from './power';
export { resultsTable, type ResultRow, type ResultsTableOptions } from './table';
