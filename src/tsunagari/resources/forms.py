from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagari.resources.models import Audience, ResourceKind, ServiceStatus


class ServiceForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("名称"), max_length=300)
    alternate_name = forms.CharField(label=_("別名（英語名）"), max_length=300, required=False)
    status = forms.ChoiceField(label=_("状態"), choices=ServiceStatus.choices)
    x_kind = forms.ChoiceField(label=_("種別"), choices=ResourceKind.choices)
    x_audience = forms.MultipleChoiceField(
        label=_("対象（相談分野）"),
        choices=Audience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("説明"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    x_easy_description = forms.CharField(
        label=_("やさしい日本語の説明"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    eligibility_description = forms.CharField(
        label=_("対象"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    application_process = forms.CharField(
        label=_("利用のしかた"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    fees_description = forms.CharField(label=_("費用"), max_length=500, required=False)
    alert = forms.CharField(
        label=_("お知らせ"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    x_capacity = forms.IntegerField(label=_("定員"), min_value=0, required=False)
    x_vacancies = forms.IntegerField(label=_("空き"), min_value=0, required=False)
    url = forms.URLField(label=_("URL"), required=False, assume_scheme="https")
    email = forms.EmailField(label=_("メール"), required=False)

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["x_audience"] = ",".join(data.get("x_audience") or [])
        return data


class SearchForm(forms.Form):
    q = forms.CharField(label=_("キーワード"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("種別"), choices=[("", _("すべて")), *ResourceKind.choices], required=False
    )
    town = forms.CharField(label=_("町名"), required=False, max_length=40)
