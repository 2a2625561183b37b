"""Tools for bot trainers: `bot validate`, `bot review`, `bot add-language`."""
