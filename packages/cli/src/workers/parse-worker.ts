/**
 * Worker thread body for `streamTraceAhead`: loads the core's trace parsers (only them
 * when the main thread found their module), then reads and parses one trace, posting its
 * reference batches to the thread that simulates them (see parse-ahead.ts); asked to, it
 * looks up the references' previous times too (the core's `PreviousTimes`).
 */
import { parentPort, workerData } from "node:worker_threads";
import { type ParseWorkerData, type PreviousTimesLike, parseInWorker } from "../parse-ahead.js";
import type { TraceParsers } from "../trace-stream.js";

const port = parentPort;
if (port !== null) {
  const data = workerData as ParseWorkerData;
  const parsers = (await import(data.parsersUrl ?? "@memsim/core")) as TraceParsers;
  let previous: PreviousTimesLike | undefined;
  if (data.previous !== undefined) {
    type Module = { PreviousTimes: new (window: number) => PreviousTimesLike };
    const { PreviousTimes } = (await import(data.previous.url ?? "@memsim/core")) as Module;
    previous = new PreviousTimes(data.previous.window);
  }
  await parseInWorker(port, data, parsers, previous);
}
