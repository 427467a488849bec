"""Network pages for coordinators and mentors, one module per part of the network.

Every object is opened through mentorapp.domain.access (404 outside the user's own network).
No case data is read here: the overview's figures come from mentorapp.network.figures.
"""

from mentorapp.network.views import (  # noqa: F401
    common,
    gatherings,
    messages,
    overview,
    resources,
    voice,
)
