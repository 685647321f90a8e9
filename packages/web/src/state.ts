import { signal } from "@preact/signals";
import type { StepAction } from "./lab/keys.js";
import { type EngineClient, startEngine } from "./worker/client.js";

/** The views the lab can show. */
export type View = "machine" | "replacement" | "python";

/** The open view. */
export const view = signal<View>("machine");

/** Predict mode: the next outcome is hidden until the user guesses it. */
export const predictMode = signal(false);

/** The sentence the narration region reads out (aria-live). */
export const narration = signal("");

/** The last problem to show the user (bad input, engine error), or "". */
export const problem = signal("");

/** Why the permalink in the address bar could not be read, or "". */
export const linkProblem = signal("");

let engine: EngineClient | null = null;

/** The one engine worker, started on first use. */
export function getEngine(): EngineClient {
  engine ??= startEngine();
  return engine;
}

/** What the open view does for each stepping key; views install theirs while shown. */
export const stepHandler = signal<((action: StepAction) => void) | null>(null);

/** Triggers a browser download of `data` as `name`. */
export function download(name: string, data: Blob | string, type = "application/octet-stream"): void {
  const blob = typeof data === "string" ? new Blob([data], { type }) : data;
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
