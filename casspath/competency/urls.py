
app_name = "competency"

urlpatterns: list = []
