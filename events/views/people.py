"""Staff pages of an event's people: invitations, participants (checking in) and staff."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from events import selectors, services
from events.forms import InviteForm, MembershipForm
from events.join_links import invitation_url, join_url
from events.views.access import manage_event
from events.views.calls import run_service, save_form
from events.views.tabs import event_context, redirect_to

# --- invitations and participants ----------------------------------------------------------------


@manage_event
def event_invitations(request, event):
    form = InviteForm(request.POST or None)

    def invite(emails: str):
        return services.invite_people(event=event, pasted_emails=emails, invited_by=request.user)

    done = save_form(
        request,
        form,
        invite,
        success=lambda sent: f"{len(sent)} invitation(s) saved; the emails are on their way.",
    )
    if done is not None:
        return redirect_to("event_invitations", event)
    base_url = request.build_absolute_uri("/")
    invitations = [
        (invitation, invitation_url(invitation, base_url=base_url))
        for invitation in event.invitations.prefetch_related("participants")
    ]
    return render(
        request,
        "events/manage/invitations.html",
        event_context(
            request,
            event,
            "invitations",
            form=form,
            invitations=invitations,
            join_link=join_url(event, base_url=base_url),
        ),
    )


@require_POST
@manage_event
def invitation_resend(request, event, pk: int):
    invitation = get_object_or_404(event.invitations, pk=pk)
    services.resend_invitation(invitation=invitation)
    messages.success(request, f"The invitation to {invitation.email} will be sent again.")
    return redirect_to("event_invitations", event)


@manage_event
def event_participants(request, event):
    event = selectors.with_counts(type(event).objects.filter(pk=event.pk)).get()
    return render(
        request,
        "events/manage/participants.html",
        event_context(request, event, "participants", groups=selectors.participants_by_role(event)),
    )


@require_POST
@manage_event
def participant_check_in(request, event, pk: int):
    participant = get_object_or_404(event.participants, pk=pk)
    present = request.POST.get("present") != "no"
    done = "checked in" if present else "no longer checked in"
    run_service(
        request,
        lambda: services.check_in(participant=participant, present=present),
        success=f"{participant.pseudonym} is {done}.",
    )
    return redirect(
        reverse("events:event_participants", kwargs={"slug": event.slug}) + f"#p{participant.pk}"
    )


# --- event staff ---------------------------------------------------------------------------------


@manage_event
def event_staff(request, event):
    form = MembershipForm(request.POST or None)

    def grant(user, role, **_):
        return services.grant_role(user=user, role=role, event=event)

    done = save_form(
        request,
        form,
        grant,
        success=lambda m: f"{m.user.get_username()} now works on this event.",
    )
    if done is not None:
        return redirect_to("event_staff", event)
    return render(
        request,
        "events/manage/event_staff.html",
        event_context(
            request, event, "staff", form=form, memberships=selectors.memberships_of_event(event)
        ),
    )


@require_POST
@manage_event
def event_staff_remove(request, event, pk: int):
    membership = get_object_or_404(event.memberships, pk=pk)
    services.revoke_role(membership=membership)
    messages.success(request, "Role removed.")
    return redirect_to("event_staff", event)
