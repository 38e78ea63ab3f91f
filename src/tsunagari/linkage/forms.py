"""Forms of the linkage pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagari.linkage.models import BasisKind, CandidateStatus, PairDecision


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the service checks each of them."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return super().clean(data, initial)


class ExtractsForm(forms.Form):
    extracts = MultipleFileField(
        label=_("抽出ファイル（.csv、複数選択可）"),
        widget=MultipleFileInput(attrs={"accept": ".csv,text/csv", "multiple": True}),
        required=False,
    )
    as_of = forms.DateField(
        label=_("年齢の基準日（空欄なら今日）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class BasisForm(forms.Form):
    basis_kind = forms.ChoiceField(label=_("法的根拠の種類"), choices=BasisKind.choices)
    basis_text = forms.CharField(
        label=_("目的外利用の根拠（何のために、なぜ使えるのか）"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    basis_reference = forms.CharField(
        label=_("根拠の条項・文書（例: 江東区個人情報保護条例第○条、社会福祉法第106条の4）"),
        max_length=300,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for key in ("basis_text", "basis_reference"):
            if key in data and not str(data[key]).strip():
                self.add_error(key, _("この項目を入力してください。"))
        return data


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("判断"),
        choices=[(v, label) for v, label in CandidateStatus.choices],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("メモ（判断の理由、つないだ先など）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PairDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("この2件の記録は"),
        choices=PairDecision.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("メモ（判断の根拠：確認した書類、本人・担当課への確認など）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
