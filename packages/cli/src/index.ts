export type { CommandContext, CommandModule } from "./command.js";
export { type Io, memoryIo, nodeIo, UsageError } from "./io.js";
export { buildProgram, main } from "./main.js";
export { VERSION } from "./version.js";
