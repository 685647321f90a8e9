/**
 * A simulated Python exception (TypeError, AttributeError, KeyError, MemoryError…) raised by
 * the runtime's operations, as the interpreter would raise it to the Python program.
 */
export class PyException extends Error {
  constructor(
    readonly pyType: string,
    message: string,
  ) {
    super(`${pyType}: ${message}`);
    this.name = "PyException";
  }
}
