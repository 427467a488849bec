// Counsellor pages, on top of htmx: a form answered 422 is swapped in so the messages
// show beside the fields; after a swap, focus moves to the message saying what happened
// (or the first field in error) so keyboard and screen reader users know; and the report
// offers a print button. Everything works without this file, only less smoothly.
document.body.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.xhr.status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

document.body.addEventListener("htmx:afterSettle", () => {
  const target = document.querySelector("[aria-invalid='true'], [data-focus]");
  if (!target) return;
  target.removeAttribute("data-focus");
  target.focus();
});

for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
