/**
 * The small part of the Reflect metadata API that @peculiar/x509's dependency
 * tsyringe checks for at load time (it would otherwise throw "tsyringe requires
 * a reflect polyfill"). Import before '@peculiar/x509'.
 */
type Key = string | symbol;
const store = new WeakMap<object, Map<string | symbol | undefined, Map<unknown, unknown>>>();
const R = Reflect as unknown as Record<string, unknown>;

function table(target: object, prop: Key | undefined, create: boolean): Map<unknown, unknown> | undefined {
  let byProp = store.get(target);
  if (!byProp) {
    if (!create) return undefined;
    store.set(target, (byProp = new Map()));
  }
  let t = byProp.get(prop);
  if (!t && create) byProp.set(prop, (t = new Map()));
  return t;
}

if (typeof R.getMetadata !== 'function') {
  const getOwn = (k: unknown, target: object, prop?: Key) => table(target, prop, false)?.get(k);
  const get = (k: unknown, target: object, prop?: Key): unknown => {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t) as object | null) {
      const v = table(t, prop, false);
      if (v?.has(k)) return v.get(k);
    }
    return undefined;
  };
  R.defineMetadata = (k: unknown, v: unknown, target: object, prop?: Key) => void table(target, prop, true)!.set(k, v);
  R.getOwnMetadata = getOwn;
  R.getMetadata = get;
  R.hasOwnMetadata = (k: unknown, target: object, prop?: Key) => !!table(target, prop, false)?.has(k);
  R.hasMetadata = (k: unknown, target: object, prop?: Key) => get(k, target, prop) !== undefined;
  R.metadata = (k: unknown, v: unknown) => (target: object, prop?: Key) => void table(target, prop, true)!.set(k, v);
}

export {};
