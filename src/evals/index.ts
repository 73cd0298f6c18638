/** Eval results: one adapter per format (SPEC §4) and the statistics the eval gates use (SPEC §5). */
export type { EvalError, EvalFormat, EvalLoad, EvalOptions, EvalResult, EvalStatus, Metric, MetricKind, SliceMetrics } from './types';
export { EVAL_FORMATS } from './types';
export { loadEvalFile, parseEval, MAX_JSON_BYTES, MAX_LINE_BYTES } from './load';
export { interval, normalBounds, normalQuantile, percentile, samplesNeeded, wilson, zFor } from './stats';
export type { Bounds, IntervalMethod, MetricInterval } from './stats';
export { QuantileSketch } from './quantiles';
export { lastmileSchema, lastmileJsonSchema, parseLastmile } from './formats/lastmile';
export type { LastmileFile } from './formats/lastmile';
export { parseSamples, parseSamplesText, SamplesAccumulator, RESERVED_KEYS } from './formats/samples';
export type { SamplesOptions } from './formats/samples';
export { parsePromptfoo } from './formats/promptfoo';
export { parseLmEval } from './formats/lm-eval';
export { parseInspect } from './formats/inspect';
export { parseDeepeval } from './formats/deepeval';
export { parseJson, locatePath, sniffFormat } from './json';
