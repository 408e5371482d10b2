"""Prometheus metrics of one app instance (own registry, so several apps in one test process do not clash)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram


class Telemetry:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "api_requests", "HTTP requests handled", ["method", "route", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "api_request_duration_seconds",
            "Time to answer an HTTP request",
            ["route"],
            buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5, 10),
            registry=self.registry,
        )
        self.channel_messages = Counter(
            "chat_messages", "Citizen messages received", ["channel"], registry=self.registry
        )
        self.intents = Counter("chat_intents", "Intents Rasa recognised", ["intent"], registry=self.registry)
        self.fallbacks = Counter(
            "chat_fallbacks", "Messages the assistant did not understand", registry=self.registry
        )
        self.handoffs = Counter("chat_handoffs", "Requests to talk to a person", registry=self.registry)
        self.degraded = Counter(
            "chat_degraded_answers",
            "Answers from search alone because Rasa was unavailable",
            registry=self.registry,
        )
        self.rate_limited = Counter(
            "api_rate_limited", "Requests refused by the rate limit", registry=self.registry
        )
        self.webhook_rejected = Counter(
            "webhook_rejected",
            "Webhook calls refused (bad or missing signature)",
            ["channel"],
            registry=self.registry,
        )
        self.outbound_failures = Counter(
            "channel_send_failures",
            "Replies that could not be delivered after retries",
            ["channel"],
            registry=self.registry,
        )
