/**
 * Reads a value that can change at any time, sharing reads between concurrent callers without ever answering a
 * caller with a read that started before it asked: a caller that arrives while a read is in flight joins the one
 * read queued to start after it. Under load, many requests then share one round trip to the database.
 */
export class SharedRead<T> {
  private running: Promise<T> | null = null;
  private queued: Promise<T> | null = null;

  constructor(private readonly readOnce: () => Promise<T>) {}

  read(): Promise<T> {
    if (!this.running) return this.start();
    this.queued ??= this.running.then(noop, noop).then(() => {
      this.queued = null;
      return this.start();
    });
    return this.queued;
  }

  private start(): Promise<T> {
    const running = this.readOnce().finally(() => {
      if (this.running === running) this.running = null;
    });
    this.running = running;
    return running;
  }
}

function noop(): void {}
