from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Training: who read which guide, who completed which tour"
    default_auto_field = "django.db.models.BigAutoField"
