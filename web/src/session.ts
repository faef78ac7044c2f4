// Where the login key lives. "Keep me signed in" puts it in localStorage (shared by
// tabs, survives a restart); otherwise sessionStorage (this tab only, gone when it
// closes). Both are readable by scripts of this origin, which is why the console runs
// under a strict CSP and uploads are served sandboxed. See README "Console".

const KEY = "netsmith.token";

type Listener = (token: string | null) => void;
const listeners = new Set<Listener>();

function stores(): Storage[] {
  return [window.sessionStorage, window.localStorage];
}

export function token(): string | null {
  for (const store of stores()) {
    const value = store.getItem(KEY);
    if (value) return value;
  }
  return null;
}

export function signIn(value: string, remember: boolean): void {
  signOutLocally();
  (remember ? window.localStorage : window.sessionStorage).setItem(KEY, value);
  listeners.forEach((l) => l(value));
}

/** Forgets the key in this browser (the server is told separately, by logout). */
export function signOutLocally(): void {
  for (const store of stores()) store.removeItem(KEY);
  listeners.forEach((l) => l(null));
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
