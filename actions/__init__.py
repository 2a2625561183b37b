"""rasa-sdk custom actions: thin wrappers that call into `bot`."""
