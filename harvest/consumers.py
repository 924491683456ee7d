"""The live channel of a curation workspace: tells harvesters' pages when the harvest
changed, so they fetch the new board. The database stays the source of truth."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from events.models import Event
from events.selectors import event_by_slug
from harvest.permissions import can_curate_harvest
from harvest.selectors import harvest_version
from ops.news import group_name


@database_sync_to_async
def _event_if_allowed(user, slug: str) -> Event | None:
    event = event_by_slug(slug)
    return event if event and can_curate_harvest(user, event) else None


class HarvestConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        self.group = None
        event = await _event_if_allowed(
            self.scope.get("user"), self.scope["url_route"]["kwargs"]["slug"]
        )
        if event is None:
            await self.close(code=4403)
            return
        self.group = group_name("harvest", event.id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        version = await database_sync_to_async(harvest_version)(event=event)
        await self.send_json({"type": "hello", "version": version})

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def harvest_changed(self, message: dict) -> None:
        await self.send_json(
            {
                "type": "changed",
                "version": message["version"],
                "description": message["description"],
                "by": message["by"],
            }
        )
