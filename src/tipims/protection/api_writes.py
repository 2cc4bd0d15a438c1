"""The protection API's writes: identifying a victim and everything recorded about them afterwards
(protection cases with their plans, assessments, services and notes; shelters and placements;
consent and referrals; witness protection measures; safe returns).

Each view finds the record through the selectors with the CHANGE action (a record you may not change
answers 404, like one that does not exist), shapes the input with a serializer and calls the same
service as the pages: the service checks the policy again, validates (400 naming the field, nothing
saved) and audits. Vocabulary values are plain strings here on purpose: the service checks them
against the vocabulary, so the API and the pages refuse exactly the same values with the same words.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tipims.accounts import policy
from tipims.accounts.models import Institution, User
from tipims.accounts.policy import Action
from tipims.core.writes import field_error
from tipims.people import services as people_services
from tipims.people.api import PersonInSerializer
from tipims.people.selectors import get_person_record_for_user
from tipims.protection import api, selectors, services
from tipims.protection.models import (
    Consent,
    Placement,
    ProtectionCase,
    ReturnStep,
    Shelter,
    Victim,
    WitnessMeasure,
)
from tipims.web.api import ERROR_RESPONSES


def _text(max_length: int, help_text: str = "") -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, default="", help_text=help_text
    )


def _code(vocabulary: str, **kwargs) -> serializers.CharField:
    """A vocabulary value; the service checks it (the pages refuse the same values the same way)."""
    return serializers.CharField(max_length=80, help_text=f"A `{vocabulary}` vocabulary code", **kwargs)


def _codes(vocabulary: str) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=80),
        required=False,
        max_length=40,
        help_text=f"`{vocabulary}` vocabulary codes",
    )


def _institution(help_text: str, **kwargs) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="code", queryset=Institution.objects.filter(is_active=True), help_text=help_text, **kwargs
    )


def _valid(serializer_class, request: Request, **kwargs) -> dict:
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class ProtectionRecordedSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The id of what was recorded (or changed)")
    reference = serializers.CharField(allow_null=True, help_text="Its reference, when it has one")


def _recorded(record, code: int = status.HTTP_201_CREATED) -> Response:
    return Response({"id": record.pk, "reference": getattr(record, "reference", None)}, status=code)


class ProtectionCaseRecordedSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The id of what was recorded")
    case = api.ProtectionCaseDetailOutSerializer()


def _case_recorded(case: ProtectionCase, record_id: int, code: int = status.HTTP_201_CREATED) -> Response:
    case = ProtectionCase.objects.select_related("victim", "institution", "caseworker").get(pk=case.pk)
    return Response({"id": record_id, "case": api.ProtectionCaseDetailOutSerializer(case).data}, status=code)


def _victim_to_change(user: User, reference: str) -> Victim:
    return selectors.get_victim_for_user(user, reference, action=Action.CHANGE)


def _case_to_change(user: User, reference: str) -> ProtectionCase:
    return selectors.get_case_for_user(user, reference, action=Action.CHANGE)


# --- victims -----------------------------------------------------------------------------------------


class VictimContextInSerializer(serializers.Serializer):
    """The HTCDS victim context; every field optional so that a PATCH changes only what it names."""

    identified_on = serializers.DateField(required=False)
    screening_indicators = _codes("screening_indicator")
    trafficking_status = _code("vic_TraffickingStatus", required=False)
    status_decided_by = _code("vic_TraffickingStatusDecisionMakingOrg", required=False, allow_blank=True)
    recruitment_methods = _codes("vic_MethodOfRecruitment")
    recruitment_place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    control_methods = _codes("vic_MethodsOfControl")
    exploitation_types = _codes("vic_TypeOfExploitation")
    forced_labour_industry = _code("vic_ForcedLabourIndustry", required=False, allow_blank=True)
    sex_exploitation_types = _codes("vic_TypeOfSexExploitation")
    age_when_trafficked = serializers.IntegerField(
        min_value=0, max_value=120, required=False, allow_null=True
    )
    relationship_to_trafficker = _code("vic_RelationshipToTrafficker", required=False, allow_blank=True)


class VictimIdentifyInSerializer(VictimContextInSerializer):
    person = serializers.CharField(
        max_length=12, required=False, help_text="A person record you may see (P-...), or give `new_person`"
    )
    new_person = PersonInSerializer(required=False, help_text="Record the person and the victim together")


class VictimsView(api.VictimListView):
    @extend_schema(
        summary="Identify a victim: of a person record you may see, or of a new person recorded with them",
        request=VictimIdentifyInSerializer,
        responses={201: api.VictimOutSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        user = request.user
        values = _valid(VictimIdentifyInSerializer, request)
        reference, new_person = values.pop("person", ""), values.pop("new_person", None)
        if bool(reference) == bool(new_person):
            raise serializers.ValidationError(
                {"person": [_("Name a person record or give `new_person`, not both.")]}
            )
        if reference:
            try:
                person = get_person_record_for_user(user, reference.strip().upper())
            except Http404:
                raise field_error("person", _("No person record with this reference.")) from None
            victim = services.victim_identify(actor=user, person=person, values=values)
        else:
            documents = [people_services.DocumentInput(**doc) for doc in new_person.pop("documents", [])]
            victim = services.victim_identify_person(
                actor=user, person_values=new_person, documents=documents, values=values
            )
        row = selectors.victim_rows(user, [selectors.get_victim_for_user(user, victim.reference)])[0]
        return Response(api._out(row), status=status.HTTP_201_CREATED)


class VictimView(api.VictimDetailView):
    @extend_schema(
        summary="Change a victim's context (trafficking status, methods, exploitation...)",
        request=VictimContextInSerializer,
        responses={200: api.VictimOutSerializer, **ERROR_RESPONSES},
    )
    def patch(self, request: Request, reference: str) -> Response:
        victim = _victim_to_change(request.user, reference)
        changes = _valid(VictimContextInSerializer, request)
        services.victim_update(actor=request.user, victim=victim, changes=changes)
        row = selectors.victim_rows(request.user, [selectors.get_victim_for_user(request.user, reference)])[0]
        return Response(api._out(row))


# --- protection cases --------------------------------------------------------------------------------


class CaseOpenInSerializer(serializers.Serializer):
    opened_on = serializers.DateField()
    caseworker = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="Username of a caseworker of your institution (you if not given)",
    )


class CaseOpenView(APIView):
    @extend_schema(
        summary="Open a protection case for a victim",
        request=CaseOpenInSerializer,
        responses={201: ProtectionCaseRecordedSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, reference: str) -> Response:
        victim = _victim_to_change(request.user, reference)
        values = _valid(CaseOpenInSerializer, request)
        case = services.protection_case_open(actor=request.user, victim=victim, **values)
        return _case_recorded(case, case.pk)


class CaseStatusInSerializer(serializers.Serializer):
    status = _code("cas_Status")
    closure_reason = _text(2000, "Required when the status closes the case")
    on = serializers.DateField(required=False, help_text="Date of closure (today if not given)")


class CaseStatusView(APIView):
    @extend_schema(
        summary="Change a protection case's status; closing it needs a reason",
        request=CaseStatusInSerializer,
        responses={200: ProtectionCaseRecordedSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = _case_to_change(request.user, reference)
        values = _valid(CaseStatusInSerializer, request)
        case = services.protection_case_set_status(actor=request.user, case=case, **values)
        return _case_recorded(case, case.pk, status.HTTP_200_OK)


class SupportPlanInSerializer(serializers.Serializer):
    plan_type = _code("spl_Type")
    objectives = _text(2000)
    action_plan = _text(4000)
    planned_end = serializers.DateField(required=False, allow_null=True)


class SupportPlanView(APIView):
    @extend_schema(
        summary="Add a support plan to a protection case",
        request=SupportPlanInSerializer,
        responses={201: ProtectionCaseRecordedSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = _case_to_change(request.user, reference)
        values = _valid(SupportPlanInSerializer, request)
        plan = services.support_plan_add(actor=request.user, case=case, **values)
        return _case_recorded(case, plan.pk)


class SupportPlanEndInSerializer(serializers.Serializer):
    actual_end = serializers.DateField()


class SupportPlanEndView(APIView):
    @extend_schema(
        summary="End a support plan on a date",
        request=SupportPlanEndInSerializer,
        responses={200: ProtectionCaseRecordedSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, reference: str, pk: int) -> Response:
        case = _case_to_change(request.user, reference)
        plan = case.plans.filter(pk=pk).first()
        if plan is None:
            raise Http404
        values = _valid(SupportPlanEndInSerializer, request)
        services.support_plan_end(actor=request.user, plan=plan, **values)
        return _case_recorded(case, plan.pk, status.HTTP_200_OK)


class AssessmentInSerializer(serializers.Serializer):
    level = _code("assessment_level")
    assessed_on = serializers.DateField()
    risk_level = _code("risk_level")
    factors = _codes("assessment_factor_<level>")
    notes = _text(4000)


class AssessmentView(APIView):
    @extend_schema(
        summary="Record a risk assessment (individual, family, community or societal level)",
        request=AssessmentInSerializer,
        responses={201: ProtectionCaseRecordedSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = _case_to_change(request.user, reference)
        values = _valid(AssessmentInSerializer, request)
        assessment = services.assessment_record(actor=request.user, case=case, **values)
        return _case_recorded(case, assessment.pk)


class ServiceInSerializer(serializers.Serializer):
    service_type = _code("service_type")
    delivered_on = serializers.DateField()
    provider = serializers.CharField(max_length=200, allow_blank=True)


class ServiceView(APIView):
    @extend_schema(
        summary="Record a service delivered to the victim of a protection case",
        request=ServiceInSerializer,
        responses={201: ProtectionCaseRecordedSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = _case_to_change(request.user, reference)
        values = _valid(ServiceInSerializer, request)
        delivery = services.service_deliver(actor=request.user, case=case, **values)
        return _case_recorded(case, delivery.pk)


class NoteInSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000, allow_blank=True)


class NoteView(APIView):
    @extend_schema(
        summary="Add a note to a protection case (read only by the owning institution)",
        request=NoteInSerializer,
        responses={201: ProtectionRecordedSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = _case_to_change(request.user, reference)
        values = _valid(NoteInSerializer, request)
        return _recorded(services.case_note_add(actor=request.user, case=case, **values))


# --- shelters and placements -------------------------------------------------------------------------


class ShelterInSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, allow_blank=True)
    department = _text(80)
    capacity_female_minor = serializers.IntegerField(min_value=0, max_value=1000, default=0)
    capacity_male_minor = serializers.IntegerField(min_value=0, max_value=1000, default=0)
    capacity_female_adult = serializers.IntegerField(min_value=0, max_value=1000, default=0)
    capacity_male_adult = serializers.IntegerField(min_value=0, max_value=1000, default=0)


class SheltersView(api.ShelterListView):
    @extend_schema(
        summary="Record a shelter of your institution with its places per group",
        request=ShelterInSerializer,
        responses={201: ProtectionRecordedSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        if not policy.can_create(request.user, Shelter):
            raise Http404
        values = _valid(ShelterInSerializer, request)
        capacities = {name: values.pop(name) for name in services.CAPACITY_FIELDS}
        return _recorded(services.shelter_create(actor=request.user, capacities=capacities, **values))


class PlacementInSerializer(serializers.Serializer):
    shelter = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="Shelter id")
    court = serializers.CharField(max_length=200, allow_blank=True)
    court_reference = serializers.CharField(max_length=60, allow_blank=True)
    court_order_date = serializers.DateField(allow_null=True)
    start = serializers.DateField()
    emergency_reason = _text(2000, "Required to place over the shelter's capacity for the victim's group")


class PlacementView(APIView):
    @extend_schema(
        summary="Place a victim in a shelter by court order; a full shelter needs an emergency reason",
        request=PlacementInSerializer,
        responses={201: ProtectionRecordedSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, reference: str) -> Response:
        victim = _victim_to_change(request.user, reference)
        values = _valid(PlacementInSerializer, request)
        shelter = selectors.shelters_for_user(request.user).filter(pk=values.pop("shelter")).first()
        if shelter is None:
            raise serializers.ValidationError({"shelter": [_("No shelter you may see has this id.")]})
        placement = services.placement_create(actor=request.user, victim=victim, shelter=shelter, **values)
        return _recorded(placement)


class PlacementEndInSerializer(serializers.Serializer):
    end = serializers.DateField()


class PlacementEndView(APIView):
    @extend_schema(
        summary="End a placement on a date",
        request=PlacementEndInSerializer,
        responses={200: ProtectionRecordedSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, pk: int) -> Response:
        placement = policy.get_or_404(request.user, Placement.objects.all(), action=Action.CHANGE, pk=pk)
        values = _valid(PlacementEndInSerializer, request)
        placement = services.placement_end(actor=request.user, placement=placement, **values)
        return _recorded(placement, status.HTTP_200_OK)


# --- consent and referrals ---------------------------------------------------------------------------


class ConsentInSerializer(serializers.Serializer):
    purpose = _code("consent_purpose")
    given_on = serializers.DateField()
    shared_with = _institution("Institution code (for a consent to share)", required=False, allow_null=True)


class ConsentView(APIView):
    @extend_schema(
        summary="Record the victim's informed consent (to share with an institution, to be assisted...)",
        request=ConsentInSerializer,
        responses={201: ProtectionRecordedSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, reference: str) -> Response:
        victim = _victim_to_change(request.user, reference)
        values = _valid(ConsentInSerializer, request)
        return _recorded(services.consent_record(actor=request.user, victim=victim, **values))


class ConsentWithdrawView(APIView):
    @extend_schema(
        summary="Withdraw a consent: sharing that rests on it stops at once",
        request=None,
        responses={200: ProtectionRecordedSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, pk: int) -> Response:
        consent = policy.get_or_404(request.user, Consent.objects.all(), action=Action.CHANGE, pk=pk)
        return _recorded(services.consent_withdraw(actor=request.user, consent=consent), status.HTTP_200_OK)


class ReferralInSerializer(serializers.Serializer):
    to_institution = _institution("Institution code")
    reason = _code("cas_ReasonForOutgoingReferral")
    details = _text(2000)
    court_order_reference = _text(120, "A court order: the legal basis to refer without consent")


class ReferralView(APIView):
    @extend_schema(
        summary="Refer a victim to another institution (on a consent to share, or a court order)",
        request=ReferralInSerializer,
        responses={201: ProtectionRecordedSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, reference: str) -> Response:
        victim = _victim_to_change(request.user, reference)
        values = _valid(ReferralInSerializer, request)
        court_order = values.pop("court_order_reference").strip()
        referral = services.referral_create(
            actor=request.user,
            victim=victim,
            legal_basis="court_order" if court_order else "",
            legal_basis_reference=court_order,
            **values,
        )
        return _recorded(referral)


class ReferralDecisionInSerializer(serializers.Serializer):
    accept = serializers.BooleanField(help_text="true to accept the referral, false to decline it")


class ReferralDecideView(APIView):
    @extend_schema(
        summary="Accept or decline a referral your institution received",
        request=ReferralDecisionInSerializer,
        responses={200: ProtectionRecordedSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, reference: str) -> Response:
        referral = selectors.get_referral_for_user(request.user, reference, action=Action.CHANGE)
        if referral.to_institution_id != request.user.institution_id:
            raise Http404  # the sender may change its referral, but only the receiver decides
        values = _valid(ReferralDecisionInSerializer, request)
        referral = services.referral_decide(actor=request.user, referral=referral, **values)
        return _recorded(referral, status.HTTP_200_OK)


# --- witness protection ------------------------------------------------------------------------------


class WitnessMeasureInSerializer(serializers.Serializer):
    criminal_case = serializers.CharField(
        max_length=20, allow_blank=True, help_text="Reference K-... or number"
    )
    measure = _code("witness_measure_type")
    requested_on = serializers.DateField()
    requested_from = serializers.CharField(max_length=200, allow_blank=True)


class WitnessMeasureView(APIView):
    @extend_schema(
        summary="Record a witness protection measure requested for a victim in a criminal case",
        request=WitnessMeasureInSerializer,
        responses={201: ProtectionRecordedSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, reference: str) -> Response:
        victim = _victim_to_change(request.user, reference)
        values = _valid(WitnessMeasureInSerializer, request)
        measure = services.witness_measure_request(
            actor=request.user,
            victim=victim,
            criminal_case=services.criminal_case_by_reference(values.pop("criminal_case")),
            **values,
        )
        return _recorded(measure)


class WitnessDecisionInSerializer(serializers.Serializer):
    granted = serializers.BooleanField(help_text="true if granted, false if denied")
    decided_on = serializers.DateField()
    deciding_authority = serializers.CharField(max_length=200, allow_blank=True)
    decision_reference = _text(60)


class WitnessMeasureDecideView(APIView):
    @extend_schema(
        summary="Record the decision on a requested witness protection measure",
        request=WitnessDecisionInSerializer,
        responses={200: ProtectionRecordedSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, pk: int) -> Response:
        measure = policy.get_or_404(request.user, WitnessMeasure.objects.all(), action=Action.CHANGE, pk=pk)
        values = _valid(WitnessDecisionInSerializer, request)
        measure = services.witness_measure_decide(actor=request.user, witness_measure=measure, **values)
        return _recorded(measure, status.HTTP_200_OK)


# --- safe return -------------------------------------------------------------------------------------


class ReturnInSerializer(serializers.Serializer):
    origin_country = serializers.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")
    receiving_institution = serializers.CharField(max_length=200, allow_blank=True)
    border_point = _code("return_border_point")
    family_member = _text(12, "The receiving family member's person record (P-...)")


class ReturnView(APIView):
    @extend_schema(
        summary="Open a safe return to the country of origin, with its steps to complete in order",
        request=ReturnInSerializer,
        responses={201: ProtectionRecordedSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, reference: str) -> Response:
        user = request.user
        victim = _victim_to_change(user, reference)
        values = _valid(ReturnInSerializer, request)
        family_reference = values.pop("family_member").strip().upper()
        family_member = None
        if family_reference:
            try:
                family_member = get_person_record_for_user(user, family_reference)
            except Http404:
                raise field_error("family_member", _("No person record with this reference.")) from None
        safe_return = services.return_open(actor=user, victim=victim, family_member=family_member, **values)
        return _recorded(safe_return)


class ReturnStepInSerializer(serializers.Serializer):
    done_on = serializers.DateField()
    responsible = serializers.CharField(max_length=200, allow_blank=True)
    outcome = _text(2000)


class ReturnStepView(APIView):
    @extend_schema(
        summary="Record a step of a safe return as done (steps go in order; a child's handover waits)",
        request=ReturnStepInSerializer,
        responses={200: ProtectionRecordedSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, reference: str, step: str) -> Response:
        safe_return = selectors.get_return_for_user(request.user, reference, action=Action.CHANGE)
        step_row = ReturnStep.objects.filter(safe_return=safe_return, step=step).first()
        if step_row is None:
            raise Http404
        values = _valid(ReturnStepInSerializer, request)
        services.return_step_complete(actor=request.user, step=step_row, **values)
        return _recorded(safe_return, status.HTTP_200_OK)
