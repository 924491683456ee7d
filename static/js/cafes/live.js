// The live café connection: reconnects with backoff, resends unacknowledged writes with the
// same client_id (the server stores each once), and applies every update exactly once by id.
// The frames are documented in docs/protocol.md.

const PING_EVERY_MS = 25000;
const PONG_WITHIN_MS = 10000;
const MAX_BACKOFF_MS = 30000;

export function newClientId() {
  if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
  const bytes = window.crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export class LiveConnection {
  constructor(path, handlers, { tableId = null } = {}) {
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    this.url = `${scheme}//${window.location.host}${path}`;
    this.handlers = handlers;
    this.tableId = tableId;
    this.cursor = null; // the id of the last update applied; null until the first state
    this.outbox = new Map(); // client_id -> {frame, resolve, reject}
    this.storageKey = `bridgework-outbox:${path}`;
    this.attempt = 0;
    this.serverOffsetMs = 0;
    this.restoreOutbox();
    this.open();
    window.addEventListener("online", () => this.reconnectSoon(0));
  }

  open() {
    this.setStatus("connecting");
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.addEventListener("open", () => {
      this.attempt = 0;
      this.setStatus("connected");
      const hello = { type: "hello", last_update_id: this.cursor };
      if (this.tableId) hello.table_id = this.tableId;
      socket.send(JSON.stringify(hello));
      this.startHeartbeat();
    });
    socket.addEventListener("message", (event) => this.receive(JSON.parse(event.data)));
    socket.addEventListener("close", (event) => {
      this.stopHeartbeat();
      if (event.code === 4403) {
        this.setStatus("refused");
        return;
      }
      this.setStatus("offline");
      this.reconnectSoon();
    });
  }

  reconnectSoon(delay) {
    if (this.timer || (this.socket && this.socket.readyState <= WebSocket.OPEN && delay !== 0)) return;
    const backoff = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** this.attempt);
    const wait = delay ?? backoff / 2 + Math.random() * (backoff / 2);
    this.attempt += 1;
    this.timer = window.setTimeout(() => {
      this.timer = null;
      if (this.socket && this.socket.readyState <= WebSocket.OPEN) this.socket.close();
      this.open();
    }, wait);
  }

  startHeartbeat() {
    this.stopHeartbeat();
    this.pinger = window.setInterval(() => {
      this.sendRaw({ type: "ping" });
      this.pongTimer = window.setTimeout(() => this.socket.close(), PONG_WITHIN_MS);
    }, PING_EVERY_MS);
  }

  stopHeartbeat() {
    window.clearInterval(this.pinger);
    window.clearTimeout(this.pongTimer);
  }

  setStatus(status) {
    this.status = status;
    this.handlers.onStatus?.(status, this.outbox.size);
  }

  sendRaw(frame) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  // Send a write; resolves with the ack, rejects with the error frame. Kept until answered,
  // and sent again (same client_id) after a reconnect or a page reload.
  write(type, fields = {}) {
    const frame = { type, client_id: newClientId(), ...fields };
    return new Promise((resolve, reject) => {
      this.outbox.set(frame.client_id, { frame, resolve, reject });
      this.saveOutbox();
      this.sendRaw(frame);
      this.handlers.onStatus?.(this.status, this.outbox.size);
    });
  }

  resendOutbox() {
    for (const { frame } of this.outbox.values()) this.sendRaw(frame);
  }

  saveOutbox() {
    try {
      const frames = Array.from(this.outbox.values(), (entry) => entry.frame);
      window.sessionStorage.setItem(this.storageKey, JSON.stringify(frames));
    } catch {
      // Private mode or full storage: resending still works while the page is open.
    }
  }

  restoreOutbox() {
    try {
      const frames = JSON.parse(window.sessionStorage.getItem(this.storageKey) || "[]");
      for (const frame of frames) {
        this.outbox.set(frame.client_id, { frame, resolve: () => {}, reject: () => {} });
      }
    } catch {
      this.outbox.clear();
    }
  }

  settle(clientId, ok, frame) {
    const entry = this.outbox.get(clientId);
    if (!entry) return false;
    this.outbox.delete(clientId);
    this.saveOutbox();
    (ok ? entry.resolve : entry.reject)(frame);
    this.handlers.onStatus?.(this.status, this.outbox.size);
    return true;
  }

  serverNow() {
    return Date.now() + this.serverOffsetMs;
  }

  receive(frame) {
    switch (frame.type) {
      case "state":
        this.serverOffsetMs = Date.parse(frame.server_time) - Date.now();
        this.cursor = frame.cursor;
        this.handlers.onState?.(frame);
        break;
      case "update":
        if (this.cursor !== null && frame.id <= this.cursor) return; // seen already
        this.cursor = frame.id;
        this.handlers.onUpdate?.(frame);
        break;
      case "synced":
        this.resendOutbox();
        break;
      case "presence":
        this.handlers.onPresence?.(frame);
        break;
      case "overview":
        this.handlers.onOverview?.(frame);
        break;
      case "ack":
        this.settle(frame.client_id, true, frame);
        break;
      case "error":
        if (frame.code === "unavailable" && this.outbox.has(frame.client_id)) {
          // The server lost its database for a moment and stored nothing: send the same
          // write again shortly (its client_id makes a double send harmless).
          const { frame: write } = this.outbox.get(frame.client_id);
          window.setTimeout(() => this.sendRaw(write), 2000);
          break;
        }
        if (!this.settle(frame.client_id, false, frame)) this.handlers.onError?.(frame);
        break;
      case "pong":
        window.clearTimeout(this.pongTimer);
        this.serverOffsetMs = Date.parse(frame.server_time) - Date.now();
        break;
      default:
        break;
    }
  }
}

// The text people see for the connection state.
export function describeStatus(status, pending) {
  const waiting = pending ? ` · ${pending} waiting to send` : "";
  switch (status) {
    case "connected":
      return [pending ? `Sending…${waiting}` : "Connected", "ok"];
    case "refused":
      return ["You are not part of this event. Please join it first.", "bad"];
    case "offline":
      return [`Connection lost. Trying again…${waiting}`, "bad"];
    default:
      return [`Connecting…${waiting}`, "wait"];
  }
}
