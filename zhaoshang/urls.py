from django.contrib.auth import views as auth_views
from django.urls import path

from zhaoshang.assessment import scheme_views
from zhaoshang.assessment import views as assessment_views
from zhaoshang.bulletins import meeting_views
from zhaoshang.bulletins import views as bulletin_views
from zhaoshang.carriers import views as carrier_views
from zhaoshang.chains import views as chain_views
from zhaoshang.construction.views import project_steps, step_list
from zhaoshang.coordination import meeting_views as dispatch_views
from zhaoshang.coordination import views as problem_views
from zhaoshang.core import views as core_views
from zhaoshang.downloads import views as download_views
from zhaoshang.evidence import views as evidence_views
from zhaoshang.frontline.views import deadlines as frontline_deadlines
from zhaoshang.frontline.views import followups as followup_views
from zhaoshang.frontline.views import leads as lead_views
from zhaoshang.frontline.views import trips as trip_views
from zhaoshang.honours import views as honours_views
from zhaoshang.industry import views as target_views
from zhaoshang.notifications import views as notification_views
from zhaoshang.observation import views as observation_views
from zhaoshang.org import audit_log
from zhaoshang.org import views as org_views
from zhaoshang.org.admin import site as sysadmin_site
from zhaoshang.org.forms import LoginForm
from zhaoshang.outreach import views as outreach_views
from zhaoshang.progress.views import campaigns, chains, dashboard, economy, groups, targets
from zhaoshang.progress.views import chain_map as chain_map_views
from zhaoshang.projects.views import chain_mapping, detail, edit, home, ledger, rates
from zhaoshang.quality import views as quality_views
from zhaoshang.reporting import views as reporting_views
from zhaoshang.sheets import views as sheet_views
from zhaoshang.verification import views as verification_views

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/password/", org_views.password_change, name="password_change"),
    path("projects/", ledger.project_list, name="project_list"),
    path("projects/new/", edit.project_create, name="project_create"),
    path("projects/<int:pk>/", detail.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", edit.project_edit, name="project_edit"),
    path("projects/<int:pk>/stage/", edit.project_stage, name="project_stage"),
    path("projects/<int:pk>/approvals/", project_steps.project_approvals, name="project_approvals"),
    path("approvals/", step_list.approval_list, name="approval_list"),
    path("problems/", problem_views.problem_list, name="problem_list"),
    path("problems/new/", problem_views.problem_create, name="problem_create"),
    path("problems/<int:pk>/", problem_views.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/assign/", problem_views.problem_assign, name="problem_assign"),
    path("problems/<int:pk>/answer/", problem_views.problem_answer, name="problem_answer"),
    path("problems/<int:pk>/confirm/", problem_views.problem_confirm, name="problem_confirm"),
    path("problems/<int:pk>/return/", problem_views.problem_return, name="problem_return"),
    path("usd-rates/", rates.usd_rates, name="usd_rates"),
    path("report/", reporting_views.monthly_report, name="monthly_report"),
    path("report/confirm/", reporting_views.monthly_confirm, name="monthly_confirm"),
    path("months/", reporting_views.month_list, name="month_list"),
    path("months/<str:month_text>/", reporting_views.month_status, name="month_status"),
    path("months/<str:month_text>/close/", reporting_views.month_close_view, name="month_close"),
    path("months/<str:month_text>/reopen/", reporting_views.month_reopen_view, name="month_reopen"),
    path("months/<str:month_text>/urge/", notification_views.month_urge, name="month_urge"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/<str:code>/", dashboard.indicator_detail, name="indicator_detail"),
    path("targets/", targets.targets, name="targets"),
    path("campaigns/", campaigns.campaign_list, name="campaign_list"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/targets/", campaigns.campaign_targets, name="campaign_targets"),
    path("economy/", economy.economy, name="economy"),
    path("groups/", groups.group_lists, name="group_lists"),
    path("chains/progress/", chains.chain_progress, name="chain_progress"),
    path("bulletins/", bulletin_views.bulletin_list, name="bulletin_list"),
    path("bulletins/draft/", bulletin_views.bulletin_draft, name="bulletin_draft"),
    path("bulletins/issue/", bulletin_views.bulletin_issue, name="bulletin_issue"),
    path("bulletins/office/", bulletin_views.bulletin_office, name="bulletin_office"),
    path("bulletins/<int:pk>/", bulletin_views.bulletin_issued, name="bulletin_issued"),
    path("meetings/", meeting_views.meeting_list, name="meeting_list"),
    path("meetings/observation/picks/", meeting_views.observation_picks, name="observation_picks"),
    path("meetings/<str:kind>/", meeting_views.meeting_material, name="meeting_material"),
    path("sheets/template/<str:kind>/", sheet_views.template_download, name="sheet_template"),
    path("sheets/import/", sheet_views.import_page, name="import_page"),
    path("sheets/import/errors/<str:token>/", sheet_views.import_error_file, name="import_error_file"),
    path("sheets/imports/<int:pk>/undo/", sheet_views.import_undo_view, name="import_undo"),
    path("dispatch/", dispatch_views.dispatch_list, name="dispatch_list"),
    path("dispatch/<int:pk>/", dispatch_views.dispatch_detail, name="dispatch_detail"),
    path("dispatch/<int:pk>/items/", dispatch_views.dispatch_add_item, name="dispatch_add_item"),
    path("dispatch/<int:pk>/items/<int:item_pk>/decide/", dispatch_views.dispatch_decide, name="dispatch_decide"),
    path("dispatch/<int:pk>/close/", dispatch_views.dispatch_close, name="dispatch_close"),
    path("dispatch/tasks/", dispatch_views.task_list, name="task_list"),
    path("dispatch/tasks/<int:pk>/done/", dispatch_views.task_done, name="task_done"),
    path("notifications/", notification_views.notification_list, name="notification_list"),
    path("notifications/read/", notification_views.notification_read, name="notification_read"),
    path("downloads/", download_views.download_list, name="download_list"),
    path("downloads/new/<str:kind>/", download_views.download_new, name="download_new"),
    path("downloads/<int:pk>/", download_views.download_file, name="download_file"),
    path("audit/", audit_log.audit_list, name="audit_list"),
    path("sysadmin/", sysadmin_site.urls),
    # 招商一线: deadlines in practice (i16-deadlines) — the working-day calendar, the lead rules, 转化率
    path("leads/calendar/", frontline_deadlines.calendar_page, name="lead_calendar"),
    path("leads/rules/", frontline_deadlines.rules_page, name="lead_rules"),
    path("leads/conversion/", frontline_deadlines.conversion_page, name="lead_conversion"),
    # 招商一线: trips, receptions, follow-ups (i16-trips)
    path("trips/", trip_views.trip_list, name="trip_list"),
    path("trips/new/", trip_views.trip_create, name="trip_create"),
    path("trips/leads/", trip_views.lead_search, name="trip_lead_search"),
    path("trips/<int:pk>/", trip_views.trip_detail, name="trip_detail"),
    path("trips/<int:pk>/edit/", trip_views.trip_edit, name="trip_edit"),
    path("trips/<int:pk>/delete/", trip_views.trip_delete, name="trip_delete"),
    path("receptions/", trip_views.reception_list, name="reception_list"),
    path("receptions/new/", trip_views.reception_create, name="reception_create"),
    path("receptions/<int:pk>/", trip_views.reception_detail, name="reception_detail"),
    path("receptions/<int:pk>/edit/", trip_views.reception_edit, name="reception_edit"),
    path("receptions/<int:pk>/delete/", trip_views.reception_delete, name="reception_delete"),
    path("enterprises/", target_views.target_list, name="target_list"),
    path("enterprises/new/", target_views.target_create, name="target_create"),
    path("enterprises/<int:pk>/", target_views.target_detail, name="target_detail"),
    path("enterprises/<int:pk>/edit/", target_views.target_edit, name="target_edit"),
    path("enterprises/<int:pk>/delete/", target_views.target_delete, name="target_delete"),
    path("enterprises/<int:pk>/work/", target_views.work_search, name="target_work_search"),
    path("enterprises/<int:pk>/link/", target_views.target_link, name="target_link"),
    path("enterprises/<int:pk>/unlink/", target_views.target_unlink, name="target_unlink"),
    path("projects/<int:pk>/followups/new/", followup_views.followup_create, name="followup_create"),
    path("followups/", followup_views.followup_list, name="followup_list"),
    path("followups/<int:pk>/edit/", followup_views.followup_edit, name="followup_edit"),
    path("followups/<int:pk>/delete/", followup_views.followup_delete, name="followup_delete"),
    # 招商一线 — the lead register's pages (issue 16, leads part)
    path("leads/", lead_views.lead_list, name="lead_list"),
    path("leads/new/", lead_views.lead_new, name="lead_new"),
    path("leads/claims/", lead_views.claim_list, name="claim_list"),
    path("leads/claims/<int:pk>/", lead_views.claim_settle, name="claim_settle"),
    path("leads/<int:pk>/edit/", lead_views.lead_edit, name="lead_edit"),
    path("leads/<int:pk>/assign/", lead_views.lead_assign, name="lead_assign"),
    path("leads/<int:pk>/judge/", lead_views.lead_judge, name="lead_judge"),
    path("leads/<int:pk>/referrer/", lead_views.lead_tell, name="lead_tell"),
    path("leads/<int:pk>/transfer/", lead_views.lead_transfer, name="lead_transfer"),
    path("projects/<int:pk>/lead/", lead_views.lead_attach, name="lead_attach"),
    # 观摩评比 (issue 18): the bureau's events, the judges' phone scoring, the results
    path("observation/", observation_views.event_list, name="observation_list"),
    path("observation/new/", observation_views.event_create, name="observation_create"),
    path("observation/judge/", observation_views.judge_home, name="observation_judge"),
    path("observation/<int:pk>/", observation_views.event_edit, name="observation_edit"),
    path("observation/<int:pk>/change/", observation_views.event_change, name="observation_change"),
    path("observation/<int:pk>/result/", observation_views.event_result, name="observation_result"),
    path("observation/<int:pk>/score/", observation_views.score, name="observation_score"),
    path("observation/<int:pk>/score/submit/", observation_views.submit, name="observation_submit"),
    path("observation/<int:pk>/judges/<int:judge_pk>/score/", observation_views.enter, name="observation_enter"),
    path(
        "observation/<int:pk>/judges/<int:judge_pk>/submit/",
        observation_views.enter_submit,
        name="observation_enter_submit",
    ),
    # 产业链 — laying out the chains (issue 17, part A1); /chains/ and /chains/<id>/ are the overview and map (A2)
    path("chains/manage/", chain_views.chain_manage, name="chain_manage"),
    path("chains/new/", chain_views.chain_create, name="chain_create"),
    path("chains/unmapped/", chain_mapping.chain_unmapped, name="chain_unmapped"),
    path("chains/<int:pk>/edit/", chain_views.chain_edit, name="chain_edit"),
    path("chains/<int:pk>/delete/", chain_views.chain_delete, name="chain_delete"),
    path("chains/<int:pk>/targets/", chain_views.chain_targets, name="chain_targets"),
    path("chains/<int:pk>/links/new/", chain_views.link_add, name="chain_link_add"),
    path("chains/<int:pk>/links/<int:link_pk>/edit/", chain_views.link_edit, name="chain_link_edit"),
    path("chains/<int:pk>/links/<int:link_pk>/move/", chain_views.link_move, name="chain_link_move"),
    path("chains/<int:pk>/links/<int:link_pk>/delete/", chain_views.link_delete, name="chain_link_delete"),
    # 产业链: the chain map and the coverage overview (i17 chain map)
    path("chains/", chain_map_views.chain_overview, name="chain_overview"),
    path("chains/<int:pk>/", chain_map_views.chain_map, name="chain_map"),
    # 产业链: carriers (载体) — issue 17 part C
    path("carriers/", carrier_views.carrier_list, name="carrier_list"),
    path("carriers/new/", carrier_views.carrier_create, name="carrier_create"),
    path("carriers/<int:pk>/", carrier_views.carrier_detail, name="carrier_detail"),
    path("carriers/<int:pk>/edit/", carrier_views.carrier_edit, name="carrier_edit"),
    path("carriers/<int:pk>/delete/", carrier_views.carrier_delete, name="carrier_delete"),
    path("carriers/<int:pk>/occupancies/new/", carrier_views.occupancy_create, name="occupancy_create"),
    path("carriers/<int:pk>/photos/", carrier_views.photo_upload, name="carrier_photo_upload"),
    path("carriers/occupancies/<int:pk>/edit/", carrier_views.occupancy_edit, name="occupancy_edit"),
    path("carriers/occupancies/<int:pk>/end/", carrier_views.occupancy_end, name="occupancy_end"),
    path("carriers/occupancies/<int:pk>/delete/", carrier_views.occupancy_delete, name="occupancy_delete"),
    path("carriers/photos/<int:pk>/", carrier_views.photo, name="carrier_photo"),
    path("carriers/photos/<int:pk>/delete/", carrier_views.photo_delete, name="carrier_photo_delete"),
    # 佐证材料: files proving a project's figures or a trip — issue 19 (evidence part)
    path("projects/<int:pk>/evidence/", evidence_views.project_upload, name="evidence_project_upload"),
    path("projects/<int:pk>/evidence/photo/", evidence_views.project_photo, name="evidence_project_photo"),
    path("trips/<int:pk>/evidence/", evidence_views.trip_upload, name="evidence_trip_upload"),
    path("evidence/<int:pk>/", evidence_views.download, name="evidence_file"),
    path("evidence/<int:pk>/delete/", evidence_views.delete, name="evidence_delete"),
    # 考核激励: the assessment schemes and their inputs — issue 18 (schemes part)
    path("assessment/", scheme_views.scheme_list, name="assessment_list"),
    path("assessment/new/", scheme_views.scheme_create, name="assessment_create"),
    path("assessment/upload/", scheme_views.scheme_upload, name="assessment_upload"),
    path("assessment/<int:pk>/edit/", scheme_views.scheme_edit, name="assessment_edit"),
    path("assessment/<int:pk>/delete/", scheme_views.scheme_delete, name="assessment_delete"),
    path("assessment/<int:pk>/scheme.json", scheme_views.scheme_json, name="assessment_json"),
    path("assessment/<int:pk>/inputs/", scheme_views.scheme_inputs, name="assessment_inputs"),
    path("assessment/<int:pk>/result/", assessment_views.assessment_result, name="assessment_result"),
    path("assessment/<int:pk>/publish/", assessment_views.assessment_publish, name="assessment_publish"),
    path("assessment/<int:pk>/items/new/", scheme_views.item_create, name="assessment_item_create"),
    path("assessment/<int:pk>/items/<int:item_pk>/edit/", scheme_views.item_edit, name="assessment_item_edit"),
    path("assessment/<int:pk>/items/<int:item_pk>/delete/", scheme_views.item_delete, name="assessment_item_delete"),
    path("assessment/<int:pk>/items/<int:item_pk>/move/", scheme_views.item_move, name="assessment_item_move"),
    # 考核激励: 表彰 (honours) — issue 18
    path("honours/", honours_views.honours_list, name="honours_list"),
    path("honours/new/", honours_views.honours_new, name="honours_new"),
    path("honours/<int:pk>/", honours_views.honours_detail, name="honours_detail"),
    path("honours/<int:pk>/edit/", honours_views.honours_edit, name="honours_edit"),
    path("honours/<int:pk>/propose/", honours_views.honours_propose, name="honours_propose"),
    path("honours/<int:pk>/units/add/", honours_views.honours_unit_add, name="honours_unit_add"),
    path("honours/units/<int:pk>/remove/", honours_views.honours_unit_remove, name="honours_unit_remove"),
    path("honours/<int:pk>/nominate/", honours_views.honours_nominate, name="honours_nominate"),
    path("honours/nominations/<int:pk>/decide/", honours_views.honours_decide, name="honours_decide"),
    path("honours/<int:pk>/finalize/", honours_views.honours_finalize, name="honours_finalize"),
    # 考核激励: 宣传 (typical cases) and 培训 (training) — issue 18
    # 认定 (verification): the queue, a unit's own items, the settings, the 认定 role's grants
    path("verification/", verification_views.queue, name="verification_queue"),
    path("verification/mine/", verification_views.mine, name="verification_mine"),
    path("verification/projects/<int:pk>/decide/", verification_views.decide, name="verification_decide"),
    path("verification/pass/", verification_views.bulk_pass, name="verification_bulk_pass"),
    path("verification/rules/", verification_views.rules_page, name="verification_rules"),
    path("verification/deciders/", verification_views.deciders, name="verification_deciders"),
    path(
        "verification/deciders/<int:pk>/revoke/", verification_views.decider_revoke, name="verification_decider_revoke"
    ),
    path("cases/", outreach_views.case_list, name="case_list"),
    path("cases/new/", outreach_views.case_create, name="case_create"),
    path("cases/<int:pk>/", outreach_views.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", outreach_views.case_edit, name="case_edit"),
    path("cases/<int:pk>/delete/", outreach_views.case_delete, name="case_delete"),
    path("cases/<int:pk>/photos/", outreach_views.case_photo_upload, name="case_photo_upload"),
    path("cases/photos/<int:pk>/", outreach_views.case_photo, name="case_photo"),
    path("cases/photos/<int:pk>/delete/", outreach_views.case_photo_delete, name="case_photo_delete"),
    # 数据质量 — anomaly flags (issue 19)
    path("quality/", quality_views.flag_list, name="quality_list"),
    path("quality/settings/", quality_views.quality_settings, name="quality_settings"),
    path("quality/<int:pk>/", quality_views.flag_detail, name="quality_flag"),
    path("quality/<int:pk>/explain/", quality_views.flag_explain, name="quality_explain"),
    path("quality/<int:pk>/close/", quality_views.flag_close, name="quality_close"),
    path("training/", outreach_views.training_list, name="training_list"),
    path("training/new/", outreach_views.training_create, name="training_create"),
    path("training/hours/", outreach_views.training_hours, name="training_hours"),
    path("training/<int:pk>/", outreach_views.training_detail, name="training_detail"),
    path("training/<int:pk>/edit/", outreach_views.training_edit, name="training_edit"),
    path("training/<int:pk>/delete/", outreach_views.training_delete, name="training_delete"),
]
