"""python manage.py bench: timings printed as figures (not asserted by unit tests).

- `recommend` as a command: wall time for 1 intake file and for N files in one call (the
  engine's cost should be small beside start-up: N files in under twice the time of one).
- The engine in a warm process: intakes per second.
- A two-page patient handout rendered to PDF in a warm process: median milliseconds (target
  100 ms, issue 12), with the CPU time, and the same handout in Spanish and in large print.
"""

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from workup.bench.samples import sample_intakes
from workup.engine import recommend
from workup.knowledge.loading import knowledge_base

HANDOUT_MS = 100  # a two-page handout in a warm worker (issue 12: it was about 150 ms)


class Command(BaseCommand):
    help = "Print timings of `recommend` (1 file vs many) and of the engine in a warm process."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--files", type=int, default=1000)
        parser.add_argument("--repeat", type=int, default=3, help="runs of each command (median)")

    def handle(self, *args, files, repeat, **options):
        kb = knowledge_base()
        intakes = sample_intakes(kb, files)
        with tempfile.TemporaryDirectory() as tmp:
            paths = []
            for i, intake in enumerate(intakes):
                path = Path(tmp) / f"intake-{i:05d}.json"
                path.write_text(json.dumps(intake))
                paths.append(str(path))
            one = self.time_command(paths[:1], repeat)
            many = self.time_command(paths, repeat)
        ratio = many / one
        self.stdout.write(f"recommend, 1 file:      {one * 1000:8.0f} ms (median of {repeat})")
        self.stdout.write(f"recommend, {files} files: {many * 1000:8.0f} ms (median of {repeat})")
        self.stdout.write(
            f"ratio {ratio:.2f} (target: under 2.00) {'OK' if ratio < 2 else 'OVER TARGET'}"
        )

        start = time.perf_counter()
        for intake in intakes:
            recommend(intake, kb)
        elapsed = time.perf_counter() - start
        self.stdout.write(
            f"engine, warm process:   {files / elapsed:8.0f} intakes/s "
            f"({elapsed / files * 1e6:.0f} us each)"
        )
        self.bench_handout(kb)

    def bench_handout(self, kb, runs=20):
        """The render of a two-page handout (red flags, tests, a referral, venous advice, two
        medicines) in a warm process, from the consultation's data to the PDF's bytes: the
        template and WeasyPrint, as the worker does it. Wall-clock median (the target) and the
        process's CPU time (steadier on a busy machine); the same handout in Spanish and in
        large print for comparison."""
        from workup.documents.content import DocumentInput
        from workup.documents.kinds import KINDS
        from workup.documents.pdf import render_pdf

        intake = sample_intakes(kb, 1)[0]
        intake.update(
            findings=["calf_swelling_3cm", "deep_vein_tenderness"],
            medications=["Lasix 40mg", "Ramipril 5mg"],
            legs={"left": ["varicose_veins", "venous_symptoms"], "right": []},
        )
        intake["cramps"].update(longest_minutes=3, relieved_by_stretching=True)
        doc = DocumentInput.all_accepted(intake, recommend(intake, kb), patient_name="Bench Mark")
        handout = KINDS["handout"]
        for label, options, target in (
            ("handout, warm process", {"language": "en", "large_print": False}, HANDOUT_MS),
            ("  the same in Spanish", {"language": "es", "large_print": False}, None),
            ("  the same, large print", {"language": "en", "large_print": True}, None),
        ):
            render_pdf(handout.html(doc, kb, options))  # warm up: fonts, templates
            wall, cpu = [], []
            for _ in range(runs):
                start, start_cpu = time.perf_counter(), time.process_time()
                pdf = render_pdf(handout.html(doc, kb, options))
                wall.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
            median = statistics.median(wall) * 1000
            figure = (
                f"{label + ':':24}{median:6.0f} ms median for {pdf.pages} pages "
                f"({statistics.median(cpu) * 1000:.0f} ms CPU; {runs} runs)"
            )
            if target is not None:
                ok = median <= target and pdf.pages == 2
                figure += f"; target: at most {target} ms, 2 pages {'OK' if ok else 'OVER TARGET'}"
            self.stdout.write(figure)

    def time_command(self, paths, repeat):
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "manage.py", "recommend", *paths],
                cwd=settings.BASE_DIR,
                capture_output=True,
                text=True,
            )
            times.append(time.perf_counter() - start)
            if proc.returncode != 0:
                raise CommandError(f"recommend failed: {proc.stderr.strip()[:300]}")
        return statistics.median(times)
