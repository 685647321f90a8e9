/**
 * Okabe–Ito colours (Okabe & Ito, "Color Universal Design", 2008): distinguishable with
 * every common colour-vision deficiency. Every colour meaning also has a text or shape
 * cue in the views, so nothing is said by colour alone.
 */
export const OKABE_ITO = {
  black: "#000000",
  orange: "#E69F00",
  skyBlue: "#56B4E9",
  bluishGreen: "#009E73",
  yellow: "#F0E442",
  blue: "#0072B2",
  vermillion: "#D55E00",
  reddishPurple: "#CC79A7",
} as const;

/** Colours of outcomes: a hit, a miss, an evicted page. */
export const OUTCOME = {
  hit: OKABE_ITO.bluishGreen,
  miss: OKABE_ITO.vermillion,
  evict: OKABE_ITO.orange,
} as const;

/** Line colours for series (policies in a chart), in order. */
export const SERIES = [
  OKABE_ITO.blue,
  OKABE_ITO.vermillion,
  OKABE_ITO.bluishGreen,
  OKABE_ITO.reddishPurple,
  OKABE_ITO.orange,
  OKABE_ITO.skyBlue,
  OKABE_ITO.black,
  OKABE_ITO.yellow,
] as const;

/** The colour of series `i` (cycles past eight). */
export function seriesColour(i: number): string {
  return SERIES[((i % SERIES.length) + SERIES.length) % SERIES.length]!;
}
