/**
 * Worker thread body for `runSweepParallel`: runs its share of a sweep and posts
 * progress and the rows back (see sweep.ts).
 */
import { parentPort, workerData } from "node:worker_threads";
import { UsageError } from "../io.js";
import { runSweep, type SweepJob, type WorkerMessage } from "../sweep.js";

const port = parentPort;
if (port !== null) {
  const post = (m: WorkerMessage) => port.postMessage(m);
  let last = 0;
  runSweep(workerData as SweepJob, (bytes, total) => {
    const now = performance.now();
    if (now - last > 100) {
      last = now;
      post({ kind: "progress", bytes, total });
    }
  }).then(
    (rows) => post({ kind: "done", rows }),
    (e: unknown) =>
      post({
        kind: "error",
        message: e instanceof Error ? e.message : String(e),
        usage: e instanceof UsageError,
      }),
  );
}
