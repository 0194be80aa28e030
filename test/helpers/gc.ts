/** Garbage collection on demand in a test process (tap gives every file the same node arguments). */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** `global.gc`, made available at run time. */
export function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Bytes of V8 heap in use after three forced collections (what is really kept, not garbage waiting). */
export function heapAfterGc(gc: () => void = exposeGc()): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}
