from django.urls import path

from tipims.statistics import views

app_name = "statistics"
urlpatterns = [path("estimate/", views.estimate, name="estimate")]
