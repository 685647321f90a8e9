import type { Api, Method } from "./protocol.js";
import type { CallMessage, Progress, ReplyMessage } from "./rpc.js";

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  progress: Progress | undefined;
}

/** The side of a worker the client needs (a real `Worker`, or a test double). */
export interface WorkerPort {
  postMessage(message: CallMessage): void;
  addEventListener(type: "message", listener: (event: MessageEvent<ReplyMessage>) => void): void;
  addEventListener(type: "error", listener: (event: ErrorEvent) => void): void;
}

/**
 * Calls the engine worker by method name and returns a promise of the typed result.
 * Every call is answered exactly once; a worker crash rejects every pending call with
 * the crash message. The page never blocks: all engine work happens in the worker.
 */
export class EngineClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly port: WorkerPort) {
    port.addEventListener("message", (event) => this.receive(event.data));
    port.addEventListener("error", (event) => this.failAll(event.message || "the engine worker stopped"));
  }

  /** Sends `method(params)`; `progress` hears the worker's progress notes for this call. */
  call<M extends Method>(
    method: M,
    params: Api[M]["params"],
    progress?: Progress,
  ): Promise<Api[M]["result"]> {
    const id = this.nextId++;
    return new Promise<Api[M]["result"]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, progress });
      this.port.postMessage({ id, method, params });
    });
  }

  private receive(reply: ReplyMessage): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    if (reply.kind === "progress") {
      waiting.progress?.(reply.done, reply.total);
      return;
    }
    this.pending.delete(reply.id);
    if (reply.kind === "result") waiting.resolve(reply.result);
    else waiting.reject(new Error(reply.message));
  }

  private failAll(message: string): void {
    for (const waiting of this.pending.values()) waiting.reject(new Error(message));
    this.pending.clear();
  }
}

/** Starts the engine in a module worker and returns a client for it. */
export function startEngine(): EngineClient {
  const worker = new Worker(new URL("./engine.worker.ts", import.meta.url), {
    type: "module",
    name: "engine",
  });
  return new EngineClient(worker as unknown as WorkerPort);
}
