import type { ClaimedRun, Logger, RunEvent } from '@trainyard/experiments';

/** A run of a pack, as its attempt hands it to the training. */
export interface PackMember {
  definition: ClaimedRun['definition'];
  signal: AbortSignal;
  log: Logger;
}

/** Starts a pack's training: one event stream per member, in order (see TrainingPool.runPack). */
export type TrainPack = (members: PackMember[]) => Promise<AsyncIterable<RunEvent>[]>;

/**
 * Gathers the members of a pack as their attempts start, then starts their training once,
 * together. Each attempt (runAttempt) asks for its run's events with its own signal; the
 * launcher answers each with its member's stream once every member has asked.
 */
export class PackLauncher {
  private readonly members: (PackMember | undefined)[];
  private joined = 0;
  private launched: Promise<AsyncIterable<RunEvent>[]> | undefined;
  private launch: () => void = () => undefined;
  private readonly ready: Promise<void>;

  constructor(
    size: number,
    private readonly train: TrainPack,
  ) {
    this.members = Array.from({ length: size }, () => undefined);
    this.ready = new Promise((resolve) => {
      this.launch = resolve;
    });
  }

  /** Member `index`'s events; training starts when the last member has joined. */
  async *join(index: number, member: PackMember): AsyncGenerator<RunEvent> {
    if (this.members[index] === undefined) this.joined++;
    this.members[index] = member;
    if (this.joined === this.members.length) this.launch();
    await this.ready;
    this.launched ??= this.train(this.members as PackMember[]);
    const streams = await this.launched;
    const events = streams[index];
    if (events) yield* events;
  }
}
