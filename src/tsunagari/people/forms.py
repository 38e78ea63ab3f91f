from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagari.people.models import Sex
from tsunagari.people.services import PersonInput


class PersonForm(forms.Form):
    name = forms.CharField(
        label=_("氏名"), max_length=120, help_text=_("例: 山田　太郎（氏と名の間に空白）")
    )
    kana = forms.CharField(
        label=_("フリガナ"),
        max_length=120,
        required=False,
        help_text=_("カタカナ・ひらがな・半角カナのいずれでも"),
    )
    birth_date = forms.CharField(
        label=_("生年月日"),
        max_length=40,
        required=False,
        help_text=_("例: 1948-03-05、昭和23年3月5日、S23.3.5"),
    )
    sex = forms.ChoiceField(label=_("性別"), choices=Sex.choices, required=False)
    address = forms.CharField(
        label=_("住所"), max_length=300, required=False, help_text=_("例: 北砂3-12-5 北砂ハイツ203")
    )
    phone = forms.CharField(label=_("電話"), max_length=40, required=False)
    resident_id = forms.CharField(label=_("宛名番号"), max_length=20, required=False)
    sealed = forms.BooleanField(label=_("閲覧制限（DV・虐待等）"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    confirm_new = forms.BooleanField(label=_("上の候補とは別の人として登録する"), required=False)

    def to_input(self) -> PersonInput:
        d = self.cleaned_data
        return PersonInput(
            name=d["name"],
            kana=d.get("kana") or "",
            birth_date=d.get("birth_date") or "",
            sex=d.get("sex") or "",
            address=d.get("address") or "",
            phone=d.get("phone") or "",
            resident_id=d.get("resident_id") or "",
            sealed=bool(d.get("sealed")),
        )
