from django.urls import path

from exchange import api, moderation_api, transfer_api

urlpatterns = [
    path("", api.Practices.as_view(), name="practices"),
    path("<uuid:uid>/", api.PracticeDetail.as_view(), name="practice-detail"),
    path("transfers/", transfer_api.Transfers.as_view(), name="transfers"),
    path("transfers/<uuid:uid>/", transfer_api.TransferDetail.as_view(), name="transfer-detail"),
    path("transfers/<uuid:uid>/status/", transfer_api.TransferStatusView.as_view(),
         name="transfer-status"),
    path("transfers/<uuid:uid>/evidence/", transfer_api.TransferEvidence.as_view(),
         name="transfer-evidence"),
    path("visits/", transfer_api.Visits.as_view(), name="visits"),
    path("visits/<uuid:uid>/", transfer_api.VisitDetail.as_view(), name="visit-detail"),
    path("visits/<uuid:uid>/attachments/", transfer_api.VisitAttachments.as_view(),
         name="visit-attachments"),
    path("attachments/<uuid:uid>/", transfer_api.AttachmentDetail.as_view(),
         name="attachment-detail"),
    path("<uuid:uid>/transfers/", transfer_api.PracticeTransfers.as_view(),
         name="practice-transfers"),
    path("<uuid:uid>/attachments/", transfer_api.PracticeAttachments.as_view(),
         name="practice-attachments"),
    path("questions/<int:pk>/visibility/", moderation_api.QuestionVisibility.as_view(),
         name="question-visibility"),
    path("endorsements/<int:pk>/visibility/", moderation_api.EndorsementVisibility.as_view(),
         name="endorsement-visibility"),
    path("<uuid:uid>/questions/", api.PracticeQuestions.as_view(), name="practice-questions"),
    path("<uuid:uid>/endorsements/", api.PracticeEndorsements.as_view(),
         name="practice-endorsements"),
    path("<uuid:uid>/<str:action>/", api.PracticeAction.as_view(), name="practice-action"),
]
