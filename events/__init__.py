"""Series, events, stages, stakeholder groups, agendas, staff roles, participants and consent."""
