"""`python -m mentorapp ...` is the same as the `mentorapp` command."""

from mentorapp.cli import main

main()
