/** No console page here; inside the frame when signed in, on its own otherwise. */
export function NotFound({ framed = false }: { framed?: boolean }) {
  const body = (
    <div class={framed ? "card" : "card narrow"}>
      <h1>Page not found</h1>
      <p>
        There is no console page at this address. <a href="/">Go to the start</a>.
      </p>
    </div>
  );
  return framed ? (
    body
  ) : (
    <main id="main" class="card-page">
      {body}
    </main>
  );
}
