/**
 * Keyboard-first control: the keys every stepping view understands. Keys typed into a
 * text field, editor or select belong to that control, never to the stepper.
 */
export type StepAction = "forward" | "back" | "play" | "start" | "end" | "next-break" | "previous-break";

const KEYS: Readonly<Record<string, StepAction>> = {
  ArrowRight: "forward",
  ArrowLeft: "back",
  " ": "play",
  Home: "start",
  End: "end",
  n: "next-break",
  N: "previous-break",
};

/** The action for a key press, or null when the key is not the stepper's. */
export function keyAction(
  key: string,
  target: { tagName?: string; isContentEditable?: boolean } | null,
): StepAction | null {
  const tag = target?.tagName?.toUpperCase() ?? "";
  if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target?.isContentEditable) return null;
  if (tag === "BUTTON" && key === " ") return null;
  return KEYS[key] ?? null;
}
