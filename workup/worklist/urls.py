from django.urls import path

from workup.worklist import views

urlpatterns = [
    path("worklist/", views.worklist, name="worklist"),
]
