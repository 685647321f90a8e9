/**
 * The message shapes between the page and the engine worker, independent of any method.
 * A call carries an id; the worker answers with progress notes (any number) and then
 * exactly one result or error for that id.
 */
export interface CallMessage {
  readonly id: number;
  readonly method: string;
  readonly params: unknown;
}

/** A worker's answer to one call. */
export type ReplyMessage =
  | { readonly id: number; readonly kind: "result"; readonly result: unknown }
  | { readonly id: number; readonly kind: "error"; readonly message: string }
  | { readonly id: number; readonly kind: "progress"; readonly done: number; readonly total: number };

/** Reports how far a long call has come; `total` 0 means unknown. */
export type Progress = (done: number, total: number) => void;
