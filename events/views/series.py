"""Staff pages of a series: the staff home, creating a series, its overview and its staff."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from events import permissions, selectors, services
from events.forms import MembershipForm, SeriesForm
from events.models import Stage
from events.views.access import series_page
from events.views.calls import save_form


@login_required
def series_list(request):
    """The staff home, where signing in leads: what is live, what is next, your series."""
    return render(
        request,
        "events/manage/series_list.html",
        {
            "home": selectors.staff_home(request.user),
            "can_create": permissions.can_create_series(request.user),
        },
    )


@login_required
def series_create(request):
    if not permissions.can_create_series(request.user):
        raise PermissionDenied
    form = SeriesForm(request.POST or None)
    created = save_form(
        request,
        form,
        partial(services.create_series, created_by=request.user),
        success=lambda series: f"Series “{series.title}” created. Now add its events.",
    )
    if created is not None:
        return redirect("events:series_overview", slug=created.slug)
    return render(request, "events/manage/series_form.html", {"form": form})


@series_page(permissions.can_view_series)
def series_overview(request, series):
    return render(
        request,
        "events/manage/series_overview.html",
        {
            "overview": selectors.series_overview(series),
            "can_manage": permissions.can_manage_series(request.user, series),
            "stages": Stage,
        },
    )


@series_page(permissions.can_manage_series)
def series_staff(request, series):
    form = MembershipForm(request.POST or None)

    def grant(user, role, **_):
        return services.grant_role(user=user, role=role, series=series)

    done = save_form(
        request,
        form,
        grant,
        success=lambda m: f"{m.user.get_username()} now works on {series.title}.",
    )
    if done is not None:
        return redirect("events:series_staff", slug=series.slug)
    return render(
        request,
        "events/manage/series_staff.html",
        {
            "series": series,
            "form": form,
            "memberships": selectors.memberships_of_series(series),
        },
    )


@require_POST
@series_page(permissions.can_manage_series)
def series_staff_remove(request, series, pk: int):
    membership = get_object_or_404(series.memberships, pk=pk)
    if membership.user == request.user:
        messages.error(request, "You can't remove your own facilitator role.")
    else:
        services.revoke_role(membership=membership)
        messages.success(request, "Role removed.")
    return redirect("events:series_staff", slug=series.slug)
