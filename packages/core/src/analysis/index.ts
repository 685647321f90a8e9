export { type Anomaly, findAnomalies } from "./anomaly.js";
export { type CurvePoint, curveSizes, type MissRatioCurve, simulateSizes } from "./curves.js";
export { PreviousTimes } from "./latest-times.js";
export { popcount } from "./popcount.js";
export { LruStackDistance } from "./stack-distance.js";
export { WorkingSetCurve, type WorkingSetSample } from "./working-set.js";
