"""Benchmarks (`make bench`): the bench and bench_production commands and their sample intakes.
They sit on top of every app, and no app imports them."""
