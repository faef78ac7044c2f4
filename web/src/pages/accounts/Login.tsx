import { useState } from "preact/hooks";
import { accounts, ApiError } from "../../api";
import { Button, FormErrors, Notice, TextField } from "../../components/forms";
import { CardPage } from "../../components/Layout";
import { asApiError } from "../../components/useAsync";
import { isConsolePath, navigate } from "../../router";
import { signIn } from "../../session";

/** Logs in with a username or an e-mail address (the API takes either). */
export function Login({ query }: { query: URLSearchParams }) {
  const [identity, setIdentity] = useState("");
  const [password, setPassword] = useState("");
  const [remember, setRemember] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const isEmail = identity.includes("@");

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { key } = await accounts.login(isEmail ? { email: identity } : { username: identity }, password);
      signIn(key, remember);
      const next = query.get("next");
      navigate(next && isConsolePath(next) ? next : "/app/models/", true);
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  };

  const identityErrors = error ? [...error.field("username"), ...error.field("email")] : undefined;
  return (
    <CardPage title="Log in">
      {query.get("signed_out") && <Notice kind="success">You are logged out.</Notice>}
      {query.get("reset") && <Notice kind="success">Your password has been reset. Log in with the new one.</Notice>}
      {query.get("changed") && <Notice kind="success">Your password was changed. Log in again with the new one.</Notice>}
      <form onSubmit={submit} noValidate>
        <FormErrors messages={error ? error.others(["username", "email", "password"]) : []} />
        <TextField label="Username or e-mail" name="identity" autocomplete="username" required value={identity} onValue={setIdentity} errors={identityErrors} />
        <TextField label="Password" name="password" type="password" autocomplete="current-password" required value={password} onValue={setPassword} errors={error?.field("password")} />
        <label class="check">
          <input type="checkbox" checked={remember} onChange={(e) => setRemember((e.target as HTMLInputElement).checked)} />
          Keep me signed in on this computer
        </label>
        <Button type="submit" busy={busy} busyLabel="Logging in…" class="wide">
          Log in
        </Button>
      </form>
      <p class="aside">
        <a href="/app/password/forgot/">Forgotten your password?</a>
        <br />
        New here? <a href="/app/signup/">Create an account</a>
      </p>
    </CardPage>
  );
}
