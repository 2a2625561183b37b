"""Tests of bot.orders: the rules, the HTTP client, the demo server and every adapter against local servers."""
