// Who the viewer calls the gateway as when Focus:Auth:Mode is apikey or jwt: an API key or a bearer token the
// user pastes in. Kept in sessionStorage (this tab only, gone when it closes), never in the URL.

export type CredentialKind = "apikey" | "bearer";

export interface Credential {
  kind: CredentialKind;
  value: string;
}

const Key = "focus.credential";

export function currentCredential(): Credential | null {
  try {
    const stored = JSON.parse(sessionStorage.getItem(Key) ?? "null") as Credential | null;
    return stored && (stored.kind === "apikey" || stored.kind === "bearer") && typeof stored.value === "string" && stored.value
      ? stored
      : null;
  } catch {
    return null;
  }
}

export function signIn(credential: Credential): void {
  sessionStorage.setItem(Key, JSON.stringify({ kind: credential.kind, value: credential.value.trim() }));
}

export function signOut(): void {
  sessionStorage.removeItem(Key);
}

/** The headers every call carries: X-Api-Key, or Authorization: Bearer; none when signed out. */
export function authHeaders(credential: Credential | null = currentCredential()): Record<string, string> {
  if (!credential) return {};
  return credential.kind === "apikey" ? { "X-Api-Key": credential.value } : { Authorization: `Bearer ${credential.value}` };
}
