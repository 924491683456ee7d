"""Whether this server process can reach the channel layer (Redis), told to the operator in
two lines per outage instead of a traceback per socket, note and second.

Nothing is lost while the layer is down: every write is stored with its ``LiveUpdate``, and
each socket's heartbeat rejoins its groups and catches up from the database once the layer
is back (``cafes/live/``). So an outage is logged as one warning when the first operation
fails (news is sent through ``ops/news.py``, which reports here), and one line when every
socket open during it has resynced (or after ``REPORT_WITHIN`` seconds, whichever comes
first), saying how long it lasted, how many operations failed and how many sockets
resynced.

channels-redis's own receive loop logs a traceback every second while Redis is away; those
records (connection errors only) are counted here instead (``QuietReceiveLoop``). Anything
else is still logged in full: tracebacks are for real bugs.
"""

import logging
import threading
import time
import weakref

logger = logging.getLogger(__name__)

# The "back" line waits at most this long for the open sockets to resync (they do on their
# next heartbeat: the reference client pings every 25 s).
REPORT_WITHIN = 60.0

_lock = threading.Lock()
_down_since: float | None = None
_failures = 0
_epoch = 0  # bumped at each outage
_resynced = 0
_report: threading.Timer | None = None
# Every open socket of this process, with the outage it last resynced after.
_sockets: "weakref.WeakKeyDictionary[object, int]" = weakref.WeakKeyDictionary()


def is_outage(error: BaseException) -> bool:
    """An error that means the layer is unreachable (not a bug in the caller)."""
    try:
        from redis.exceptions import ConnectionError, TimeoutError
    except ImportError:  # no Redis: the in-memory layer never drops
        return isinstance(error, OSError)
    return isinstance(error, ConnectionError | TimeoutError | OSError)


def lost(error: BaseException) -> None:
    """A channel-layer operation failed because the layer is unreachable."""
    global _down_since, _failures, _epoch, _resynced
    with _lock:
        _failures += 1
        if _down_since is not None:
            return
        _down_since = time.monotonic()
        _failures, _resynced = 1, 0
        _epoch += 1
        if _report is not None:
            _report.cancel()
    logger.warning(
        "The channel layer is unreachable (%s: %s). Writes are still stored; every socket "
        "catches up from the database when it is back.",
        type(error).__name__,
        error,
    )


def reached() -> None:
    """A channel-layer operation succeeded: if the layer was down, it is back."""
    global _down_since, _report
    if _down_since is None:  # the usual case, without taking the lock
        return
    with _lock:
        if _down_since is None:
            return
        outage = time.monotonic() - _down_since
        _down_since = None
        _report = threading.Timer(REPORT_WITHIN, _log_back, args=(outage, _epoch))
        _report.daemon = True
        _report.start()
    _maybe_report()


def opened(socket: object) -> None:
    """A socket is open and has joined its groups."""
    with _lock:
        _sockets[socket] = _epoch


def closed(socket: object) -> None:
    with _lock:
        _sockets.pop(socket, None)
    _maybe_report()


def needs_resync(socket: object) -> bool:
    """Whether an outage happened since this socket last caught up."""
    return _sockets.get(socket, _epoch) != _epoch


def resynced(socket: object) -> None:
    """The socket caught up from the database after an outage (on the layer's first
    doorbell to it, or its first heartbeat, once the layer is back)."""
    global _resynced
    with _lock:
        if _down_since is not None or _sockets.get(socket, _epoch) == _epoch:
            return
        _sockets[socket] = _epoch
        _resynced += 1
    _maybe_report()


def _maybe_report() -> None:
    if _report is None:  # the usual case (no outage being reported): nothing to count
        return
    with _lock:
        waiting = _report is not None and _down_since is None
        behind = waiting and any(epoch != _epoch for epoch in _sockets.values())
        timer = _report
    if waiting and not behind:
        timer.cancel()
        timer.function(*timer.args)


def _log_back(outage: float, epoch: int) -> None:
    global _report
    with _lock:
        if _report is None or epoch != _epoch:
            return
        _report = None
        failures, resynced = _failures, _resynced
        behind = sum(1 for e in _sockets.values() if e != _epoch)
    logger.warning(
        "The channel layer is back after %.0f s (%d operations failed meanwhile); %d %s "
        "caught up from the database%s.",
        outage,
        failures,
        resynced,
        "socket" if resynced == 1 else "sockets",
        f", {behind} not yet" if behind else "",
    )


class QuietReceiveLoop(logging.Filter):
    """Count channels-redis's per-second "Unexpected exception in receive task" tracebacks
    during an outage as the outage they are, instead of logging each."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if error is not None and is_outage(error):
            lost(error)
            return False
        return True
