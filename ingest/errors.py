"""`NewsbotError`: the one base for errors whose message is meant for the user.

Every failure a user may cause or fix (an empty question, an unreachable store, a missing model
package, a folder that is not there) derives from it and carries one line saying what to do.
The faces show exactly those as one line; anything else is a bug and keeps its traceback in the
log. It lives in `ingest/`, below both sides, because the store and the embedder raise it too.
"""

from __future__ import annotations


class NewsbotError(Exception):
    """An error with a one-line message for the user, shown without a traceback."""
