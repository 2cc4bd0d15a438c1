"""The justice API's writes: triage of complaints, what happens in a criminal case (phases,
disposition, defendants, measures, charges, judgments, appeals) and integrity cases.

Each view finds the record through the selectors with the CHANGE action (a record you may not change
answers 404, like one that does not exist), shapes the input with a serializer and calls the same
service as the pages: the service checks the policy again, validates (400 naming the field, nothing
saved) and audits. Defendants, charges and judgments are named by the ids the case detail returns.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tipims.accounts import policy
from tipims.accounts.models import Institution
from tipims.accounts.policy import Action
from tipims.core.models import Department
from tipims.justice import selectors, services
from tipims.justice.api import (
    CaseDetailSerializer,
    ComplaintOutSerializer,
    IntegrityDetailSerializer,
    _codes,
    _complaint_out,
    _integrity_out,
    _text,
    case_detail_data,
)
from tipims.justice.models import PHASES, Charge, CriminalCase, Defendant, Judgment, LegalProvision
from tipims.web.api import ERROR_RESPONSES

MAX_ID = 2**31 - 1  # ids fit every backend's integer column: larger ones are simply unknown


def _id_field(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=help_text)


def _unknown(field: str) -> serializers.ValidationError:
    return serializers.ValidationError({field: [_("This case has no such record.")]})


def _case_to_change(user, reference: str) -> CriminalCase:
    return selectors.get_case_for_user(user, reference, action=Action.CHANGE)


class RecordedSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The id of what was recorded")
    case = CaseDetailSerializer()


def _recorded(user, case: CriminalCase, record_id: int) -> Response:
    case = CriminalCase.objects.select_related("institution", "department").get(pk=case.pk)
    return Response({"id": record_id, "case": case_detail_data(user, case)}, status=status.HTTP_201_CREATED)


# --- triage ----------------------------------------------------------------------------------------


class TriageInSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=["case_opened", *services.TRIAGE_DECISIONS],
        help_text="case_opened: link to `case` or open a new case (number, offence_date, opened_on); "
        "referred: to `referred_to` with a reason; closed: with a reason.",
    )
    reason = _text(2000)
    referred_to = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Institution.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="Institution code",
    )
    on = serializers.DateField(required=False, help_text="Date of the decision (today if not given)")
    case = serializers.CharField(max_length=12, required=False, help_text="An existing case of your office")
    number = serializers.CharField(max_length=20, required=False)
    offence_date = serializers.DateField(required=False)
    opened_on = serializers.DateField(required=False)
    district = _text(80)
    court = _text(120)
    unit = _text(120)
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), required=False, allow_null=True
    )
    exploitation_types = serializers.ListField(
        child=serializers.ChoiceField(choices=_codes("vic_TypeOfExploitation")), required=False, max_length=20
    )
    summary = _text(20000)


_NEW_CASE = ("number", "offence_date", "opened_on")
_CASE_EXTRAS = ("district", "court", "unit", "department", "exploitation_types", "summary")


class ComplaintTriageView(APIView):
    @extend_schema(
        summary="Triage a complaint: open a criminal case, refer it, or close it with a reason",
        request=TriageInSerializer,
        responses={200: ComplaintOutSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, reference: str) -> Response:
        user = request.user
        complaint = selectors.get_complaint_for_user(user, reference, action=Action.CHANGE)
        serializer = TriageInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        decision = values["decision"]
        if decision != "case_opened":
            services.complaint_triage(
                actor=user,
                complaint=complaint,
                decision=decision,
                reason=values.get("reason", ""),
                referred_to=values.get("referred_to"),
                on=values.get("on"),
            )
        elif values.get("case"):
            case = selectors.cases_for_user(user, action=Action.CHANGE).filter(
                reference=values["case"].strip().upper()
            )
            if not case.exists():
                raise serializers.ValidationError({"case": [_("No case of yours has this reference.")]})
            services.criminal_case_link_complaint(actor=user, case=case.get(), complaint=complaint)
        else:
            if not policy.can_create(user, CriminalCase):
                raise PermissionDenied
            missing = [name for name in _NEW_CASE if not values.get(name)]
            if missing:
                raise serializers.ValidationError(
                    {name: [_("Give this to open a case, or name an existing `case`.")] for name in missing}
                )
            services.criminal_case_open(
                actor=user,
                complaints=[complaint],
                **{name: values[name] for name in _NEW_CASE},
                **{name: values[name] for name in _CASE_EXTRAS if values.get(name) is not None},
            )
        complaint = selectors.get_complaint_for_user(user, reference)
        return Response(_complaint_out(user, complaint, with_narrative=False))


# --- what happens in a case ------------------------------------------------------------------------


class PhaseInSerializer(serializers.Serializer):
    phase = serializers.ChoiceField(choices=PHASES)
    date = serializers.DateField()
    note = _text(300)


class CasePhaseView(APIView):
    @extend_schema(
        summary="Move a case to a later phase on a date",
        request=PhaseInSerializer,
        responses={201: RecordedSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = _case_to_change(request.user, reference)
        serializer = PhaseInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = services.criminal_case_advance(actor=request.user, case=case, **serializer.validated_data)
        return _recorded(request.user, case, event.pk)


class DispositionInSerializer(serializers.Serializer):
    disposition = serializers.ChoiceField(choices=_codes("criminal_case_disposition"))
    date = serializers.DateField()


class CaseDispositionView(APIView):
    @extend_schema(
        summary="Record how a case ended (archived, dismissed, judgment...) and close it",
        request=DispositionInSerializer,
        responses={201: RecordedSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = _case_to_change(request.user, reference)
        serializer = DispositionInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = services.criminal_case_dispose(actor=request.user, case=case, **serializer.validated_data)
        return _recorded(request.user, case, case.pk)


class DefendantInSerializer(serializers.Serializer):
    person = serializers.CharField(max_length=12, help_text="A person record of your institution")
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=_codes("per_RoleInProcess")), required=False, max_length=20
    )
    is_public_official = serializers.BooleanField(required=False, default=False)
    official_institution = _text(200)
    official_position = _text(200)


class CaseDefendantView(APIView):
    @extend_schema(
        summary="Add a defendant (a person record of your institution) to a case",
        request=DefendantInSerializer,
        responses={201: RecordedSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = _case_to_change(request.user, reference)
        serializer = DefendantInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        person = selectors.own_person(request.user, values.pop("person"))
        if person is None:
            raise serializers.ValidationError(
                {"person": [_("No person record of your institution has this reference.")]}
            )
        defendant = services.defendant_add(actor=request.user, case=case, person=person, **values)
        return _recorded(request.user, case, defendant.pk)


def _defendant_of(case: CriminalCase, defendant_id: int) -> Defendant:
    defendant = Defendant.objects.filter(pk=defendant_id, case=case).first()
    if defendant is None:
        raise _unknown("defendant")
    return defendant


class MeasureInSerializer(serializers.Serializer):
    defendant = _id_field("Defendant id (from the case detail)")
    kind = serializers.ChoiceField(choices=_codes("justice_measure"))
    date = serializers.DateField()
    place = _text(200)
    ordered_by = _text(200)
    bail_gtq = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True
    )


class CaseMeasureView(APIView):
    @extend_schema(
        summary="Record an arrest (date and place), pretrial detention, house arrest, bail or release",
        request=MeasureInSerializer,
        responses={201: RecordedSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = _case_to_change(request.user, reference)
        serializer = MeasureInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        defendant = _defendant_of(case, values.pop("defendant"))
        measure = services.measure_record(actor=request.user, defendant=defendant, **values)
        return _recorded(request.user, case, measure.pk)


class ChargeInSerializer(serializers.Serializer):
    defendant = _id_field("Defendant id (from the case detail)")
    provision = _id_field("Legal provision id (GET /api/justice/provisions/)")
    filed_on = serializers.DateField()
    offence_date = serializers.DateField(required=False, help_text="The case's offence date if not given")
    aggravating_factors = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, max_length=10
    )


class CaseChargeView(APIView):
    @extend_schema(
        summary="File a charge against a defendant under the provision in force on the offence date",
        request=ChargeInSerializer,
        responses={201: RecordedSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = _case_to_change(request.user, reference)
        serializer = ChargeInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        defendant = _defendant_of(case, values.pop("defendant"))
        provision = LegalProvision.objects.filter(pk=values.pop("provision")).first()
        if provision is None:
            raise serializers.ValidationError({"provision": [_("No legal provision has this id.")]})
        charge = services.charge_file(actor=request.user, defendant=defendant, provision=provision, **values)
        return _recorded(request.user, case, charge.pk)


class JudgmentInSerializer(serializers.Serializer):
    charge = _id_field("Charge id (from the case detail)")
    verdict = serializers.ChoiceField(choices=_codes("verdict"))
    date = serializers.DateField()
    court = _text(200)
    prison_years = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    fine_gtq = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    suspended = serializers.BooleanField(required=False, default=False)
    departure_reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when the sentence is outside the range in force on the date of the offence.",
    )
    is_final = serializers.BooleanField(required=False, default=False)


class CaseJudgmentView(APIView):
    @extend_schema(
        summary="Record the judgment on a charge; a sentence outside the legal range needs a reason",
        request=JudgmentInSerializer,
        responses={201: RecordedSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = _case_to_change(request.user, reference)
        serializer = JudgmentInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        charge = Charge.objects.filter(pk=values.pop("charge"), defendant__case=case).first()
        if charge is None:
            raise _unknown("charge")
        judgment = services.judgment_record(actor=request.user, charge=charge, **values)
        return _recorded(request.user, case, judgment.pk)


class AppealInSerializer(serializers.Serializer):
    judgment = _id_field("Judgment id (from the case detail)")
    filed_by = serializers.ChoiceField(choices=_codes("appeal_party"))
    filed_on = serializers.DateField()
    court = _text(200)
    outcome = serializers.ChoiceField(choices=_codes("appeal_outcome"), required=False, default="pending")
    decided_on = serializers.DateField(required=False, allow_null=True)


class CaseAppealView(APIView):
    @extend_schema(
        summary="Record an appeal against a judgment (and its outcome when decided)",
        request=AppealInSerializer,
        responses={201: RecordedSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = _case_to_change(request.user, reference)
        serializer = AppealInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        judgment = Judgment.objects.filter(pk=values.pop("judgment"), charge__defendant__case=case).first()
        if judgment is None:
            raise _unknown("judgment")
        appeal = services.appeal_record(actor=request.user, judgment=judgment, **values)
        return _recorded(request.user, case, appeal.pk)


# --- legal provisions (reference data, read by anyone signed in) ------------------------------------


class ProvisionOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    offence = serializers.CharField()
    law_es = serializers.CharField()
    law_en = serializers.CharField()
    article = serializers.CharField()
    title_es = serializers.CharField()
    title_en = serializers.CharField()
    effective_from = serializers.DateField()
    repealed_on = serializers.DateField(allow_null=True)
    min_years = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    max_years = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    min_fine_gtq = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    max_fine_gtq = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    aggravations = serializers.ListField(child=serializers.DictField())


class ProvisionListView(APIView):
    @extend_schema(
        summary="Legal provisions, every version, with penalty ranges and aggravating factors",
        responses={200: ProvisionOutSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        return Response(ProvisionOutSerializer(LegalProvision.objects.all(), many=True).data)


# --- integrity cases -------------------------------------------------------------------------------


class IntegrityDetailView(APIView):
    @extend_schema(
        summary="One integrity case (integrity officers of the owning institution only)",
        responses={200: IntegrityDetailSerializer, **ERROR_RESPONSES},
    )
    def get(self, request: Request, reference: str) -> Response:
        case = selectors.get_integrity_case_for_user(request.user, reference)
        return Response(_integrity_out(request.user, case))


class IntegrityOutcomeInSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[c for c in _codes("integrity_outcome") if c != "pending"])
    outcome_on = serializers.DateField()


class IntegrityOutcomeView(APIView):
    @extend_schema(
        summary="Record the outcome of an integrity case (dismissal, sanction, acquittal...)",
        request=IntegrityOutcomeInSerializer,
        responses={200: IntegrityDetailSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = selectors.get_integrity_case_for_user(request.user, reference, action=Action.CHANGE)
        serializer = IntegrityOutcomeInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.integrity_case_decide(actor=request.user, case=case, **serializer.validated_data)
        case = selectors.get_integrity_case_for_user(request.user, reference)
        return Response(_integrity_out(request.user, case))
