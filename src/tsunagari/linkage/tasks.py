"""Background work: a linkage run is queued by the upload page and executed
by the task worker (``tsunagari db_worker``)."""

from __future__ import annotations

from django_tasks import task

from tsunagari.linkage.models import LinkageRun, RunStatus


@task()
def run_linkage(run_id: int) -> str:
    """Link, detect and store one queued run; returns its final status."""
    from tsunagari.linkage.runs import execute_run

    run = LinkageRun.objects.filter(pk=run_id).first()
    if run is None or run.status != RunStatus.QUEUED:
        return "skipped"
    return str(execute_run(run).status)
