"""What the provider must tell the council: an outbox of notifications delivered at least once by email, never twice for one event."""
