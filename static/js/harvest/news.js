// Other harvesters' changes, for the workspace's board and its list alike: the harvest
// websocket says a change was made (its version, who, what), and the page refreshes and
// announces it; while the socket is away the page polls every few seconds instead.

const POLL_MS = 4000;

// socketPath: the harvest socket; version(): the version the page shows; refresh(): fetch
// the page part again, true when it changed; announce(text): say it in the live region;
// pending(): the page's own save under way, if any; busy(): true while polling must wait
// (a dialog or a form in use).
export function followChanges({ socketPath, version, refresh, announce, pending, busy }) {
  let pollTimer = null;

  function startPolling() {
    if (pollTimer) return;
    pollTimer = setInterval(() => {
      if (!busy()) refresh();
    }, POLL_MS);
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    let socket;
    try {
      socket = new WebSocket(`${scheme}://${location.host}${socketPath}`);
    } catch {
      startPolling();
      return;
    }
    let opened = false;
    socket.addEventListener("open", () => {
      opened = true;
      clearInterval(pollTimer);
      pollTimer = null;
      refresh();
    });
    socket.addEventListener("message", async (event) => {
      const news = JSON.parse(event.data);
      const saving = pending();
      if (saving) await saving;
      if (news.type === "changed" && Number(news.version) > Number(version())) {
        if (await refresh()) announce(`${news.by || "Another harvester"}: ${news.description}`);
      }
    });
    socket.addEventListener("close", () => {
      startPolling();
      if (opened) setTimeout(connect, 3000);
    });
  }

  connect();
}
