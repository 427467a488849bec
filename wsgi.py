"""WSGI entry point for any WSGI server: `gunicorn wsgi:app`. Settings come from the
environment (see docs/configuration.md); `mentorapp serve` does the same with gunicorn."""

from mentorapp import create_app

app = create_app()
