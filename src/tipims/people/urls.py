from django.urls import path

from tipims.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create, name="create"),
    path("<slug:reference>/", views.person_detail, name="detail"),
    path("<slug:reference>/edit/", views.person_edit, name="edit"),
]
