/** Eval results: one adapter per format (SPEC §4) and the statistics the eval gates use (SPEC §5). */
export type { EvalError, EvalFormat, EvalLoad, EvalOptions, EvalResult, EvalStatus, Metric, MetricKind, SliceMetrics } from './types';
export { EVAL_FORMATS } from './types';
export { loadEvalFile, parseEval, MAX_JSON_BYTES, MAX_LINE_BYTES } from './load';
export {
  addErrored,
  atSampleSize,
  criticalValue,
  differenceInterval,
  foldErrors,
  interval,
  isInconclusive,
  judge,
  meets,
  metricInterval,
  normalBounds,
  normalQuantile,
  percentile,
  samplesNeeded,
  samplesToMeet,
  samplesToSettleDifference,
  samplesToSettleSlice,
  sliceDropInterval,
  tQuantile,
  TOLERANCE,
  wilson,
  zFor,
} from './stats';
export type { Bounds, Inconclusive, Interval, IntervalMethod, IntervalResult, MetricInterval } from './stats';
export { baseMetricName, catalogueDirection, isUnitBounded, metricDirection } from './metrics';
export type { Direction } from './metrics';
export { formatInterval, formatMetric } from './display';
export { QuantileSketch } from './quantiles';
export { lastmileSchema, lastmileJsonSchema, parseLastmile } from './formats/lastmile';
export type { LastmileFile } from './formats/lastmile';
export { parseSamples, parseSamplesText, SamplesAccumulator, RESERVED_KEYS } from './formats/samples';
export type { SamplesOptions } from './formats/samples';
export { parsePromptfoo } from './formats/promptfoo';
export { parseLmEval } from './formats/lm-eval';
export { parseInspect } from './formats/inspect';
export { parseDeepeval } from './formats/deepeval';
export { parseJson, locatePath, sniffFormat } from '../../lib/json';
