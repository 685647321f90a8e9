export { type Anomaly, findAnomalies } from "./anomaly.js";
export { type CurvePoint, curveSizes, type MissRatioCurve, simulateSizes } from "./curves.js";
export { LruStackDistance, popcount } from "./stack-distance.js";
export { WorkingSetCurve, type WorkingSetSample } from "./working-set.js";
