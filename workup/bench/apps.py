from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "workup.bench"
    label = "bench"
    verbose_name = "Benchmarks"
