// V8 compiles typed-array reads without a check for a detached buffer until the first buffer of the
// thread is detached; that first detach (a slice handed to another thread) throws away every optimized
// function that reads a typed array, and they are compiled again. In a redaction run that was ~35
// functions a thread, the scanner and the stage's hot loops among them, after they were hot: detaching
// one empty buffer when the engine loads makes that happen before anything is compiled.

/** Detaches an empty buffer, once per thread (repeated calls are harmless). */
export function detachOnce(): void {
  const empty = new ArrayBuffer(0);
  structuredClone(empty, { transfer: [empty] });
}
