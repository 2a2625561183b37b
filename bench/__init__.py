"""Benchmarks: figures printed side by side with a baseline run (`make bench-nlu`)."""
