// A participant's (or table host's) café table: prompt, countdown, live notes, read-back,
// priorities, chat and the closing questions, all from the live connection.

import { bindChatForm, renderChat } from "./chat.js";
import { LiveConnection } from "./live.js";
import { applyEventNews } from "./news.js";
import {
  $,
  KIND_LABELS,
  announce,
  currentRound,
  el,
  personItem,
  renderBroadcast,
  replaceChildren,
  roundLine,
  show,
  showError,
  showStatus,
  startCountdown,
  upsert,
} from "./ui.js";

const root = $("cafe");
let state = null;
let editing = null; // the id of the note being edited, if any

const connection = new LiveConnection(
  root.dataset.liveUrl,
  {
    onState(frame) {
      const firstTime = state === null;
      const tableChanged = state && state.table?.id !== frame.table?.id;
      state = frame;
      render();
      if (!firstTime && tableChanged && state.table) {
        announce(`You are now at ${state.table.label}.`);
      }
    },
    onUpdate: applyUpdate,
    onPresence(frame) {
      if (state && state.table && frame.table === state.table.id) {
        state.table.people = frame.people;
        renderPeople();
      }
    },
    onStatus: showStatus,
    onError(frame) {
      announce(frame.message);
    },
  },
  { tableId: root.dataset.tableId ? Number(root.dataset.tableId) : null },
);

const tick = startCountdown(() => state, connection);

function myNote(note) {
  if (state.me.participant) return note.participant === state.me.participant;
  return note.participant === null && state.me.can_moderate;
}

function noteVisibleHere(note) {
  if (note.status === "visible") return true;
  return note.status === "hidden" && state.me.can_moderate;
}

function applyUpdate(update) {
  if (!state) return;
  const { kind, payload } = update;
  if (kind === "note") {
    const note = payload.note;
    if (!state.table || note.table !== state.table.id) return;
    if (note.round === state.current_round) {
      const isNew = !state.notes.some((n) => n.id === note.id);
      upsert(state.notes, note, noteVisibleHere);
      if (isNew && payload.action === "posted" && !myNote(note)) {
        announce(`New note from ${note.author || "someone"}: ${note.text}`);
      }
      renderNotes();
    }
    // In the plenary the read-back is of the round just closed: its notes are in both.
    if (state.read_back && note.round === state.read_back.round) {
      upsert(state.read_back.notes, note, (n) => n.status === "visible");
      renderReadBack();
    }
  } else if (kind === "read_back") {
    const readBack = payload.read_back;
    if (
      state.read_back &&
      state.table &&
      readBack.table === state.table.id &&
      readBack.round === state.read_back.round
    ) {
      state.read_back.summary = readBack.removed ? null : readBack;
      renderReadBack();
    }
  } else if (kind === "priority") {
    if (!state.table || payload.priority.table !== state.table.id) return;
    upsert(state.priorities, payload.priority, () => payload.action !== "removed");
    renderPriorities();
  } else {
    redrawEventNews(update);
  }
}

// What the read-back box is about once a round closes or the café moves on, as the server
// decides it (cafes/selectors.py read_back_round): the round just closed, prepared in the
// plenary for the next round's newcomers; nothing after the last round, in the closing
// questions or at the end. (A round opening sends a fresh state.)
function followReadBack() {
  const phase = state.cafe ? state.cafe.phase : null;
  const round = currentRound(state);
  if (phase === "closing" || phase === "ended") {
    state.read_back = null;
  } else if (round && round.status === "closed" && state.read_back?.round !== round.number) {
    const later = state.rounds.some((r) => r.number > round.number);
    state.read_back =
      later && state.table
        ? {
            round: round.number,
            for_round: round.number + 1,
            summary: null,
            notes: state.notes.filter((n) => n.status === "visible"),
          }
        : null;
  }
}

function redrawEventNews(update) {
  const redraw = applyEventNews(state, update);
  if (update.kind === "round" || update.kind === "cafe") followReadBack();
  if (redraw === "chat") renderChat(state, connection);
  else if (redraw === "broadcast") renderBroadcast(state);
  else if (redraw === "all") {
    if (update.kind === "round") announce(`${roundLine(state)}.`);
    render();
  }
}

