import { useState } from "preact/hooks";
import { accounts, ApiError } from "../../api";
import { Button, FormErrors, Notice, TextField } from "../../components/forms";
import { CardPage } from "../../components/Layout";
import { asApiError } from "../../components/useAsync";

export function ForgotPassword() {
  const [email, setEmail] = useState("");
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setAnswer((await accounts.resetPassword(email)).detail);
    } catch (err) {
      setError(asApiError(err));
    }
    setBusy(false);
  };
  return (
    <CardPage title="Forgotten password">
      {answer ? (
        <Notice kind="success">
          {answer} If <strong>{email}</strong> belongs to an account, the mail holds a link to choose a new password.
        </Notice>
      ) : (
        <form onSubmit={submit} noValidate>
          <p>Enter your account's e-mail address; we will send you a link to choose a new password.</p>
          <FormErrors messages={error ? error.others(["email"]) : []} />
          <TextField label="E-mail" name="email" type="email" autocomplete="email" value={email} onValue={setEmail} errors={error?.field("email")} />
          <Button type="submit" busy={busy} busyLabel="Sending…" class="wide">
            Send the link
          </Button>
        </form>
      )}
      <p class="aside">
        <a href="/app/login/">Back to the login</a>
      </p>
    </CardPage>
  );
}
