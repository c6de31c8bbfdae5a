app_name = "rostering"
urlpatterns: list = []
