"""The report's background task (queue "reports", see notifications.worker)."""

from django_tasks import task

from sessions.report.services import render_rendering


@task(queue_name="reports")
def render_report_task(rendering_id: int) -> str:
    return render_rendering(rendering_id)
