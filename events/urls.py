"""URL routes of the events app: staff pages under /manage/, participants under /join/."""

from django.urls import path

from events.views import join, manage

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
    path("manage/", manage.series_list, name="series_list"),
    path("manage/series/new/", manage.series_create, name="series_create"),
    path("manage/series/<slug:slug>/", manage.series_overview, name="series_overview"),
    path("manage/series/<slug:slug>/staff/", manage.series_staff, name="series_staff"),
    path(
        "manage/series/<slug:slug>/staff/<int:pk>/remove/",
        manage.series_staff_remove,
        name="series_staff_remove",
    ),
    path("manage/series/<slug:slug>/events/new/", manage.event_create, name="event_create"),
    path(event, manage.event_overview, name="event_overview"),
    path(event + "edit/", manage.event_edit, name="event_edit"),
    path(event + "duplicate/", manage.event_duplicate, name="event_duplicate"),
    path(event + "status/", manage.event_transition, name="event_transition"),
    path(event + "qr.svg", manage.event_qr, name="event_qr"),
    path(event + "agenda/", manage.event_agenda, name="event_agenda"),
    path(event + "agenda/<int:pk>/edit/", manage.segment_edit, name="segment_edit"),
    path(event + "agenda/<int:pk>/move/", manage.segment_move, name="segment_move"),
    path(event + "agenda/<int:pk>/delete/", manage.segment_delete, name="segment_delete"),
    path(event + "questions/", manage.event_questions, name="event_questions"),
    path(event + "prompts/<int:pk>/", manage.prompt_edit, name="prompt_edit"),
    path(event + "questions/<int:pk>/edit/", manage.question_edit, name="question_edit"),
    path(event + "questions/<int:pk>/move/", manage.question_move, name="question_move"),
    path(event + "questions/<int:pk>/delete/", manage.question_delete, name="question_delete"),
    path(event + "role-codes/", manage.event_role_codes, name="event_role_codes"),
    path(event + "role-codes/<int:pk>/delete/", manage.role_code_delete, name="role_code_delete"),
    path(event + "invitations/", manage.event_invitations, name="event_invitations"),
    path(
        event + "invitations/<int:pk>/resend/", manage.invitation_resend, name="invitation_resend"
    ),
    path(event + "participants/", manage.event_participants, name="event_participants"),
    path(
        event + "participants/<int:pk>/check-in/",
        manage.participant_check_in,
        name="participant_check_in",
    ),
    path(event + "staff/", manage.event_staff, name="event_staff"),
    path(event + "staff/<int:pk>/remove/", manage.event_staff_remove, name="event_staff_remove"),
]
