from django.urls import path

from tipims.justice import public

app_name = "justice_public"
urlpatterns = [
    path("", public.public_complaint, name="complaint"),
    path("estado/", public.public_status, name="status"),
]
