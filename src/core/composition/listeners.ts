/** A set of listeners to one kind of event: `add` returns the way to remove the listener again. */
export interface Listeners<T> {
  add: (listener: (value: T) => void) => () => void;
  emit: (value: T) => void;
}

export function createListeners<T>(): Listeners<T> {
  const set = new Set<(value: T) => void>();
  return {
    add: (listener) => {
      set.add(listener);
      return () => set.delete(listener);
    },
    emit: (value) => {
      for (const listener of set) listener(value);
    },
  };
}
