// News about the whole event (rounds, phases, broadcasts, chat), applied the same way on the
// table page and the console. Returns what needs redrawing, or null if the news is not
// event-wide.

import { applyChat } from "./chat.js";

export function applyEventNews(state, { kind, payload }) {
  switch (kind) {
    case "chat":
      applyChat(state, payload.message);
      return "chat";
    case "round": {
      const index = state.rounds.findIndex((r) => r.number === payload.round.number);
      if (index >= 0) state.rounds[index] = payload.round;
      if (payload.phase && state.cafe) state.cafe.phase = payload.phase;
      return "all";
    }
    case "cafe":
      if (state.cafe) state.cafe.phase = payload.phase;
      return "all";
    case "broadcast":
      if (state.cafe) state.cafe.broadcast = payload.text;
      return "broadcast";
    default:
      return null;
  }
}
