"""The demo, kept apart from the stages: a simulated lead history, and the `make demo` walkthrough."""
