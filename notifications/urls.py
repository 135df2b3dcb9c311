from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("account/", views.account, name="account"),
    path("emails/", views.email_log, name="email_log"),
    path("emails/<int:pk>/send-again/", views.email_send_again, name="email_send_again"),
]
