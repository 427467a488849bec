"""Admin routes, one module per part: users, audit, tokens, organisation."""

from mentorapp.admin.views import audit, organisation, tokens, users  # noqa: F401
