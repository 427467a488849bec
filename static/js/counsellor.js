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

document.body.addEventListener("htmx:afterSettle", (event) => {
  // A part marks what should get focus with data-focus (used once); otherwise the first
  // field in error inside the part that was just swapped in.
  let target = document.querySelector("[data-focus]");
  if (!target) {
    const id = event.detail.target && event.detail.target.id;
    const swapped = id && document.getElementById(id);
    target = swapped && swapped.querySelector("[aria-invalid='true']");
  }
  if (!target) return;
  target.removeAttribute("data-focus");
  target.focus();
});

for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
