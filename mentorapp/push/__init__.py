"""Web Push: the server's VAPID keys, the sender that drains the durable outbox, and the
reminders that time sets off on each of its rounds."""
