"""Local fakes of the internet services the assistant talks to (only those are faked in tests)."""
