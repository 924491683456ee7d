"""A websocket echo that goes through the channel layer, for monitoring the live path."""

from channels.generic.websocket import AsyncJsonWebsocketConsumer


class EchoConsumer(AsyncJsonWebsocketConsumer):
    """Sends each frame to a group of one and back, proving the layer round-trips."""

    async def connect(self) -> None:
        self.group = f"echo-{self.channel_name.replace('!', '-')}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        await self.channel_layer.group_send(self.group, {"type": "echo.reply", "content": content})

    async def echo_reply(self, message: dict) -> None:
        await self.send_json({"type": "echo", "content": message["content"]})
