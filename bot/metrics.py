"""The bot's Prometheus metrics (``prometheus-client``): the counters and the histogram
the places where things happen increment, in one registry that ``/metrics`` serves.

Owns only the metric objects and the registry; no I/O. The gauges read from the
database on each scrape (pending reminder rows, overdue assignments) are a collector the
web app registers (:mod:`bot.web`), so this module stays below the services.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

# One registry per process, not the library's global one: the web app serves exactly
# these (and the process and platform collectors it adds).
REGISTRY = CollectorRegistry(auto_describe=True)

UPDATES = Counter(
    "dondoc_updates_handled",
    "Telegram updates handled, by kind (text, command, callback, …) and outcome "
    "(answered, not_claimed, failed, retry_later, ignored)",
    ["kind", "outcome"],
    registry=REGISTRY,
)
HANDLING_SECONDS = Histogram(
    "dondoc_update_handling_seconds",
    "Time from claiming an update to the last reply sent",
    ["kind"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
    registry=REGISTRY,
)
REMINDERS = Counter(
    "dondoc_reminders",
    "Reminder rows by outcome: sent, failed (retried or given up), stale (too late to send)",
    ["outcome"],
    registry=REGISTRY,
)
RATE_LIMITED = Counter(
    "dondoc_telegram_429",
    "429 Too Many Requests (RetryAfter) answers received from Telegram",
    registry=REGISTRY,
)
WEBHOOK_DELIVERIES = Counter(
    "dondoc_webhook_deliveries",
    "Webhook POSTs by answer: accepted, forbidden (bad secret), malformed, unavailable",
    ["answer"],
    registry=REGISTRY,
)

# Pre-create the label sets people alert on, so they read 0 rather than being absent.
for _outcome in ("sent", "failed", "stale"):
    REMINDERS.labels(_outcome)
for _answer in ("accepted", "forbidden", "malformed", "unavailable"):
    WEBHOOK_DELIVERIES.labels(_answer)
