from django.contrib.auth import views as auth_views
from django.urls import path

from tsunagari.accounts import mfa, my_sessions, password, views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("signin/", views.SignInView.as_view(), name="login"),
    path("signout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", password.change_password, name="password_change"),
    path("sessions/", my_sessions.my_sessions, name="sessions"),
    path("signin/code/", mfa.verify, name="mfa_verify"),
    path("signin/authenticator/", mfa.setup, name="mfa_setup"),
    path("agencies/", views.agencies, name="agencies"),
    path("staff/", views.staff_list, name="staff"),
    path("staff/tokens/", views.token_list, name="tokens"),
    path("staff/tokens/issue/", views.token_issue, name="token_issue"),
    path("staff/tokens/<str:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
