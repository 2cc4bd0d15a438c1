from django.urls import path  # noqa: F401

app_name = "prevention"
urlpatterns: list = []

# Mounted under /api/ by tipims/urls.py (namespace "api").
api_patterns: list = []
