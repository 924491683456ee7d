// Keeps the marketplace board fresh: fetches the server-rendered board every few seconds,
// swaps it in when it changed, and announces new topics in a polite live region. Focus is
// kept on the same control, so people using a keyboard or screen reader are not thrown out.

const board = document.getElementById("board");
const news = document.getElementById("board-news");
const EVERY_MS = 4000;

function topicIds(root) {
  const holder = root.querySelector("[data-topics]");
  return new Set((holder?.dataset.topics || "").split(",").filter(Boolean));
}

function focusKey() {
  const active = document.activeElement;
  if (!active || !board.contains(active)) return null;
  return active.getAttribute("aria-label") || active.textContent.trim();
}

function restoreFocus(key) {
  if (!key) return;
  const match = [...board.querySelectorAll("a, button")].find(
    (el) => (el.getAttribute("aria-label") || el.textContent.trim()) === key,
  );
  match?.focus();
}

async function refresh() {
  if (document.hidden) return;
  let html;
  try {
    const response = await fetch(board.dataset.boardUrl, { headers: { Accept: "text/html" } });
    if (!response.ok) return;
    html = await response.text();
  } catch {
    return; // offline for a moment: the next tick tries again
  }
  const next = document.createElement("div");
  next.innerHTML = html;
  const current = board.querySelector("#board-content");
  const incoming = next.querySelector("#board-content");
  if (!incoming || (current && current.outerHTML === incoming.outerHTML)) return;
  const before = topicIds(board);
  const added = [...topicIds(next)].filter((id) => !before.has(id));
  const key = focusKey();
  board.replaceChildren(...next.childNodes);
  restoreFocus(key);
  if (added.length) {
    const titles = added
      .map((id) => board.querySelector(`[data-topic="${id}"] h4`)?.textContent.trim())
      .filter(Boolean);
    news.textContent = `New topic${titles.length > 1 ? "s" : ""}: ${titles.join("; ")}`;
  }
}

if (board) setInterval(refresh, EVERY_MS);
