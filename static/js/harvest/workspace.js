// The harvest curation workspace: every change is POSTed at once and the server answers
// with the new board; other harvesters' changes arrive over a websocket (or, if it is not
// available, by polling every few seconds).

import { followChanges } from "./news.js";

const root = document.getElementById("harvest-root");
const statusRegion = document.getElementById("harvest-status");
const moveDialog = document.getElementById("move-dialog");
const redactDialog = document.getElementById("redact-dialog");
const rebuildDialog = document.getElementById("rebuild-dialog");

let movingMember = null;

function board() {
  return document.getElementById("harvest-board");
}

function version() {
  return board().dataset.version;
}

function announce(message, isError = false) {
  statusRegion.textContent = message;
  statusRegion.classList.toggle("harvest-status--error", isError);
}

// A big event's themes are folded: the ones the harvester opened. Every request for a new
// board names them, so that the board comes back with them open and their cards in.
function openFolds() {
  return [...board().querySelectorAll("details[data-fold][open]")].map((d) => d.dataset.fold);
}

function swapBoard(html) {
  const focusKey = document.activeElement?.dataset?.focusKey;
  const open = openFolds();
  const template = document.createElement("template");
  template.innerHTML = html.trim();
  board().replaceWith(template.content.firstElementChild);
  for (const fold of open) {
    const details = board().querySelector(`details[data-fold="${fold}"]`);
    if (details && !details.open) details.open = true; // its cards load on "toggle"
  }
  if (focusKey) {
    document.querySelector(`[data-focus-key="${focusKey}"]`)?.focus();
  }
}

// Opening a folded theme fetches its part of the board (title, tools and cards) in place of
// the link to the list that a page without this script offers. The board's handlers below
// listen on the root, so the loaded cards answer them like any other.
async function loadFold(details) {
  const body = details.querySelector("[data-fold-body]");
  if (!body || "loaded" in body.dataset || "loading" in body.dataset) return;
  body.dataset.loading = "";
  body.setAttribute("aria-busy", "true");
  try {
    const response = await fetch(details.dataset.cardsUrl, { credentials: "same-origin" });
    // A redirect means the session ended: the sign-in page must not land in the board.
    if (!response.ok || response.redirected) throw new Error(String(response.status));
    body.innerHTML = await response.text();
    body.dataset.loaded = "";
  } catch {
    announce("That theme could not be opened; reload the page to see the latest themes.", true);
  } finally {
    delete body.dataset.loading;
    body.removeAttribute("aria-busy");
  }
}

root.addEventListener(
  "toggle",
  (event) => {
    if (event.target.matches?.("details[data-fold]") && event.target.open) loadFold(event.target);
  },
  true, // "toggle" does not bubble
);

function header(response, name) {
  const value = response.headers.get(name);
  return value ? decodeURIComponent(value) : "";
}

// The save in flight, if any: news of our own change must wait for its response, so that
// it is recognised as already seen rather than announced as someone else's.
let saving = null;

function act(action, fields, focusAfter) {
  saving = send(action, { open: openFolds(), ...fields }, focusAfter).finally(() => {
    saving = null;
  });
  return saving;
}

async function send(action, fields, focusAfter) {
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    for (const item of [].concat(value)) body.append(key, item);
  }
  announce("Saving…");
  const response = await fetch(root.dataset.actUrl.replace("ACTION", action), {
    method: "POST",
    body,
    headers: { "X-CSRFToken": root.dataset.csrf },
    credentials: "same-origin",
  });
  const html = await response.text();
  if (response.headers.get("content-type")?.startsWith("text/html")) swapBoard(html);
  if (focusAfter) document.querySelector(`[data-focus-key="${focusAfter}"]`)?.focus();
  if (response.ok) {
    announce(`Saved. ${header(response, "X-Harvest-Message")}`);
  } else {
    announce(header(response, "X-Harvest-Error") || "That change could not be saved.", true);
  }
  return response.ok;
}

async function refresh() {
  const query = new URLSearchParams({ since: version() });
  for (const fold of openFolds()) query.append("open", fold);
  const response = await fetch(`${root.dataset.boardUrl}?${query}`, {
    credentials: "same-origin",
  });
  if (response.status === 200) {
    swapBoard(await response.text());
    return true;
  }
  return false;
}

// --- forms: rename, summary, merge, split, conclusions, undo, rebuild --------------------

root.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-action]");
  if (!form) return;
  event.preventDefault();
  const action = form.dataset.action;
  if (action === "rebuild" && form.dataset.confirm) {
    rebuildDialog.showModal();
    return;
  }
  const fields = Object.fromEntries(new FormData(form).entries());
  if (action === "split") {
    fields.members = [...board().querySelectorAll(`[data-select-for="${form.dataset.split}"]:checked`)].map(
      (box) => box.value,
    );
    if (!fields.members.length) {
      announce("Select the notes for the new theme first (the Select boxes on the cards).", true);
      return;
    }
  }
  act(action, fields);
});

// --- buttons: toggles, reorder, quotes, move and redact dialogs --------------------------

root.addEventListener("click", (event) => {
  const button = event.target.closest("button");
  if (!button) return;
  const { dataset } = button;
  if (dataset.toggle) {
    const on = button.getAttribute("aria-pressed") !== "true";
    act("mark", { theme: dataset.theme, [dataset.toggle]: on ? "1" : "0" });
  } else if (dataset.reorder !== undefined) {
    act("reorder", { theme: dataset.theme, position: dataset.reorder });
  } else if (dataset.quote) {
    const on = button.getAttribute("aria-pressed") !== "true";
    act("quote", { member: dataset.quote, on: on ? "1" : "0" });
  } else if (dataset.moveDialog) {
    openMoveDialog(button.closest(".note-card"));
  } else if (dataset.redactDialog) {
    openRedactDialog(button.closest(".note-card"));
  }
});

