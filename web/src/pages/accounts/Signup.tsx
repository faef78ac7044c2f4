import { useState } from "preact/hooks";
import { accounts, ApiError } from "../../api";
import { Button, FormErrors, Notice, TextField } from "../../components/forms";
import { CardPage } from "../../components/Layout";
import { asApiError } from "../../components/useAsync";
import { navigate } from "../../router";
import { signIn } from "../../session";

const FIELDS = ["username", "email", "password1", "password2"];

export function Signup() {
  const [form, setForm] = useState({ username: "", email: "", password1: "", password2: "" });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const set = (key: keyof typeof form) => (value: string) => setForm({ ...form, [key]: value });

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await accounts.register(form);
      if (answer.key) {
        // Verification is off on this server: the account is ready.
        signIn(answer.key, false);
        navigate("/app/models/", true);
        return;
      }
      setSent(answer.detail ?? "Verification e-mail sent.");
    } catch (err) {
      setError(asApiError(err));
    }
    setBusy(false);
  };

  if (sent) {
    return (
      <CardPage title="Check your mail">
        <Notice kind="success">
          {sent} We sent a link to <strong>{form.email}</strong>: open it to confirm your address, then log in.
        </Notice>
        <p class="aside">
          <a href="/app/login/">Go to the login</a>
        </p>
      </CardPage>
    );
  }
  return (
    <CardPage title="Create an account">
      <form onSubmit={submit} noValidate>
        <FormErrors messages={error ? error.others(FIELDS) : []} />
        <TextField label="Username" name="username" autocomplete="username" value={form.username} onValue={set("username")} errors={error?.field("username")} hint="Letters, digits and @ . + - _" />
        <TextField label="E-mail" name="email" type="email" autocomplete="email" value={form.email} onValue={set("email")} errors={error?.field("email")} />
        <TextField label="Password" name="password1" type="password" autocomplete="new-password" value={form.password1} onValue={set("password1")} errors={error?.field("password1")} hint="At least 8 characters, not only digits, not a common one." />
        <TextField label="Password again" name="password2" type="password" autocomplete="new-password" value={form.password2} onValue={set("password2")} errors={error?.field("password2")} />
        <Button type="submit" busy={busy} busyLabel="Creating…" class="wide">
          Sign up
        </Button>
      </form>
      <p class="aside">
        Already registered? <a href="/app/login/">Log in</a>
      </p>
    </CardPage>
  );
}
