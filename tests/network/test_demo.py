"""The demo shows the network too: resources (one a real PDF on disk), a gathering held
with feedback and a change note, the next one, topics with votes and a message."""

from __future__ import annotations

from pathlib import Path

from mentorapp import demo
from mentorapp.domain import clock
from mentorapp.network import uploads
from mentorapp.store import gatherings


def test_the_demo_network_has_something_of_everything(app, db):
    with app.app_context():
        ids = demo.seed(db, app)
    assert db["resources"].count == 3
    [pdf] = db.query("SELECT * FROM resources WHERE kind = 'file'")
    stored = Path(app.config["UPLOAD_DIR"]) / pdf["stored_name"]
    assert uploads.sniff(stored.read_bytes()[:16]) == "application/pdf"
    assert stored.read_bytes().rstrip().endswith(b"%%EOF")
    upcoming = gatherings.next_for(db, ids["network"], clock.now_iso(), ids["mentor1"])
    assert upcoming and upcoming["my_answer"] == "yes"
    assert db["gathering_feedback"].count == 2 and db["change_notes"].count == 1
    assert db["topics"].count == 2 and db["topic_votes"].count == 3
    assert db["broadcasts"].count == 1