function cardSummary(card) {
  const text = card.querySelector(".note-text").textContent.trim();
  return text.length > 90 ? `${text.slice(0, 90)}…` : text;
}

function openMoveDialog(card) {
  movingMember = card.dataset.member;
  document.getElementById("move-dialog-note").textContent = `“${cardSummary(card)}”`;
  const list = document.getElementById("move-targets");
  list.replaceChildren();
  for (const theme of board().querySelectorAll(`.theme[data-row="${card.dataset.row}"]`)) {
    if (theme.dataset.theme === card.dataset.theme) continue;
    const item = document.createElement("li");
    const choice = document.createElement("button");
    choice.type = "button";
    choice.className = "button button--secondary move-target";
    choice.dataset.target = theme.dataset.theme;
    choice.textContent = theme.dataset.title;
    item.append(choice);
    list.append(item);
  }
  moveDialog.showModal();
  list.querySelector("button")?.focus();
}

moveDialog.addEventListener("click", async (event) => {
  const choice = event.target.closest("button[data-target]");
  if (!choice) return;
  moveDialog.close();
  const member = movingMember;
  const target = choice.dataset.target;
  // On a folded board the note's new theme opens too, so that focus follows the note.
  const open = [...openFolds(), target];
  const ok = await act("move", { member, target, open }, `card-${member}`);
  if (ok) announce(`Note moved to “${choice.textContent}”.`);
});

moveDialog.addEventListener("keydown", (event) => {
  if (!["ArrowDown", "ArrowUp"].includes(event.key)) return;
  const choices = [...moveDialog.querySelectorAll("button[data-target]")];
  const index = choices.indexOf(document.activeElement);
  const next = event.key === "ArrowDown" ? index + 1 : index - 1;
  choices[(next + choices.length) % choices.length]?.focus();
  event.preventDefault();
});

function openRedactDialog(card) {
  const form = document.getElementById("redact-form");
  form.reset();
  form.elements.member.value = card.dataset.member;
  const selected = window.getSelection()?.toString().trim();
  if (selected) form.elements.phrase.value = selected;
  redactDialog.showModal();
  form.elements.phrase.focus();
}

document.getElementById("redact-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const fields = Object.fromEntries(new FormData(event.target).entries());
  redactDialog.close();
  act("redact", fields, `card-${fields.member}`);
});

rebuildDialog.addEventListener("click", (event) => {
  const choice = event.target.closest("button[data-rebuild]");
  if (!choice) return;
  rebuildDialog.close();
  act("rebuild", { mode: choice.dataset.rebuild });
});

for (const dialog of [moveDialog, redactDialog, rebuildDialog]) {
  dialog.addEventListener("click", (event) => {
    if (event.target.closest("[data-close-dialog]")) dialog.close();
  });
}

// --- keyboard: M on a focused card opens "Move to…" ---------------------------------------

root.addEventListener("keydown", (event) => {
  const card = event.target.closest?.(".note-card");
  if (!card || event.target !== card) return;
  if (event.key === "m" || event.key === "M") {
    event.preventDefault();
    openMoveDialog(card);
  }
});

// --- drag and drop ----------------------------------------------------------------------

root.addEventListener("dragstart", (event) => {
  const card = event.target.closest?.(".note-card");
  if (!card) return;
  event.dataTransfer.setData("text/plain", card.dataset.member);
  event.dataTransfer.effectAllowed = "move";
  root.dataset.dragRow = card.dataset.row;
  card.classList.add("note-card--dragging");
});

root.addEventListener("dragend", (event) => {
  event.target.closest?.(".note-card")?.classList.remove("note-card--dragging");
  for (const zone of root.querySelectorAll(".drop-target")) zone.classList.remove("drop-target");
});

function dropZone(event) {
  const theme = event.target.closest?.(".theme");
  return theme && theme.dataset.row === root.dataset.dragRow ? theme : null;
}

root.addEventListener("dragover", (event) => {
  const zone = dropZone(event);
  if (!zone) return;
  event.preventDefault();
  zone.classList.add("drop-target");
});

root.addEventListener("dragleave", (event) => {
  dropZone(event)?.classList.remove("drop-target");
});

root.addEventListener("drop", (event) => {
  const zone = dropZone(event);
  if (!zone) return;
  event.preventDefault();
  const member = event.dataTransfer.getData("text/plain");
  const before = event.target.closest(".note-card");
  const cards = [...zone.querySelectorAll(".note-card")].filter((c) => c.dataset.member !== member);
  const fields = { member, target: zone.dataset.theme };
  // A folded theme's cards are not in the page: the note goes to its end.
  const folded = zone.querySelector("[data-fold-body]:not([data-loaded])");
  if (!folded) fields.position = String(Math.max(0, before ? cards.indexOf(before) : cards.length));
  act("move", fields);
});

// --- live: other harvesters' changes ------------------------------------------------------

followChanges({
  socketPath: root.dataset.socketPath,
  version,
  refresh,
  announce,
  pending: () => saving,
  busy: () =>
    Boolean(document.querySelector("dialog[open]")) ||
    root.contains(document.activeElement?.closest?.("form")),
});
