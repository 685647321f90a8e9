/**
 * The engine worker: owns every simulation so the page stays responsive. Receives
 * `CallMessage`s, answers each with one result or error (and progress notes between).
 */
import { createPolicy, POLICY_NAMES } from "@memsim/core";
import { PygcSession } from "../engine/pygc-session.js";
import { checkReplaceParams, compare, LabInputError, loadRefs } from "../engine/replace.js";
import type { PolicyFactory } from "../engine/replacement-grid.js";
import { ScenarioApi } from "../engine/scenario-api.js";
import type { Api, Method } from "./protocol.js";
import type { CallMessage, Progress, ReplyMessage } from "./rpc.js";

interface WorkerScope {
  postMessage(message: ReplyMessage): void;
  addEventListener(type: "message", listener: (event: MessageEvent<CallMessage>) => void): void;
}
const scope = self as unknown as WorkerScope;

const makePolicy: PolicyFactory = (name, capacity) => createPolicy(name, { capacity });

const scenarios = new ScenarioApi();
let pygc: PygcSession | null = null;
const loadedPygc = (): PygcSession => {
  if (!pygc) throw new LabInputError("no script is loaded: run one first");
  return pygc;
};

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
  "pygc-load": (p) => {
    const s = PygcSession.load(p.source);
    if (!(s instanceof PygcSession))
      return { kind: "error", message: `${s.line}:${s.col}: ${s.message}`, line: s.line, col: s.col };
    pygc = s;
    return { kind: "loaded", length: s.length, complete: true, names: [] };
  },
  "pygc-state": (p) => loadedPygc().state(p.step),
  "pygc-find": (p) => loadedPygc().find(p.from, p.direction, p.kinds),
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
