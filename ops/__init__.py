"""Operations: health checks of the database, channel layer and broker, and worker heartbeats."""
