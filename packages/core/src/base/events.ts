/**
 * Events are the one record of what happened in a run. Each layer defines its own
 * tagged union (`HwEvent`, `KernelEvent`, …) with a literal `kind`; the machine's sink
 * receives their union. Components emit only when a sink is attached, so the fast path
 * allocates nothing per access.
 */
export interface EventSink<E> {
  emit(event: E): void;
}

/** A sink that keeps every event in order; for tests, the CLI's `--events` and the web lab. */
export class CollectingSink<E> implements EventSink<E> {
  readonly events: E[] = [];
  emit(event: E): void {
    this.events.push(event);
  }
  clear(): void {
    this.events.length = 0;
  }
}

/** A sink that forwards each event to a function. */
export class CallbackSink<E> implements EventSink<E> {
  constructor(private readonly fn: (event: E) => void) {}
  emit(event: E): void {
    this.fn(event);
  }
}
