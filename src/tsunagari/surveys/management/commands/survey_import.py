"""``tsunagari survey_import``: the web import path (mapping, check, all-or-nothing import) from the shell."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError

from tsunagari.accounts.models import Staff
from tsunagari.surveys import importing, services
from tsunagari.surveys.models import Survey


class Command(BaseCommand):
    help = (
        "Import a survey's responses file (CSV or .xlsx) into a survey round, as the import page "
        "does: propose the mapping (override with --map field=column), check every row, import "
        "all or nothing, then weight to the people registry (or --margins MARGINS.csv)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--year", type=int, required=True, help="fiscal year of the survey")
        parser.add_argument("--wave", type=int, default=1)
        parser.add_argument("--user", default="planner", help="staff account doing the import")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=COLUMN",
            help=f"map a field to a column; fields: {', '.join(importing.FIELD_KEYS)}",
        )
        parser.add_argument(
            "--accept-no-answer",
            action="store_true",
            help="import out-of-range answers as no answer (the engine's rule)",
        )
        parser.add_argument("--margins", type=Path, help="MARGINS.csv to weight to")

    def handle(self, *args: Any, **options: Any) -> None:
        staff = Staff.objects.filter(username=options["user"], is_active=True).first()
        if staff is None:
            raise CommandError(f"no active staff account {options['user']!r} (use --user)")
        survey = Survey.objects.filter(fiscal_year=options["year"], wave=options["wave"]).first()
        if survey is None:
            raise CommandError(
                f"no survey for FY{options['year']} wave {options['wave']}; create it on /surveys/new/"
            )
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from None
        try:
            job = services.upload_responses(staff, survey, SimpleUploadedFile(path.name, data))
        except services.SurveyError as exc:
            raise CommandError(f"{path}: {exc}") from None
        mapping = dict(job.mapping)
        for pair in options["map"]:
            field, _, column = pair.partition("=")
            if field not in importing.FIELD_KEYS:
                raise CommandError(f"--map {pair}: unknown field {field!r}")
            mapping[field] = column
        self.stdout.write("mapping: " + ", ".join(f"{k}={v}" for k, v in mapping.items() if v))
        result = services.check_import(
            staff, job, mapping, accept_no_answer=options["accept_no_answer"]
        )
        for error in result.mapping_errors:
            self.stderr.write(error)
        for p in job.report.get("problems", [])[:50]:
            self.stderr.write(f"row {p['row']}, {p['field']} {p['value']!r}: {p['problem']}")
        if job.status != "valid":
            services.discard_import(staff, job)
            raise CommandError(
                f"{path}: not imported ({result.blocking} blocking problems, {result.answers} "
                "out-of-range values; see above, or --accept-no-answer for the latter)"
            )
        analysis = services.run_import(staff, job)
        if options.get("margins"):
            upload = SimpleUploadedFile("MARGINS.csv", options["margins"].read_bytes())
            try:
                analysis = services.use_margins_file(staff, survey, upload)
            except services.SurveyError as exc:
                raise CommandError(str(exc)) from None
        self.stdout.write(
            f"imported {analysis.respondents:,} responses into {survey}; {analysis.weighting_text}"
        )
