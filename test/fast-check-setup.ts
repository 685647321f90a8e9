/**
 * Property tests generate inputs of a useful size: fast-check's default ("small") caps an
 * array at about ten elements whatever its `maxLength`, too short to reach the states that
 * need a few dozen references (a ghost hit followed by an eviction from the protected list).
 */
import fc from "fast-check";

fc.configureGlobal({ baseSize: "medium" });
