"""WebSocket close codes of the room's sockets (4000-4999 are the application's own).

The front end reads the same numbers (`frontend/lib/socket.js`) to decide whether to retry.
"""

# The client drops its socket on purpose and comes straight back (a call keeps its place).
CLOSE_RECONNECTING = 4001
# No logged-in user: retrying will not help until the user logs in.
CLOSE_UNAUTHENTICATED = 4401
# Not (or no longer) a member of the session: do not retry.
CLOSE_NOT_ALLOWED = 4403
