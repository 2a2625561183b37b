"""The agent desk: an aiohttp app that also serves the web chat page for trying the bot."""
