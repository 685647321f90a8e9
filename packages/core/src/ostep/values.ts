/**
 * Typed access to parsed option values, number reading that stops the run the way the
 * original stops (a Python `ValueError` traceback becomes a one-line reason), and the
 * address draw and the opening lines the translation simulators share.
 */
import { PyRandom, SimError } from "../base/index.js";
import type { OptValue, OptValues } from "./optparse.js";
import { convertSize, pyInt } from "./pyint.js";
import type { Transcript } from "./transcript.js";

function get(values: OptValues, dest: string): OptValue {
  const v = values.get(dest);
  if (v === undefined) throw new SimError("ostep-option", `values: no option with dest '${dest}'`);
  return v;
}

/** An option declared `type="int"` (or with an int default). */
export function intOption(values: OptValues, dest: string): number {
  const v = get(values, dest);
  if (typeof v !== "number") throw new SimError("ostep-option", `values: '${dest}' is not an int`);
  return v;
}

/** An option declared `type="string"`. */
export function stringOption(values: OptValues, dest: string): string {
  const v = get(values, dest);
  if (typeof v !== "string") throw new SimError("ostep-option", `values: '${dest}' is not a string`);
  return v;
}

/** A store_true option. */
export function flagOption(values: OptValues, dest: string): boolean {
  const v = get(values, dest);
  if (typeof v !== "boolean") throw new SimError("ostep-option", `values: '${dest}' is not a flag`);
  return v;
}

/** `convert(text)` (a size with k/m/g), stopping the run with a reason naming `what`. */
export function sizeOrStop(out: Transcript, text: string, what: string): number {
  const n = convertSize(text);
  if (!n.ok) out.crash(`${what}: ${n.reason}`);
  return n.value;
}

/** `int(text)`, stopping the run with a reason naming `what`. */
export function intOrStop(out: Transcript, text: string, what: string): number {
  const n = pyInt(text);
  if (!n.ok) out.crash(`${what}: ${n.reason}`);
  return n.value;
}

/** `int(x)` of a Python float: truncation toward zero. */
export const pyTrunc = (x: number): number => Math.trunc(x);

/**
 * `num` virtual addresses `int(asize * random.random())`, drawn in order: the originals'
 * loop when no -A list is given (the draw order is part of their output).
 */
export function drawAddresses(rng: PyRandom, asize: number, num: number): number[] {
  const vas: number[] = [];
  for (let i = 0; i < num; i++) vas.push(pyTrunc(asize * rng.random()));
  return vas;
}

/**
 * The opening of relocation.py and segmentation.py: echoes `ARG seed`, `ARG address space
 * size` and `ARG phys mem size` as given (then a blank line), seeds the generator, and reads
 * both sizes (stopping the run on a malformed one). Draws nothing.
 */
export function echoSeedAndSizes(
  out: Transcript,
  values: OptValues,
): { rng: PyRandom; asize: number; psize: number } {
  const seed = intOption(values, "seed");
  const asizeText = stringOption(values, "asize");
  const psizeText = stringOption(values, "psize");
  out.print("ARG seed", seed);
  out.print("ARG address space size", asizeText);
  out.print("ARG phys mem size", psizeText);
  out.print("");
  const rng = new PyRandom(seed);
  const asize = sizeOrStop(out, asizeText, "address space size (-a)");
  const psize = sizeOrStop(out, psizeText, "physical memory size (-p)");
  return { rng, asize, psize };
}
