import { useState } from "preact/hooks";
import { accounts, ApiError } from "../../api";
import { Button, FormErrors, TextField } from "../../components/forms";
import { CardPage } from "../../components/Layout";
import { asApiError } from "../../components/useAsync";
import { navigate } from "../../router";

/** The page the reset mail links to: the uid and token come from its path. */
export function ResetConfirm({ params }: { params: Record<string, string> }) {
  const [password1, setPassword1] = useState("");
  const [password2, setPassword2] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await accounts.confirmReset({ uid: params.uid ?? "", token: params.token ?? "", new_password1: password1, new_password2: password2 });
      navigate("/app/login/?reset=1", true);
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  };
  const linkBroken = error && (error.field("token").length > 0 || error.field("uid").length > 0);
  return (
    <CardPage title="Choose a new password">
      <form onSubmit={submit} noValidate>
        {linkBroken && (
          <div class="alert alert-error" role="alert">
            <p>This reset link cannot be used ({[...error.field("uid"), ...error.field("token")].join(" ")}): it may have expired or been used already.</p>
            <p>
              <a href="/app/password/forgot/">Ask for a new link</a>
            </p>
          </div>
        )}
        <FormErrors messages={error ? error.others(["uid", "token", "new_password1", "new_password2"]) : []} />
        <TextField label="New password" name="new_password1" type="password" autocomplete="new-password" value={password1} onValue={setPassword1} errors={error?.field("new_password1")} />
        <TextField label="New password again" name="new_password2" type="password" autocomplete="new-password" value={password2} onValue={setPassword2} errors={error?.field("new_password2")} />
        <Button type="submit" busy={busy} busyLabel="Saving…" class="wide">
          Set the new password
        </Button>
      </form>
    </CardPage>
  );
}
