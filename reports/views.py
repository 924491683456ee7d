"""Thin views of the reports page, the compile buttons (an event's report, the series
report) and the audited download."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from events.models import Event, Series
from events.permissions import can_manage_event, can_view_series
from events.views.access import event_page, series_page
from reports import selectors, services
from reports.errors import ReportsError
from reports.models import ReportFormat
from reports.permissions import (
    can_compile_series_report,
    can_download_reports,
    can_download_version,
)
from reports.renderers import RENDERERS
from reports.templatetags.report_panels import panel_context


@require_GET
@series_page(can_view_series)
def series_reports(request: HttpRequest, series: Series) -> HttpResponse:
    """Every version of the series report and of the series' events' reports the person
    may download.

    With ``?part=versions`` only the lists, which the page polls while a compile runs.
    """
    series_report = selectors.series_report_for(series=series, user=request.user)
    events = selectors.reports_for_series(series=series, user=request.user)
    if not events and series_report is None:
        raise PermissionDenied("You have no role on any event of this series with reports.")
    context = {
        "series": series,
        "series_report": series_report,
        "events": events,
        "in_progress": any(e.in_progress for e in events)
        or bool(series_report and series_report.in_progress),
        "formats": ReportFormat,
    }
    if request.GET.get("part") == "versions":
        return render(request, "reports/_events.html", context)
    return render(request, "reports/series.html", context)


@require_POST
@event_page(can_manage_event)
def compile_event(request: HttpRequest, event: Event) -> HttpResponse:
    try:
        version = services.request_report(
            event=event, by=request.user, reason="New version on request"
        )
    except ReportsError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"Version {version.number} of {event.title} is queued; it appears below."
        )
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    url = reverse("reports:series", args=[event.series.slug])
    return redirect(f"{url}#event-{event.slug}")


@require_GET
@event_page(can_download_reports)
def event_panel(request: HttpRequest, event: Event) -> HttpResponse:
    """The harvest workspace's report panel alone, which it polls while a version compiles."""
    return render(request, "reports/_event_panel.html", panel_context(request.user, event))


@require_POST
@series_page(can_compile_series_report)
def compile_series(request: HttpRequest, series: Series) -> HttpResponse:
    version = services.request_series_report(
        series=series, by=request.user, reason="New version on request"
    )
    messages.success(
        request, f"Version {version.number} of the series report is queued; it appears below."
    )
    return redirect(f"{reverse('reports:series', args=[series.slug])}#series-report")


@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    report_file = selectors.report_file(pk=pk)
    if report_file is None:
        raise Http404("No such report file.")
    if not can_download_version(request.user, report_file.version):
        raise PermissionDenied("Only the report's staff and review team download it.")
    if report_file.version.is_withdrawn:
        return HttpResponse(
            f"Version {report_file.version.number} was withdrawn on "
            f"{report_file.version.withdrawn_at:%d %B %Y}: {report_file.version.withdrawn_reason} "
            "Its files were removed; download the newest version instead.",
            status=410,
            content_type="text/plain; charset=utf-8",
        )
    try:
        handle = report_file.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing from storage; compile a new version.") from None
    services.record_download(report_file=report_file, user=request.user)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=report_file.file.name.rsplit("/", 1)[-1],
        content_type=RENDERERS[report_file.format].content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
