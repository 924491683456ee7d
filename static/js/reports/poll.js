// Reports page: while a version is queued or compiling, refresh the list every 2 seconds.

const box = document.getElementById("report-events");
const POLL_MS = 2000;

async function refresh() {
  if (!box.querySelector("[data-in-progress]")) return;
  try {
    const response = await fetch(box.dataset.pollUrl, { credentials: "same-origin" });
    if (response.ok) {
      const focused = document.activeElement?.id;
      box.innerHTML = await response.text();
      if (focused) document.getElementById(focused)?.focus();
    }
  } catch {
    // Offline for a moment: try again at the next tick.
  }
  setTimeout(refresh, POLL_MS);
}

if (box) setTimeout(refresh, POLL_MS);
