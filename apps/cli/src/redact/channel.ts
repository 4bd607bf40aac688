// Chunks handed from the reading engine's hooks to a zip entry being written: `push` resolves once the
// writer has taken every chunk pushed (back-pressure). Taken is not done with: a deflating writer reads
// ahead and hands chunks to zlib's thread, so a chunk must not be reused after `push`.

export class Channel implements AsyncIterable<Uint8Array> {
  private readonly queue: Uint8Array[] = [];
  private ended = false;
  private failure: unknown;
  private wake: (() => void) | undefined;
  private taken: { resolve: () => void; reject: (error: unknown) => void } | undefined;

  push(chunks: readonly Uint8Array[]): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    for (const chunk of chunks) if (chunk.length > 0) this.queue.push(chunk);
    if (this.queue.length === 0) return Promise.resolve();
    this.poke();
    return new Promise((resolve, reject) => {
      this.taken = { resolve, reject };
    });
  }

  end(): void {
    this.ended = true;
    this.poke();
  }

  /** The writer failed: a waiting or later `push` rejects with its error. */
  fail(error: unknown): void {
    this.failure = error ?? new Error('the entry could not be written');
    this.taken?.reject(this.failure);
    this.taken = undefined;
    this.poke();
  }

  private poke(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    for (;;) {
      while (this.queue.length === 0) {
        if (this.failure !== undefined) throw this.failure;
        if (this.ended) return;
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
      }
      yield this.queue.shift()!;
      // Asked for the next chunk: the ones before were taken.
      if (this.queue.length === 0) {
        this.taken?.resolve();
        this.taken = undefined;
      }
    }
  }
}