function render() {
  if (!state) return;
  const round = currentRound(state);
  const phase = state.cafe ? state.cafe.phase : null;
  const seated = Boolean(state.table);
  $("cafe-title").textContent = seated ? state.table.label : "Your table";
  $("round-line").textContent = roundLine(state);
  show($("prompt-panel"), Boolean(round) && phase !== "closing" && phase !== "ended");
  $("prompt").textContent = round ? round.prompt : "";
  const waiting = !state.cafe || (phase === "seated" && round && round.status === "pending");
  show($("waiting-panel"), waiting || (state.cafe && !seated && !state.me.can_watch));
  if (state.cafe && !seated && state.me.participant) {
    $("waiting-text").textContent = state.free_seating
      ? "Choose a topic on the marketplace to join its space."
      : "We are finding you a seat. This takes a moment.";
  } else if (!state.cafe) {
    // No round yet, so no question to read: say what will appear (issue 17).
    $("waiting-text").textContent = state.free_seating
      ? "The spaces open when the event starts. Your topics will be here then."
      : "The café has not started yet. Your table and the first question appear here when the facilitator starts it.";
  } else {
    $("waiting-text").textContent =
      "The host will start the first round soon. You can read the question above and think about what you would like to share.";
  }
  const open = Boolean(round) && round.status === "open";
  show($("post-panel"), seated && phase !== "closing" && phase !== "ended");
  show($("note-form"), open);
  show($("post-closed"), !open);
  show($("notes-panel"), seated && phase !== "closing" && phase !== "ended");
  show($("people-panel"), seated);
  // Open Space tables (free seating) produce key points and proposals, not priorities.
  const inPriorities =
    !state.free_seating && open && round.number === state.priorities_round && seated;
  show($("priorities-panel"), inPriorities || (seated && state.priorities.length > 0));
  show($("priority-form"), inPriorities);
  show($("closing-panel"), state.me.participant && (phase === "closing" || phase === "ended"));
  document.body.classList.toggle("is-plenary", phase === "plenary");
  tick();
  renderBroadcast(state);
  renderNotes();
  renderPeople();
  renderReadBack();
  renderPriorities();
  renderChat(state, connection);
  renderQuestions();
}

function noteCard(note) {
  const round = currentRound(state);
  const open = round && round.status === "open" && note.round === round.number;
  const actions = [];
  if (myNote(note) && open) {
    actions.push(
      el("button", {
        type: "button",
        class: "link-button",
        text: "Edit",
        dataset: { focus: `edit-${note.id}` },
        "aria-label": `Edit your note: ${note.text.slice(0, 40)}`,
        onclick: () => startEditing(note),
      }),
    );
  }
  if (myNote(note)) {
    actions.push(
      el("button", {
        type: "button",
        class: "link-button",
        text: "Withdraw",
        dataset: { focus: `withdraw-${note.id}` },
        onclick: () => {
          if (window.confirm("Withdraw this note? It will be removed for everyone.")) {
            connection.write("note.withdraw", { note_id: note.id });
          }
        },
      }),
    );
  }
  if (state.me.can_moderate) {
    actions.push(
      el("button", {
        type: "button",
        class: "link-button",
        text: note.status === "hidden" ? "Show" : "Hide",
        dataset: { focus: `hide-${note.id}` },
        onclick: () =>
          connection.write("note.hide", { note_id: note.id, hidden: note.status !== "hidden" }),
      }),
      el("button", {
        type: "button",
        class: "link-button",
        text: "Tag",
        dataset: { focus: `tag-${note.id}` },
        onclick: () => {
          const answer = window.prompt("Tags, separated by commas", note.tags.join(", "));
          if (answer === null) return;
          const tags = answer.split(",").map((t) => t.trim()).filter(Boolean);
          connection.write("note.tag", { note_id: note.id, tags }).catch((e) => announce(e.message));
        },
      }),
    );
  }
  const inPriorities =
    !state.free_seating &&
    round &&
    round.status === "open" &&
    round.number === state.priorities_round;
  if (inPriorities && note.status === "visible" && state.priorities.length < 3) {
    actions.push(
      el("button", {
        type: "button",
        class: "link-button",
        text: "Make this a priority",
        dataset: { focus: `prio-${note.id}` },
        onclick: () =>
          connection
            .write("priority.add", { source_note_id: note.id })
            .catch((e) => showError($("priority-error"), e)),
      }),
    );
  }
  return el(
    "li",
    {
      class: `note note--${note.kind}${note.status === "hidden" ? " note--hidden" : ""}`,
      dataset: { noteId: note.id },
    },
    el("p", { class: "note-text", text: note.text }),
    el(
      "p",
      { class: "note-meta" },
      el("span", { text: note.author || "Someone" }),
      note.edited_at ? el("span", { class: "muted", text: " · edited" }) : null,
      note.status === "hidden" ? el("span", { class: "badge", text: "Hidden" }) : null,
      ...note.tags.map((t) => el("span", { class: "tag", text: t })),
    ),
    actions.length ? el("div", { class: "note-actions" }, actions) : null,
  );
}

