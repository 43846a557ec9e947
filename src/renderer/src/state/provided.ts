import { createContext, useContext } from 'react';

/**
 * A context that only a provider fills, and its hook: used outside the provider, the hook throws
 * ("useApp outside AppProvider") rather than hand out a missing value.
 */
export function providedContext<T>(hook: string, provider: string) {
  const Context = createContext<T | null>(null);
  const useValue = (): T => {
    const value = useContext(Context);
    if (value === null) throw new Error(`${hook} outside ${provider}`);
    return value;
  };
  return [Context, useValue] as const;
}

/** A choice kept in this browser's storage; null when none is kept or storage is blocked. */
export function readStored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Keeps a choice in this browser's storage; where storage is blocked it is simply not kept. */
export function writeStored(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // not persisted; fine
  }
}
