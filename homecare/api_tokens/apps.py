from django.apps import AppConfig


class ApiTokensConfig(AppConfig):
    name = "homecare.api_tokens"
    label = "api_tokens"
    verbose_name = "API tokens"

    def ready(self):
        from django.contrib.auth.signals import user_logged_out

        user_logged_out.connect(_revoke_phone_tokens, dispatch_uid="api_tokens_phone_sign_out")


def _revoke_phone_tokens(sender, request, user, **kwargs):
    """Signing out of the phone app (or timing out) ends its phone token too."""
    from .services import phone_tokens_revoke

    if user is not None:
        phone_tokens_revoke(user=user)
