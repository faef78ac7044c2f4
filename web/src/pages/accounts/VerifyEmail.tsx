import { useEffect, useState } from "preact/hooks";
import { accounts, ApiError } from "../../api";
import { Button, FormErrors, Notice, TextField } from "../../components/forms";
import { CardPage } from "../../components/Layout";
import { Loading } from "../../components/status";
import { asApiError } from "../../components/useAsync";

/** The page the confirmation mail links to: it sends the key at once and says how it went. */
export function VerifyEmail({ params }: { params: Record<string, string> }) {
  const [state, setState] = useState<"checking" | "ok" | "failed">("checking");
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    accounts.verifyEmail(params.key ?? "").then(
      () => setState("ok"),
      (e) => {
        setError(asApiError(e));
        setState("failed");
      },
    );
  }, [params.key]);

  return (
    <CardPage title="Confirm your e-mail">
      {state === "checking" && <Loading label="Confirming your address…" />}
      {state === "ok" && (
        <>
          <Notice kind="success">Your e-mail address is confirmed. You can log in now.</Notice>
          <p>
            <a class="btn btn-primary wide" href="/app/login/">
              Log in
            </a>
          </p>
        </>
      )}
      {state === "failed" && (
        <>
          <Notice kind="error">
            {error?.status === 404
              ? "This confirmation link is not valid: it may have expired or been used already."
              : error?.message}
          </Notice>
          <Resend />
        </>
      )}
    </CardPage>
  );
}

function Resend() {
  const [email, setEmail] = useState("");
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await accounts.resendEmail(email);
      setDone(true);
    } catch (err) {
      setError(asApiError(err));
    }
    setBusy(false);
  };
  if (done) return <Notice kind="success">If that address has an account waiting for confirmation, a new link is on its way.</Notice>;
  return (
    <form onSubmit={submit} noValidate>
      <p>Send a new confirmation link:</p>
      <FormErrors messages={error ? error.others(["email"]) : []} />
      <TextField label="E-mail" type="email" autocomplete="email" value={email} onValue={setEmail} errors={error?.field("email")} />
      <Button type="submit" busy={busy} variant="secondary">
        Send a new link
      </Button>
    </form>
  );
}
