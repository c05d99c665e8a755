"""structlog JSON logs: one JSON object a line, with topic/partition/offset/key bound per event.

Post text and personal data never go into logs at info level: log ids and counts.
"""

from __future__ import annotations

import logging
import sys

import structlog
from structlog.tracebacks import ExceptionDictTransformer
from urllib.parse import urlsplit, urlunsplit

_PROCESSORS = [
    structlog.contextvars.merge_contextvars,
    structlog.processors.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    # frames and the exception, never their locals: a frame's locals hold post text and secrets
    structlog.processors.ExceptionRenderer(ExceptionDictTransformer(show_locals=False)),
]


def redact_url(url: str) -> str:
    """A URL fit for a log line: its password (redis://user:secret@host) replaced by ***."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username or ''}:***@{parts.hostname or ''}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def configure(level: str = "INFO", stream=sys.stderr) -> None:
    """Route structlog and the stdlib loggers (faust, mode, aiokafka) to JSON lines on `stream`."""
    numeric = logging.getLevelName(level.upper())
    structlog.configure(  # structlog events are rendered once, by the handler's formatter below
        processors=[structlog.stdlib.filter_by_level, *_PROCESSORS, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(stream)
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[structlog.stdlib.add_logger_name, *_PROCESSORS],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, structlog.processors.JSONRenderer()],
    ))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(numeric)
    for noisy in ("aiokafka", "kafka"):
        logging.getLogger(noisy).setLevel(max(numeric, logging.WARNING))


def faust_logging_config(level: str = "INFO") -> dict:
    """A logging dictConfig for faust's worker, so its own logs come out as JSON lines too."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {
            "()": structlog.stdlib.ProcessorFormatter,
            "foreign_pre_chain": [structlog.stdlib.add_logger_name, *_PROCESSORS],
            "processors": [structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                           structlog.processors.JSONRenderer()],
        }},
        "handlers": {"default": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        "root": {"handlers": ["default"], "level": level.upper()},
        "loggers": {"aiokafka": {"level": "WARNING"}},
    }


def get(name: str = "modstream"):
    return structlog.get_logger(name)
