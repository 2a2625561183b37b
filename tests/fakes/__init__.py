"""Local stand-ins for services on the internet, speaking their real wire formats, for tests."""
