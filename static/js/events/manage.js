// Facilitator pages: copy buttons for join links, and a confirmation before deleting.

for (const button of document.querySelectorAll("[data-copy-target]")) {
  button.addEventListener("click", async () => {
    const input = document.getElementById(button.dataset.copyTarget);
    const original = button.firstChild.textContent;
    try {
      await navigator.clipboard.writeText(input.value);
      button.firstChild.textContent = "Copied";
    } catch {
      input.select();
      button.firstChild.textContent = "Press Ctrl+C";
    }
    setTimeout(() => { button.firstChild.textContent = original; }, 2000);
  });
}

for (const form of document.querySelectorAll("form[data-confirm]")) {
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
}
