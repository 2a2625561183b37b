"""`python -m bot.desk`: serve the desk on DESK_PORT."""
from aiohttp import web

from bot import logging_setup
from bot.desk.app import init_app
from bot.settings import Settings

if __name__ == "__main__":
    logging_setup.configure("desk")
    settings = Settings()
    web.run_app(init_app(settings), host=settings.host, port=settings.desk_port, print=None)
