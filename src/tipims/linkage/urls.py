from django.urls import path

from tipims.linkage import views

app_name = "linkage"
urlpatterns = [
    path("review/", views.review_queue, name="queue"),
    path("review/<int:pk>/", views.review_pair, name="pair"),
]
