export function NotFound() {
  return (
    <main id="main" class="card-page">
      <div class="card narrow">
        <h1>Page not found</h1>
        <p>
          There is no console page at this address. <a href="/">Go to the start</a>.
        </p>
      </div>
    </main>
  );
}
