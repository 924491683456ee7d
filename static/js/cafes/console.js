// The facilitator console: every table live, and the controls that run the event. The review
// team sees the same page without the controls.

import { bindChatForm, renderChat } from "./chat.js";
import { LiveConnection } from "./live.js";
import { applyEventNews } from "./news.js";
import {
  $,
  KIND_LABELS,
  announce,
  el,
  personItem,
  renderBroadcast,
  replaceChildren,
  roundLine,
  show,
  showStatus,
  startCountdown,
  timeOf,
} from "./ui.js";

const root = $("console");
let state = null;

function complain(frame) {
  const node = $("console-error");
  node.textContent = frame.message;
  node.hidden = false;
  window.setTimeout(() => {
    node.hidden = true;
  }, 8000);
}

const connection = new LiveConnection(root.dataset.liveUrl, {
  onState(frame) {
    state = frame;
    render();
  },
  onUpdate: applyUpdate,
  // The tables that changed, at most about once a second (docs/protocol.md). A frame read
  // before the last state is older than what the page shows.
  onOverview(frame) {
    if (!state || frame.upto < state.cursor) return;
    for (const summary of frame.tables) {
      const index = state.tables.findIndex((t) => t.id === summary.id);
      if (index >= 0) state.tables[index] = summary;
      else state.tables.push(summary);
      redrawTable(summary);
    }
  },
  onStatus: showStatus,
  onError: complain,
});

const tick = startCountdown(() => state, connection);

function run(type, fields = {}) {
  return connection.write(type, fields).catch(complain);
}

// The console follows the event's own news; each table's comes as the overview above.
function applyUpdate(update) {
  if (!state) return;
  const { payload } = update;
  const redraw = applyEventNews(state, update);
  if (redraw === "chat") renderChat(state, connection);
  else if (redraw === "all") render();
  else if (redraw === "broadcast") {
    renderBroadcast(state);
    announce(`Sent to every table: ${payload.text}`);
  }
}

// "Round 2: What problems…"; a prompt that is the agenda's title "Round 2" is not said twice.
function roundLabel(round) {
  const prefix = `Round ${round.number}`;
  return round.prompt.toLowerCase().startsWith("round ") ? round.prompt : `${prefix}: ${round.prompt}`;
}

function render() {
  const canRun = state.me.can_run;
  $("round-line").textContent = roundLine(state);
  show($("read-only"), !canRun);
  show($("controls"), canRun);
  show($("start-row"), !state.cafe);
  const pending = state.rounds.filter((r) => r.status === "pending");
  const anyOpen = state.rounds.some((r) => r.status === "open");
  show($("open-form"), Boolean(state.cafe) && pending.length > 0 && !anyOpen);
  replaceChildren(
    $("open-number"),
    pending.map((r) => el("option", { value: r.number, text: roundLabel(r) })),
  );
  plannedMinutes();
  show($("round-controls"), anyOpen);
  const ended = state.cafe?.phase === "ended";
  show($("phase-controls"), Boolean(state.cafe) && !anyOpen && !ended);
  show($("after-end"), ended);
  show($("open-strategy").closest(".field"), pending.length > 0 && pending[0].number > 1);
  tick();
  renderBroadcast(state);
  renderTables();
  renderChat(state, connection);
}

function moveControl(person, table) {
  const id = `move-${person.participant}`;
  const select = el(
    "select",
    { id, dataset: { focus: id } },
    state.tables.map((t) => el("option", { value: t.id, selected: t.id === table.id, text: t.label })),
  );
  return el(
    "span",
    { class: "move" },
    el("label", { for: id, class: "visually-hidden", text: `Move ${person.name} to` }),
    select,
    el("button", {
      type: "button",
      class: "button button--small button--secondary",
      dataset: { focus: `${id}-go` },
      text: "Move",
      onclick: () => run("seat.move", { participant_id: person.participant, table_id: Number(select.value) }),
    }),
  );
}

