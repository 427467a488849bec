"""API routes: phone (what the phone calls: session, sync, receipts, push subscriptions, and
the OpenAPI document describing it) and feed (new events for NAV systems)."""

from mentorapp.api.views import feed, phone  # noqa: F401
