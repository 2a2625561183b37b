"""The Messenger and WhatsApp channels without Rasa: webhook checks, payload normalisation, outbound message
shapes, Graph API error rules, the messaging windows and the Redis state the connectors share with the desk.

`connectors/` wraps these in Rasa input/output channels; `bot.desk` uses them for agent replies.
"""
