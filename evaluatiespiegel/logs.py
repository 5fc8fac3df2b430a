"""Keep participants' personal links out of every log.

A personal link is /p/<token>/ and the token is the whole secret (sessions.models.Claim).
Django's request log ("Not Found: /p/…/"), runserver's request lines and gunicorn's access
and error logs all write paths; one filter, on every handler and on gunicorn's loggers,
replaces the token before anything is written. Comments say why: a log file is read by
more people, and kept longer, than the room's links are valid.
"""

import logging
import re

# The token is URL-safe base64; anything up to the next "/", "?", "#", quote or space is
# taken, so a truncated or percent-encoded token is hidden too.
_TOKEN_IN_PATH = re.compile(r"(/p/)[^/?#\s\"']+")
REDACTED = "[verborgen]"


def redact(text: str) -> str:
    """`text` with the token of every /p/<token> replaced by [verborgen]."""
    return _TOKEN_IN_PATH.sub(rf"\g<1>{REDACTED}", text)


class RedactTokens(logging.Filter):
    """A logging filter that rewrites a record's message without personal tokens.

    The message is formatted once here (msg % args) and the record keeps the result, so
    formatters and handlers further on only ever see the redacted text.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is logging's problem to report, not ours
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # gunicorn is only there where `make serve` runs
    _GunicornLogger = None

if _GunicornLogger is not None:

    class GunicornLogger(_GunicornLogger):
        """gunicorn's logger with RedactTokens on its access and error logs (gunicorn.conf.py
        sets it as logger_class): the access line's request, URL and referer atoms and
        "Error handling request /p/…" messages never carry a token."""

        def setup(self, cfg) -> None:
            super().setup(cfg)
            for log in (self.access_log, self.error_log):
                if not any(isinstance(f, RedactTokens) for f in log.filters):
                    log.addFilter(RedactTokens())
