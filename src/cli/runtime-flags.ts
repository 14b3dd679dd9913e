/**
 * The V8 flags a run sets for itself once started (run/heap.ts), kept where the bundle's
 * loader reads them (load-bundled.ts): V8 refuses a code cache made under other flags, so
 * a script compiled after a batch changed them has a cache of its own instead of
 * overwriting, at every other run, the one single runs use. A registry symbol, since the
 * loader and the runs are separate scripts with separate copies of this module.
 */
const key = Symbol.for('presend.runtimeV8Flags');

export function setRuntimeFlag(flag: string): void {
  process.getBuiltinModule('node:v8').setFlagsFromString(flag);
  const globals = globalThis as Record<symbol, string[] | undefined>;
  globals[key] = [...(globals[key] ?? []), flag];
}

/** The flags set so far, as one name part (`heap-growing-percent-25`), or '' when none. */
export function runtimeFlagsName(): string {
  return ((globalThis as Record<symbol, string[] | undefined>)[key] ?? []).map((flag) => flag.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '')).join('-');
}
