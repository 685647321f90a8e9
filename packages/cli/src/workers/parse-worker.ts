/**
 * Worker thread body for `streamTraceAhead`: loads the core's trace parsers (only them
 * when the main thread found their module), then reads and parses one trace, posting its
 * reference batches to the thread that simulates them (see parse-ahead.ts).
 */
import { parentPort, workerData } from "node:worker_threads";
import { type ParseWorkerData, parseInWorker } from "../parse-ahead.js";
import type { TraceParsers } from "../trace-stream.js";

const port = parentPort;
if (port !== null) {
  const data = workerData as ParseWorkerData;
  const parsers = (await import(data.parsersUrl ?? "@memsim/core")) as TraceParsers;
  await parseInWorker(port, data, parsers);
}