function renderNotes() {
  const notes = state.notes;
  const groups = Object.entries(KIND_LABELS)
    .map(([kind, label]) => [kind, label, notes.filter((n) => n.kind === kind)])
    .filter(([, , list]) => list.length);
  replaceChildren(
    $("notes"),
    groups.map(([kind, label, list]) =>
      el(
        "section",
        { class: `note-group note-group--${kind}`, "aria-label": label },
        el("h3", { class: "note-group-title", text: `${label} (${list.length})` }),
        el("ul", { class: "note-list" }, list.map(noteCard)),
      ),
    ),
  );
  $("notes-count").textContent = String(notes.filter((n) => n.status === "visible").length);
  show($("notes-empty"), notes.length === 0);
}

function renderPeople() {
  if (!state.table) return;
  replaceChildren(
    $("people"),
    state.table.people.map((person) =>
      personItem(
        person,
        state.me.participant === person.participant
          ? el("span", { class: "muted", text: " (you)" })
          : null,
      ),
    ),
  );
}

// The read-back box: during round N, what the table said in round N-1, for its newcomers;
// in the plenary after round N, the read-back of round N being prepared for round N+1.
function readBackHeading(readBack) {
  if (readBack.for_round === state.current_round) {
    return `What this table talked about in round ${readBack.round}`;
  }
  return `Read-back of round ${readBack.round}, for the newcomers of round ${readBack.for_round}`;
}

function renderReadBack() {
  const readBack = state.read_back;
  const round = currentRound(state);
  const visible = Boolean(readBack) && Boolean(state.table) && round && round.status !== "pending";
  // In the plenary the round's notes are still on the board: the box is for whoever writes
  // the read-back, and for everyone once it is written.
  const preparing = visible && readBack.for_round !== state.current_round;
  const worthShowing = preparing
    ? readBack.summary || state.me.can_moderate
    : readBack?.summary || readBack?.notes.length || state.me.can_moderate;
  show($("readback-panel"), visible && worthShowing);
  if (!visible) return;
  $("readback-heading").textContent = readBackHeading(readBack);
  replaceChildren(
    $("readback-summary"),
    readBack.summary
      ? [el("blockquote", { class: "readback-text", text: readBack.summary.text })]
      : [
          el("p", {
            class: "muted",
            text: state.me.hosts_table
              ? "You have not written a read-back yet."
              : "The host has not written a read-back yet.",
          }),
        ],
  );
  show($("readback-form"), state.me.can_moderate);
  $("readback-count").textContent = String(readBack.notes.length);
  replaceChildren(
    $("readback-notes"),
    readBack.notes.map((note) =>
      el(
        "li",
        { class: `note note--${note.kind}` },
        el("p", { class: "note-text", text: note.text }),
        el("p", { class: "note-meta muted", text: KIND_LABELS[note.kind] }),
      ),
    ),
  );
}

// Whoever put a priority forward may take it back; the table's host and facilitators too
// (the server refuses anyone else: permissions.can_remove_priority).
function canRemove(priority) {
  return state.me.can_moderate || (state.me.participant !== null && priority.author === state.me.participant);
}

