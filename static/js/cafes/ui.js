// Small DOM helpers shared by the table page and the console. Text always goes in with
// textContent, so whatever people type is shown as typed, never run as HTML.

import { describeStatus } from "./live.js";

export const KIND_LABELS = {
  story: "Stories",
  problem: "Problems",
  strength: "Strengths",
  possibility: "Possibilities",
  idea: "Ideas",
  solution: "Solutions",
};

// Words rather than emoji: clearer for people not used to chat apps, and they need no
// emoji font.
export const REACTIONS = [
  ["agree", "Agree"],
  ["heart", "With you"],
  ["idea", "Good idea"],
  ["thanks", "Thank you"],
];

export const $ = (id) => document.getElementById(id);

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// Replace a container's children, keeping keyboard focus on the element with the same
// data-focus key (lists are redrawn as news arrives, and focus must not jump away).
export function replaceChildren(container, children) {
  const active = document.activeElement;
  const key = active && container.contains(active) ? active.dataset.focus : null;
  container.replaceChildren(...children);
  if (key) container.querySelector(`[data-focus="${CSS.escape(key)}"]`)?.focus();
}

export function show(node, visible) {
  if (node) node.hidden = !visible;
}

export function announce(text) {
  const region = $("announcer");
  if (!region) return;
  const line = el("p", { text });
  region.append(line);
  while (region.childElementCount > 5) region.firstElementChild.remove();
}

export function showStatus(status, pending) {
  const [text, tone] = describeStatus(status, pending);
  const node = $("connection");
  node.textContent = text;
  node.className = `connection connection--${tone}`;
}

export function currentRound(state) {
  return state.rounds.find((r) => r.number === state.current_round) || null;
}

export function roundLine(state) {
  if (!state.cafe) {
    return state.free_seating ? "The spaces have not opened yet." : "The café has not started yet.";
  }
  const round = currentRound(state);
  const total = state.rounds.length;
  const phase = state.cafe.phase;
  if (phase === "ended") return "The event has ended. Thank you for taking part.";
  if (phase === "closing") return "Closing questions";
  if (!round) return "Waiting to start";
  if (state.free_seating && round.status === "open") return "The spaces are open";
  if (state.free_seating && round.status === "closed") return "Back together in the plenary";
  if (round.status === "open") return `Round ${round.number} of ${total}`;
  if (round.status === "closed") return `Plenary after round ${round.number}`;
  return `Round ${round.number} of ${total} starts soon`;
}

function formatLeft(ms) {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  const rest = String(seconds % 60).padStart(2, "0");
  return `${minutes}:${rest}`;
}

// The countdown is driven by the server's ends_at and the server's clock.
export function startCountdown(getState, connection) {
  const node = $("countdown");
  const tick = () => {
    const state = getState();
    const round = state && currentRound(state);
    if (!round || round.status !== "open" || !round.ends_at) {
      show(node, false);
      return;
    }
    const left = Date.parse(round.ends_at) - connection.serverNow();
    show(node, true);
    node.textContent = left > 0 ? `${formatLeft(left)} left` : "Time is up";
    node.classList.toggle("countdown--low", left < 120000);
  };
  tick();
  window.setInterval(tick, 1000);
  return tick;
}

export function renderBroadcast(state) {
  const node = $("broadcast");
  const text = state.cafe && state.cafe.broadcast;
  show(node, Boolean(text));
  if (text) node.textContent = `Message from the host: ${text}`;
}

// One clock on every page: 24-hour, on the event's own time zone (base.html puts it on
// <body data-time-zone>), as the server's templates show times. hourCycle "h23", not
// hour12: false, which some browsers read as "h24" and show midnight as 24:05.
let clock;
function clockFormat() {
  if (!clock) {
    const options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    const zone = document.body && document.body.dataset.timeZone;
    try {
      clock = new Intl.DateTimeFormat("en-GB", zone ? { ...options, timeZone: zone } : options);
    } catch {
      clock = new Intl.DateTimeFormat("en-GB", options); // a zone this browser does not know
    }
  }
  return clock;
}

export function timeOf(iso) {
  if (!iso) return "";
  return clockFormat().format(new Date(iso));
}

export function upsert(list, item, keep = () => true) {
  const index = list.findIndex((x) => x.id === item.id);
  if (!keep(item)) {
    if (index >= 0) list.splice(index, 1);
    return;
  }
  // The server blanks the words of hidden notes in its log; a screen that had them keeps them.
  if (index >= 0) list[index] = item.redacted ? { ...item, text: list[index].text, tags: list[index].tags } : item;
  else list.push(item);
}

export function showError(node, frame) {
  if (!node) return;
  node.textContent = frame ? frame.message : "";
  node.hidden = !frame;
}

// One person at a table, with whether they are connected (said in words for screen readers).
export function personItem(person, ...extra) {
  return el(
    "li",
    { class: `person${person.present ? " person--here" : ""}` },
    el("span", { class: "presence-dot", "aria-hidden": "true" }),
    el("span", { text: person.name }),
    person.role_code ? el("span", { class: "muted", text: ` (${person.role_code})` }) : null,
    person.host ? el("span", { class: "badge", text: "Host" }) : null,
    el("span", { class: "visually-hidden", text: person.present ? " – here" : " – not connected" }),
    ...extra,
  );
}
