from django.urls import path

from accord.virtual_exchange.views import calls, classes, exchanges, planner

app_name = "virtual_exchange"

urlpatterns = [
    path("", classes.home, name="home"),
    path("classes/", classes.class_list, name="class-list"),
    path("classes/new/", classes.class_create, name="class-create"),
    path("classes/<int:pk>/", classes.class_detail, name="class-detail"),
    path("classes/<int:pk>/edit/", classes.class_edit, name="class-edit"),
    path("classes/<int:pk>/invite/", classes.invite, name="invite"),
    path("proposals/<int:pk>/decide/", classes.decide, name="decide"),
    path("exchanges/<int:pk>/", exchanges.exchange_detail, name="exchange-detail"),
    path("exchanges/<int:pk>/edit/", exchanges.exchange_edit, name="exchange-edit"),
    path("exchanges/<int:pk>/sessions/", exchanges.session_add, name="session-add"),
    path("exchanges/<int:pk>/tasks/", exchanges.task_add, name="task-add"),
    path("exchanges/<int:pk>/messages/", exchanges.message_add, name="message-add"),
    path("exchanges/<int:pk>/students/<int:profile_pk>/", exchanges.students_save, name="students"),
    path("exchanges/<int:pk>/complete/", exchanges.complete, name="complete"),
    path("exchanges/<int:pk>/calendar/<int:profile_pk>.ics", exchanges.calendar, name="calendar"),
    path("calls/new/", calls.call_create, name="call-create"),
    path("calls/<int:pk>/", calls.call_detail, name="call-detail"),
    path("calls/<int:pk>/submit/", calls.call_submit, name="call-submit"),
    path("calls/<int:pk>/constraints/", calls.call_constraint, name="call-constraint"),
    path("calls/<int:pk>/match/", calls.call_match, name="call-match"),
    path("planner/", planner.planner, name="planner"),
    path("planner/<int:pk>/invitation.ics", planner.invitation, name="planner-invitation"),
]
