"""URL routes of the events app: staff pages under /manage/, participants under /join/."""

from django.urls import path

from events.views import join, overview, people, plan, series

app_name = "events"

event = "manage/events/<slug:slug>/"

urlpatterns = [
    # Participants (no account).
    path("join/", join.join_start, name="join_start"),
    path("join/<str:code>/", join.join, name="join"),
    path("join/<str:code>/invite/<str:token>/", join.join_invited, name="join_invited"),
    path("join/<str:code>/welcome/", join.welcome, name="welcome"),
    path("join/<str:code>/withdraw/", join.withdraw, name="withdraw"),
    # Facilitators and staff.
    path("manage/", series.series_list, name="series_list"),
    path("manage/series/new/", series.series_create, name="series_create"),
    path("manage/series/<slug:slug>/", series.series_overview, name="series_overview"),
    path("manage/series/<slug:slug>/staff/", series.series_staff, name="series_staff"),
    path(
        "manage/series/<slug:slug>/staff/<int:pk>/remove/",
        series.series_staff_remove,
        name="series_staff_remove",
    ),
    path("manage/series/<slug:slug>/events/new/", overview.event_create, name="event_create"),
    path(event, overview.event_overview, name="event_overview"),
    path(event + "edit/", overview.event_edit, name="event_edit"),
    path(event + "duplicate/", overview.event_duplicate, name="event_duplicate"),
    path(event + "status/", overview.event_transition, name="event_transition"),
    path(event + "qr.svg", overview.event_qr, name="event_qr"),
    path(event + "agenda/", plan.event_agenda, name="event_agenda"),
    path(event + "agenda/<int:pk>/edit/", plan.segment_edit, name="segment_edit"),
    path(event + "agenda/<int:pk>/move/", plan.segment_move, name="segment_move"),
    path(event + "agenda/<int:pk>/delete/", plan.segment_delete, name="segment_delete"),
    path(event + "questions/", plan.event_questions, name="event_questions"),
    path(event + "prompts/<int:pk>/", plan.prompt_edit, name="prompt_edit"),
    path(event + "questions/<int:pk>/edit/", plan.question_edit, name="question_edit"),
    path(event + "questions/<int:pk>/move/", plan.question_move, name="question_move"),
    path(event + "questions/<int:pk>/delete/", plan.question_delete, name="question_delete"),
    path(event + "role-codes/", plan.event_role_codes, name="event_role_codes"),
    path(event + "role-codes/<int:pk>/delete/", plan.role_code_delete, name="role_code_delete"),
    path(event + "invitations/", people.event_invitations, name="event_invitations"),
    path(
        event + "invitations/<int:pk>/resend/", people.invitation_resend, name="invitation_resend"
    ),
    path(event + "participants/", people.event_participants, name="event_participants"),
    path(
        event + "participants/<int:pk>/check-in/",
        people.participant_check_in,
        name="participant_check_in",
    ),
    path(event + "staff/", people.event_staff, name="event_staff"),
    path(event + "staff/<int:pk>/remove/", people.event_staff_remove, name="event_staff_remove"),
]
