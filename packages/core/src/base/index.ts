export * from "./errors.js";
export * from "./events.js";
export * from "./pyrandom.js";
export * from "./rng.js";
export * from "./units.js";
