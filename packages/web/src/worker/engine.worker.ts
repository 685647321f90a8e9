/**
 * The engine worker: owns every simulation so the page stays responsive. Receives
 * `CallMessage`s, answers each with one result or error (and progress notes between).
 */
import { createPolicy, POLICY_NAMES } from "@memsim/core";
import { checkReplaceParams, compare, LabInputError, loadRefs } from "../engine/replace.js";
import type { PolicyFactory } from "../engine/replacement-grid.js";
import { ScenarioApi } from "../engine/scenario-api.js";
import type { Api, Method } from "./protocol.js";
import type { CallMessage, Progress, ReplyMessage } from "./rpc.js";

interface WorkerScope {
  postMessage(message: ReplyMessage, transfer?: Transferable[]): void;
  addEventListener(type: "message", listener: (event: MessageEvent<CallMessage>) => void): void;
}
const scope = self as unknown as WorkerScope;

const makePolicy: PolicyFactory = (name, capacity) => createPolicy(name, { capacity });

const scenarios = new ScenarioApi();

type Handlers = {
  [M in Method]: (
    params: Api[M]["params"],
    progress: Progress,
  ) => Api[M]["result"] | Promise<Api[M]["result"]>;
};

const handlers: Handlers = {
  hello: () => ({ policies: POLICY_NAMES }),
  replace: async (params, progress) => {
    checkReplaceParams(params, POLICY_NAMES);
    const read = await loadRefs(params.source);
    if (read.kind === "error") throw new LabInputError(read.message);
    if (read.refs.length === 0) throw new LabInputError("the reference string is empty");
    return { ...compare(read.refs, params, makePolicy, progress), format: read.format };
  },
  "scenario-load": (p) => scenarios.load(p.source, p.limit),
  "scenario-state": (p) => scenarios.state(p.step),
  "scenario-events": (p) => scenarios.events(p.from, p.count),
  "scenario-find": (p) => scenarios.find(p.from, p.direction, p.kinds),
  "frame-owners": (p) => scenarios.owners(p.pfn),
  "scenario-export": () => scenarios.exportJson(),
};

scope.addEventListener("message", async (event) => {
  const { id, method, params } = event.data;
  const progress: Progress = (done, total) => scope.postMessage({ id, kind: "progress", done, total });
  try {
    const handler = handlers[method as Method] as ((p: unknown, progress: Progress) => unknown) | undefined;
    if (!handler) throw new LabInputError(`the engine has no method "${method}"`);
    const result = await handler(params, progress);
    scope.postMessage({ id, kind: "result", result });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    scope.postMessage({ id, kind: "error", message });
  }
});
