import { useState } from "preact/hooks";
import { accounts, ApiError } from "../../api";
import { Button, FormErrors, Notice, TextField } from "../../components/forms";
import { PageHeader } from "../../components/Layout";
import { Loading } from "../../components/status";
import { asApiError, useAsync } from "../../components/useAsync";
import { navigate } from "../../router";
import { signOutLocally } from "../../session";

export function Profile() {
  const user = useAsync(() => accounts.user(), []);
  return (
    <>
      <PageHeader title="Profile" />
      <div class="grid two">
        <section class="card" aria-labelledby="profile-title">
          <h2 id="profile-title">Your details</h2>
          {user.loading && <Loading />}
          {user.error && <FormErrors messages={[user.error.message]} />}
          {user.value && <Details initial={user.value} />}
        </section>
        <section class="card" aria-labelledby="password-title">
          <h2 id="password-title">Change the password</h2>
          <PasswordChange />
        </section>
      </div>
    </>
  );
}

function Details({ initial }: { initial: { username: string; email: string; first_name: string; last_name: string } }) {
  const [form, setForm] = useState({ username: initial.username, first_name: initial.first_name, last_name: initial.last_name });
  const [busy, setBusy] = useState(false);
  // "Saved" while the form still shows what the server stored.
  const [savedAs, setSavedAs] = useState<string | null>(null);
  const saved = savedAs === JSON.stringify(form);
  const [error, setError] = useState<ApiError | null>(null);
  const set = (key: keyof typeof form) => (value: string) => setForm({ ...form, [key]: value });
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const user = await accounts.updateUser(form);
      const stored = { username: user.username, first_name: user.first_name, last_name: user.last_name };
      setForm(stored);
      setSavedAs(JSON.stringify(stored));
    } catch (err) {
      setError(asApiError(err));
    }
    setBusy(false);
  };
  return (
    <form onSubmit={submit} noValidate>
      {saved && <Notice kind="success">Saved.</Notice>}
      <FormErrors messages={error ? error.others(["username", "first_name", "last_name"]) : []} />
      <TextField label="Username" value={form.username} onValue={set("username")} errors={error?.field("username")} autocomplete="username" />
      <TextField label="E-mail" value={initial.email} onValue={() => undefined} readOnly hint="The address cannot be changed." />
      <TextField label="First name" value={form.first_name} onValue={set("first_name")} errors={error?.field("first_name")} autocomplete="given-name" />
      <TextField label="Last name" value={form.last_name} onValue={set("last_name")} errors={error?.field("last_name")} autocomplete="family-name" />
      <Button type="submit" busy={busy} busyLabel="Saving…">
        Save
      </Button>
    </form>
  );
}

function PasswordChange() {
  const [form, setForm] = useState({ old_password: "", new_password1: "", new_password2: "" });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const set = (key: keyof typeof form) => (value: string) => setForm({ ...form, [key]: value });
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await accounts.changePassword(form);
      // The server logs out every session on a password change, this one included.
      signOutLocally();
      navigate("/app/login/?changed=1", true);
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate>
      <p class="hint">Changing it logs you out everywhere, here included.</p>
      <FormErrors messages={error ? error.others(Object.keys(form)) : []} />
      <TextField label="Current password" type="password" autocomplete="current-password" value={form.old_password} onValue={set("old_password")} errors={error?.field("old_password")} />
      <TextField label="New password" type="password" autocomplete="new-password" value={form.new_password1} onValue={set("new_password1")} errors={error?.field("new_password1")} />
      <TextField label="New password again" type="password" autocomplete="new-password" value={form.new_password2} onValue={set("new_password2")} errors={error?.field("new_password2")} />
      <Button type="submit" busy={busy} busyLabel="Changing…">
        Change the password
      </Button>
    </form>
  );
}
