// Pictures and audio of uploads: fetched with the token (an <img> cannot send it) and
// shown from an object URL, released when the component goes.

import { useEffect, useState } from "preact/hooks";
import { data } from "../api";
import { Loading } from "./status";

export function useObjectUrl(source: Blob | null): string | null {
  const [href, setHref] = useState<string | null>(null);
  useEffect(() => {
    if (!source) return setHref(null);
    const made = URL.createObjectURL(source);
    setHref(made);
    return () => URL.revokeObjectURL(made);
  }, [source]);
  return href;
}

export function UploadMedia({ id, path, alt, kind }: { id: number; path?: string; alt: string; kind: "picture" | "audio" }) {
  const [blob, setBlob] = useState<Blob | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setBlob(null);
    setError(null);
    data
      .content(id, path ? { relative_path: path } : {})
      .then((r) => live && (r.kind === "file" ? setBlob(r.blob) : setError("This is not a file.")))
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [id, path]);
  const href = useObjectUrl(blob);
  if (error) return <p class="field-errors">{error}</p>;
  if (!href) return <Loading label="Loading preview…" />;
  return kind === "picture" ? (
    <img class="preview-image" src={href} alt={alt} />
  ) : (
    <audio class="preview-audio" controls src={href} aria-label={alt} />
  );
}
