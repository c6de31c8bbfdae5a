from django.urls import path

from . import views, views_blocks, views_periods

app_name = "billing"
urlpatterns = [
    path("", views.invoice_list, name="invoices"),
    path("invoices/<uuid:pk>/", views.invoice_detail, name="invoice"),
    path("invoices/<uuid:pk>/check/", views.invoice_check, name="invoice_check"),
    path("invoices/<uuid:pk>/csv/", views.invoice_csv, name="invoice_csv"),
    path("invoices/<uuid:pk>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("invoices/<uuid:pk>/submit/", views.invoice_submit, name="invoice_submit"),
    path("invoices/<uuid:pk>/query/", views.invoice_query, name="invoice_query"),
    path("invoices/<uuid:pk>/answer/", views.invoice_answer, name="invoice_answer"),
    path("invoices/<uuid:pk>/approve/", views.invoice_approve, name="invoice_approve"),
    path("invoices/<uuid:pk>/paid/", views.invoice_paid, name="invoice_paid"),
    path("invoices/<uuid:pk>/credit/", views.credit_note_create, name="credit_note_create"),
    path("lines/<uuid:pk>/", views.invoice_line, name="invoice_line"),
    path("contracts/<uuid:pk>/", views_periods.contract_billing, name="contract"),
    path("contracts/<uuid:pk>/periods/", views_periods.period_open, name="period_open"),
    path("periods/<uuid:pk>/close/", views_periods.period_close, name="period_close"),
    path("periods/<uuid:pk>/invoice/", views_periods.invoice_draw, name="invoice_draw"),
    path("blocks/", views_blocks.block_list, name="blocks"),
    path("blocks/<uuid:pk>/capacity/", views_blocks.capacity, name="capacity"),
]
