/**
 * Shared memory segments (System V style: shmget / shmat / shmdt / shmctl(IPC_RMID)).
 * A segment owns its pages: each page is resident in a frame, out in a swap slot, or not
 * yet touched. Attached processes map those same frames; the segment lives until it is
 * removed and the last attacher has detached.
 */
import { invariant } from "../base/index.js";

export const NO_PAGE = -1;

export class ShmSegment {
  /** Resident frame of each page, or NO_PAGE. */
  readonly frames: Int32Array;
  /** Swap slot of each page that is out, or NO_PAGE. */
  readonly slots: Int32Array;
  /** Number of current attachments. */
  attachments = 0;
  /** Marked for removal (IPC_RMID): destroyed when the last attacher detaches. */
  removed = false;

  constructor(
    readonly id: number,
    readonly name: string,
    /** Bytes, rounded up to whole pages by the creator. */
    readonly size: number,
    readonly pages: number,
  ) {
    invariant(pages > 0, "shm.pages", "ShmSegment: a segment has at least one page");
    this.frames = new Int32Array(pages).fill(NO_PAGE);
    this.slots = new Int32Array(pages).fill(NO_PAGE);
  }

  /** Pages resident in RAM. */
  residentPages(): number {
    let n = 0;
    for (const f of this.frames) if (f !== NO_PAGE) n++;
    return n;
  }

  /** A deep copy, for snapshots. */
  clone(): ShmSegment {
    const c = new ShmSegment(this.id, this.name, this.size, this.pages);
    c.frames.set(this.frames);
    c.slots.set(this.slots);
    c.attachments = this.attachments;
    c.removed = this.removed;
    return c;
  }
}
