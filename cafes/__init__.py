"""Live café tables: seating, rounds, notes, plenary chat, priorities and closing answers."""
