"""Rasa input and output channels for Facebook Messenger and WhatsApp (Cloud API), and the Graph API client.

`messenger.MessengerInput` and `whatsapp.WhatsAppInput` are named in credentials.yml; `agent_delivery` sends
the desk's agent replies. Only the channel modules import Rasa.
"""
