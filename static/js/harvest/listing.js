// The workspace's list of notes: select notes (Space on a checkbox, or "Select all on this
// page"), choose a theme and move them in one change. The form works without this script;
// with it, the list is swapped in place, focus kept, and the outcome announced. Other
// harvesters' changes arrive over the harvest websocket and refresh the list.

import { followChanges } from "./news.js";

const root = document.getElementById("harvest-list-root");
const statusRegion = document.getElementById("harvest-status");

function list() {
  return document.getElementById("harvest-list");
}

function announce(message, isError = false) {
  statusRegion.textContent = message;
  statusRegion.classList.toggle("harvest-status--error", isError);
}

function header(response, name) {
  const value = response.headers.get(name);
  return value ? decodeURIComponent(value) : "";
}

function boxes() {
  return [...list().querySelectorAll('input[name="notes"]')];
}

function showSelection() {
  const all = boxes();
  const chosen = all.filter((box) => box.checked).length;
  const page = document.getElementById("select-page");
  page.checked = all.length > 0 && chosen === all.length;
  page.indeterminate = chosen > 0 && chosen < all.length;
  list().querySelector("[data-selected-count]").textContent = chosen ? `${chosen} selected` : "";
}

function enhance() {
  const page = document.getElementById("select-page");
  page.closest("label").hidden = false;
  showSelection();
}

function swapList(html) {
  const focusKey = document.activeElement?.dataset?.focusKey;
  const template = document.createElement("template");
  template.innerHTML = html.trim();
  list().replaceWith(template.content.firstElementChild);
  enhance();
  if (focusKey) document.querySelector(`[data-focus-key="${focusKey}"]`)?.focus();
}

let saving = null;

async function send(form) {
  const body = new FormData(form);
  const chosen = body.getAll("notes").length;
  announce("Saving…");
  const response = await fetch(form.action, {
    method: "POST",
    body,
    headers: { "X-CSRFToken": root.dataset.csrf, "X-Harvest-Partial": "1" },
    credentials: "same-origin",
  });
  if (response.headers.get("content-type")?.startsWith("text/html")) {
    swapList(await response.text());
  }
  if (response.ok) {
    announce(header(response, "X-Harvest-Message") || "Saved.");
  } else {
    announce(header(response, "X-Harvest-Error") || "That change could not be saved.", true);
    if (form.dataset.action === "move" && chosen) {
      // Nothing moved: keep the harvester's selection.
      const kept = new Set(body.getAll("notes"));
      for (const box of boxes()) box.checked = kept.has(box.value);
      showSelection();
    }
  }
}

root.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-action]");
  if (!form) return;
  event.preventDefault();
  saving = send(form).finally(() => {
    saving = null;
  });
});

root.addEventListener("change", (event) => {
  if (event.target.matches("[data-select-page]")) {
    for (const box of boxes()) box.checked = event.target.checked;
  }
  if (event.target.matches('[data-select-page], input[name="notes"]')) showSelection();
});

// --- live: other harvesters' changes ------------------------------------------------------

async function refresh() {
  const { version, query } = list().dataset;
  const response = await fetch(`${root.dataset.listUrl}?${query}&since=${version}`, {
    credentials: "same-origin",
  });
  if (response.status !== 200) return false;
  const kept = new Set(boxes().filter((box) => box.checked).map((box) => box.value));
  swapList(await response.text());
  for (const box of boxes()) box.checked = kept.has(box.value);
  showSelection();
  return true;
}

enhance();
followChanges({
  socketPath: root.dataset.socketPath,
  version: () => list().dataset.version,
  refresh,
  announce,
  pending: () => saving,
  busy: () => root.contains(document.activeElement?.closest?.("form")),
});
