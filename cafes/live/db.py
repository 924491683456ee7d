"""How the live socket and its gatherers run database work: ``in_db_thread``."""

import inspect

from channels.db import database_sync_to_async

_in_db_thread: dict = {}


def in_db_thread(func):
    """Run ``func`` (database work) in the event loop's thread pool, each call with its own
    pooled connection, instead of Channels' default single thread per process: with one
    thread every socket's database work queued behind every other's, and that thread was
    the limit of the whole server (docs/benchmarks.md). Each call is one unit of work (a
    service's transaction, or a read), so nothing depends on sharing a thread. The wrapper
    of a module function is made once (building one for every call showed in profiles)."""
    wrapper = _in_db_thread.get(func)
    if wrapper is None:
        wrapper = database_sync_to_async(func, thread_sensitive=False)
        if inspect.isfunction(func):  # not a bound method: one per socket and call
            _in_db_thread[func] = wrapper
    return wrapper
