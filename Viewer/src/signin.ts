// Sign-in (Focus:Auth:Mode apikey or jwt): the credential kept in session storage, and 401/403 shown plainly.
import { currentCredential, signIn, signOut, type CredentialKind } from "./credentials.js";
import { $, input } from "./dom.js";

function showSignedIn(): void {
  const credential = currentCredential();
  $("signin_state").textContent = credential ? `signed in with ${credential.kind === "apikey" ? "an API key" : "a token"}` : "";
  input("signin_value").hidden = credential !== null;
  $<HTMLSelectElement>("signin_kind").hidden = credential !== null;
  $("signin_button").hidden = credential !== null;
  $("signout_button").hidden = credential === null;
}

function showAuthProblem(status: number, detail: string): void {
  const problem = $("auth-problem");
  problem.textContent = status === 401
    ? `Not signed in, or the API key or token was refused (401): ${detail}`
    : `Not allowed (403): ${detail}`;
  problem.hidden = false;
}

/** Wires the sign-in form; <onSignedIn>/<onSignedOut> reload what the credential changes. */
export function setUpSignIn(onSignedIn: () => void, onSignedOut: () => void): void {
  $("signin").addEventListener("submit", e => {
    e.preventDefault();
    const value = input("signin_value").value.trim();
    if (!value) return;
    signIn({ kind: $<HTMLSelectElement>("signin_kind").value as CredentialKind, value });
    input("signin_value").value = "";
    $("auth-problem").hidden = true;
    showSignedIn();
    onSignedIn();
  });
  $("signout_button").addEventListener("click", () => {
    signOut();
    showSignedIn();
    onSignedOut();
  });
  document.addEventListener("focus-auth", e => {
    const { status, detail } = (e as CustomEvent<{ status: number; detail: string }>).detail;
    showAuthProblem(status, detail);
  });
  showSignedIn();
}