function renderPriorities() {
  const me = state.me.participant;
  const round = currentRound(state);
  const open = round && round.status === "open";
  const sorted = [...state.priorities].sort((a, b) => b.votes - a.votes || a.id - b.id);
  replaceChildren(
    $("priorities"),
    sorted.map((priority) => {
      const voted = me && priority.voters.includes(me);
      return el(
        "li",
        { class: "priority" },
        el("p", { class: "priority-text", text: priority.text }),
        el(
          "p",
          { class: "priority-votes" },
          el("strong", { text: `${priority.votes} ${priority.votes === 1 ? "vote" : "votes"}` }),
          me && open
            ? el("button", {
                type: "button",
                class: `button button--small${voted ? "" : " button--secondary"}`,
                "aria-pressed": voted ? "true" : "false",
                dataset: { focus: `vote-${priority.id}` },
                text: voted ? "Voted ✓ (take back)" : "Vote for this",
                onclick: () => connection.write("vote", { priority_id: priority.id, on: !voted }),
              })
            : null,
          open && canRemove(priority)
            ? el("button", {
                type: "button",
                class: "link-button",
                dataset: { focus: `remove-${priority.id}` },
                text: "Remove",
                onclick: () => connection.write("priority.remove", { priority_id: priority.id }),
              })
            : null,
        ),
      );
    }),
  );
  const full = state.priorities.length >= 3;
  $("priority-text").disabled = full;
  $("priority-form").querySelector("button").disabled = full;
  if (full) $("priority-text").placeholder = "Your table has chosen three priorities";
}

function renderQuestions() {
  if (!state.me.participant) return;
  const container = $("questions");
  if (container.childElementCount === state.questions.length) return; // keep what is typed
  replaceChildren(
    container,
    state.questions.map((question) => {
      const id = `question-${question.id}`;
      const form = el(
        "form",
        { class: "form question", dataset: { questionId: question.id } },
        el(
          "div",
          { class: "field" },
          el("label", { for: id, text: question.text }),
          el("textarea", { id, name: "text", rows: "3", maxlength: "2000" }),
          el("p", { class: "error", hidden: true }),
        ),
        el(
          "div",
          { class: "button-row" },
          el("button", { type: "submit", class: "button button--secondary", text: "Save answer" }),
          el("span", { class: "saved muted", role: "status" }),
        ),
      );
      form.querySelector("textarea").value = question.answer || "";
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const text = form.querySelector("textarea").value.trim();
        if (!text) return;
        const status = form.querySelector(".saved");
        status.textContent = "Saving…";
        connection
          .write("answer", { question_id: question.id, text })
          .then(() => {
            question.answer = text;
            status.textContent = "Saved";
            showError(form.querySelector(".error"), null);
          })
          .catch((error) => {
            status.textContent = "";
            showError(form.querySelector(".error"), error);
          });
      });
      return form;
    }),
  );
  const later = root.dataset.questionnaireUrl;
  show($("questionnaire-later"), Boolean(later));
  if (later) $("questionnaire-link").href = later;
}

function startEditing(note) {
  editing = note.id;
  $("note-text").value = note.text;
  $("note-kind").value = note.kind;
  $("note-submit").textContent = "Save changes";
  show($("note-cancel"), true);
  $("note-text").focus();
}

function stopEditing() {
  editing = null;
  $("note-text").value = "";
  $("note-submit").textContent = "Post note";
  show($("note-cancel"), false);
}

$("note-cancel").addEventListener("click", stopEditing);

$("note-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const box = $("note-text");
  const text = box.value.trim();
  const kind = $("note-kind").value;
  if (!text) {
    showError($("note-error"), { message: "Please write your note first." });
    box.focus();
    return;
  }
  showError($("note-error"), null);
  const fields = { text, kind };
  if (!state.me.participant && state.table) fields.table_id = state.table.id;
  const request = editing
    ? connection.write("note.edit", { note_id: editing, text, kind })
    : connection.write("note.post", fields);
  stopEditing();
  box.value = "";
  request
    .then(() => announce("Your note is posted."))
    .catch((error) => {
      box.value = text;
      showError($("note-error"), error);
      box.focus();
    });
});

$("priority-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const box = $("priority-text");
  const text = box.value.trim();
  if (!text) return;
  const fields = { text };
  if (!state.me.participant && state.table) fields.table_id = state.table.id;
  box.value = "";
  showError($("priority-error"), null);
  connection.write("priority.add", fields).catch((error) => {
    box.value = text;
    showError($("priority-error"), error);
  });
});

$("readback-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = $("readback-text").value.trim();
  if (!text || !state.table) return;
  connection
    .write("read_back.save", { table_id: state.table.id, text })
    .then(() => announce("Read-back saved."))
    .catch((error) => announce(error.message));
});

bindChatForm(connection);
