"""The live café socket, apart from Channels: ``LiveSession`` and its parts.

``cafes/consumers.py`` is the Channels adapter; it hands each frame and each channel-layer
message to a ``LiveSession`` (``session.py``), which is made of:

- ``hello.py``: the first sync (which table a staff screen follows; catch-up or state);
- ``sync.py``: the cursor: catch-up (news, and replay of ``LiveUpdate`` rows) and resync
  (a fresh ``state``);
- ``following.py``: the channel-layer groups a socket is in, and the table it follows;
- ``staff_feed.py``: a console's share of the tables' overview (``overview.py``);
- ``heartbeat.py``: pings, presence refresh and the watchdog for silent sockets;
- ``writes.py`` and ``frames.py``: the frames that change something, run in order.

``arrivals.py``, ``presence.py`` and ``overview.py`` gather the work of every socket of an
event in one server process; ``db.py`` runs database work off the event loop.
"""
