"""Open Space at Connect events, and the agenda of conversations and proposals at Create."""
