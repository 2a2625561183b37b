"""A multilingual customer-service assistant framework on Rasa."""
