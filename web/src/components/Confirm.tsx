// A button that asks before doing something that cannot be undone, in a modal dialog.

import { useEffect, useRef, useState } from "preact/hooks";
import { Button } from "./forms";

export function ConfirmButton(props: {
  label: string;
  title: string;
  message: string;
  confirmLabel: string;
  onConfirm: () => Promise<void> | void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (open) dialog.current?.showModal();
    else dialog.current?.close();
  }, [open]);
  const confirm = async () => {
    setBusy(true);
    try {
      await props.onConfirm();
    } finally {
      setBusy(false);
      setOpen(false);
    }
  };
  return (
    <>
      <Button variant="danger" onClick={() => setOpen(true)}>
        {props.label}
      </Button>
      <dialog ref={dialog} class="dialog" aria-labelledby="confirm-title" onClose={() => setOpen(false)}>
        <h2 id="confirm-title">{props.title}</h2>
        <p>{props.message}</p>
        <div class="actions">
          <Button variant="secondary" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button variant="danger" busy={busy} onClick={confirm}>
            {props.confirmLabel}
          </Button>
        </div>
      </dialog>
    </>
  );
}
