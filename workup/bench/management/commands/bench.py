"""python manage.py bench: timings printed as figures (not asserted by unit tests).

- `recommend` as a command: wall time for 1 intake file and for N files in one call (the
  engine's cost should be small beside start-up: N files in under twice the time of one).
- The engine in a warm process: intakes per second.
- A two-page patient handout rendered to PDF in a warm process: median milliseconds.
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
        from io import BytesIO

        from pypdf import PdfReader

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
        handout, options = KINDS["handout"], {"language": "en", "large_print": False}
        render_pdf(handout.html(doc, kb, options))  # warm up: fonts, templates
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            pdf = render_pdf(handout.html(doc, kb, options))
            times.append(time.perf_counter() - start)
        pages = len(PdfReader(BytesIO(pdf)).pages)
        median = statistics.median(times) * 1000
        self.stdout.write(
            f"handout, warm process:  {median:8.0f} ms median for {pages} pages "
            f"({runs} runs; target: at most 250 ms) "
            f"{'OK' if median <= 250 else 'OVER TARGET'}"
        )

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
