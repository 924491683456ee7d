// The event chat panel, shared by the table page and the console.

import { $, REACTIONS, el, replaceChildren, showError, timeOf, upsert } from "./ui.js";

export function applyChat(state, message) {
  upsert(state.chat, message, (m) => !m.hidden || state.me.can_run);
}

function messageItem(state, message, connection) {
  const mine = message.reacted_by || {};
  const reactions = REACTIONS.map(([code, label]) => {
    const count = (message.reactions || {})[code] || 0;
    const pressed = (mine[code] || []).includes(state.me.key);
    return el(
      "button",
      {
        type: "button",
        class: `reaction${pressed ? " reaction--on" : ""}`,
        "aria-pressed": pressed ? "true" : "false",
        "aria-label": `${label} (${count})`,
        title: pressed ? "Click again to take your reaction back" : null,
        dataset: { focus: `react-${message.id}-${code}` },
        disabled: !state.me.can_chat,
        onclick: () =>
          connection.write("chat.react", { message_id: message.id, reaction: code, on: !pressed }),
      },
      el("span", { "aria-hidden": "true", text: label }),
      count ? el("span", { class: "reaction-count", "aria-hidden": "true", text: String(count) }) : null,
    );
  });
  const pin = state.me.can_run
    ? el("button", {
        type: "button",
        class: "link-button",
        dataset: { focus: `pin-${message.id}` },
        text: message.pinned ? "Unpin" : "Pin",
        onclick: () =>
          connection.write("chat.moderate", { message_id: message.id, pinned: !message.pinned }),
      })
    : null;
  return el(
    "li",
    { class: `chat-message${message.pinned ? " chat-message--pinned" : ""}` },
    el(
      "p",
      { class: "chat-meta" },
      el("strong", { text: message.author || "Someone" }),
      message.role_code ? ` (${message.role_code})` : "",
      el("span", { class: "muted", text: ` · ${timeOf(message.created_at)}` }),
      message.pinned ? el("span", { class: "badge", text: "Pinned" }) : null,
    ),
    el("p", { class: "chat-text", text: message.text }),
    el("div", { class: "reactions" }, reactions, pin),
  );
}

export function renderChat(state, connection) {
  const visible = state.chat.filter((m) => !m.hidden);
  replaceChildren(
    $("chat-pinned"),
    visible.filter((m) => m.pinned).map((m) => messageItem(state, m, connection)),
  );
  const list = $("chat");
  const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  replaceChildren(
    list,
    visible.filter((m) => !m.pinned).map((m) => messageItem(state, m, connection)),
  );
  if (nearBottom) list.scrollTop = list.scrollHeight;
  $("chat-form").hidden = !state.me.can_chat;
}

export function bindChatForm(connection) {
  const form = $("chat-form");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const box = $("chat-text");
    const text = box.value.trim();
    if (!text) return;
    showError($("chat-error"), null);
    box.value = "";
    connection.write("chat.post", { text }).catch((error) => {
      box.value = text;
      showError($("chat-error"), error);
    });
  });
}