function tableCard(table) {
  const canRun = state.me.can_run;
  const here = table.people.filter((p) => p.present).length;
  const byKind = Object.keys(KIND_LABELS)
    .map((kind) => [kind, table.kinds[kind] || 0])
    .filter(([, n]) => n);
  return el(
    "article",
    { class: "console-table card", id: `table-card-${table.id}`, "aria-labelledby": `table-${table.id}-title` },
    el(
      "header",
      { class: "console-table-head" },
      el("h3", { id: `table-${table.id}-title`, text: table.label }),
      table.staff_free
        ? el("span", { class: "badge", text: "Staff-free: notes private until shared" })
        : el("span", { class: "badge", text: `${table.note_count} ${table.note_count === 1 ? "note" : "notes"}` }),
    ),
    el(
      "p",
      { class: "muted" },
      table.host ? `Host: ${table.host} · ` : "",
      `${here} of ${table.people.length} connected`,
      table.last_note_at ? ` · last note ${timeOf(table.last_note_at)}` : "",
    ),
    byKind.length
      ? el("p", { class: "kinds" }, byKind.map(([kind, n]) => el("span", { class: `tag tag--${kind}`, text: `${KIND_LABELS[kind]} ${n}` })))
      : null,
    el(
      "ul",
      { class: "people-list" },
      table.people.map((person) =>
        personItem(person, canRun && person.participant ? moveControl(person, table) : null),
      ),
    ),
    table.priorities.length
      ? el(
          "div",
          { class: "console-priorities" },
          el("h4", { text: "Priorities" }),
          el(
            "ol",
            {},
            [...table.priorities]
              .sort((a, b) => b.votes - a.votes)
              .map((p) => el("li", {}, el("span", { text: p.text }), el("strong", { text: ` · ${p.votes} ${p.votes === 1 ? "vote" : "votes"}` }))),
          ),
        )
      : null,
    // A staff-free space keeps its notes from staff until its group shares them. The
    // notes are read on the table's own page, which follows that table live.
    table.staff_free
      ? null
      : el("p", {}, el("a", { href: `${root.dataset.tableUrl}?table=${table.id}`, text: `Read ${table.label}\u2019s notes` })),
  );
}

function renderTables() {
  replaceChildren($("tables"), state.tables.map(tableCard));
}

// Redraw one table's card in place (the others, and keyboard focus elsewhere, stay put).
function redrawTable(table) {
  const card = $(`table-card-${table.id}`);
  if (!card) {
    renderTables();
    return;
  }
  const active = document.activeElement;
  const key = active && card.contains(active) ? active.dataset.focus : null;
  const fresh = tableCard(table);
  card.replaceWith(fresh);
  if (key) fresh.querySelector(`[data-focus="${CSS.escape(key)}"]`)?.focus();
}

// The minutes box starts at the chosen round's planned length (the agenda's); a number the
// facilitator typed stays until they choose another round.
let minutesFor = null;
function plannedMinutes() {
  const number = Number($("open-number").value);
  if (!number || number === minutesFor) return;
  minutesFor = number;
  $("open-minutes").value = String(state.planned_minutes?.[number] ?? 20);
}

$("open-number").addEventListener("change", plannedMinutes);
// On a day that is not the event's own, the server asks first; the answer comes back here.
function startCafe(fields = {}) {
  connection.write("cafe.start", fields).catch((frame) => {
    if (frame.code !== "off_day") complain(frame);
    else if (window.confirm(frame.message)) startCafe({ confirm_date: true });
  });
}
$("start-cafe").addEventListener("click", () => startCafe());
$("open-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const minutes = Number($("open-minutes").value);
  run("round.open", {
    number: Number($("open-number").value),
    minutes: minutes > 0 ? minutes : null,
    strategy: $("open-strategy").value,
  });
});
$("close-round").addEventListener("click", () => {
  if (window.confirm("Close this round for every table?")) run("round.close");
});
for (const button of document.querySelectorAll("[data-extend]")) {
  button.addEventListener("click", () => run("round.extend", { minutes: Number(button.dataset.extend) }));
}
for (const button of document.querySelectorAll("[data-phase]")) {
  button.addEventListener("click", () => run("cafe.phase", { phase: button.dataset.phase }));
}
// Ending the café closes the event: say what happens next, then ask.
const endDialog = $("end-dialog");
$("end-event").addEventListener("click", () => endDialog.showModal());
$("end-cancel").addEventListener("click", () => endDialog.close());
$("end-confirm").addEventListener("click", () => {
  endDialog.close();
  run("cafe.phase", { phase: "ended" });
});
$("broadcast-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const box = $("broadcast-text");
  const text = box.value.trim();
  if (!text) return;
  run("broadcast", { text }).then(() => {
    box.value = "";
  });
});

bindChatForm(connection);
