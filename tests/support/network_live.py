"""A real server whose network 1 holds something of everything the network pages show:
enough placements for the overview's charts, resources (a PDF and a PNG), a gathering
held with feedback, the next one, topics, a change note and a message."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from mentorapp import create_app
from mentorapp.domain import clock
from mentorapp.store.db import connect
from tests.support.clients import signed_in
from tests.support.network import (
    PDF,
    add_file,
    add_link,
    add_placements,
    created_id,
    move_gathering,
    plan,
    png,
    post,
)
from tests.support.server import LiveServer


def start(folder: Path) -> LiveServer:
    server = LiveServer(folder)
    world = server.build_world()
    app = create_app({"INSTANCE_PATH": str(server.instance), "TESTING": True,
                      "LOG_LEVEL": "WARNING"})
    db = connect(server.database)
    try:
        add_placements(app, db, world, 5, weeks=4)
        coordinator = signed_in(app, world, "coordinator")
        mentor = signed_in(app, world, "mentor_a")
        ids = server.ids = {}
        ids["pdf"] = created_id(add_file(coordinator, PDF, "sjekkliste.pdf",
                                         title="Sjekkliste for første uke"))
        ids["png"] = created_id(add_file(coordinator, png(40, 30), "skjema.png",
                                         title="Skjema for oppfølging", language="en"))
        ids["link"] = created_id(add_link(coordinator))
        ids["held"] = plan(coordinator, title="Samling om fravær")
        post(mentor, f"/n/gatherings/{ids['held']}/answer", {"answer": "yes"})
        move_gathering(db, ids["held"], clock.now() - timedelta(days=14))
        post(mentor, f"/n/gatherings/{ids['held']}/feedback",
             {"rating": "4", "useful": "Erfaringsrunden", "wish": "Kortere"})
        post(coordinator, f"/n/gatherings/{ids['held']}/attendance",
             {"present": str(world.ids["mentor_a"])})
        ids["coming"] = plan(coordinator, title="Samling om de første ukene")
        post(mentor, "/n/topics/new", {"title": "Når deltakeren slutter å komme"})
        post(coordinator, "/n/changes/new", {"title": "Kortere samlinger", "body": "To timer nå."})
        post(coordinator, "/n/messages/new", {"body": "Neste samling er også på video."})
    finally:
        db.close()
    server.start()
    return server
