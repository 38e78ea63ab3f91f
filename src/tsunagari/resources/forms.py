from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagari.resources.models import Audience, ResourceKind, ServiceStatus
from tsunagari.resources.towns import TOWNS

DAY_CHOICES = [
    ("MO", _("月")),
    ("TU", _("火")),
    ("WE", _("水")),
    ("TH", _("木")),
    ("FR", _("金")),
    ("SA", _("土")),
    ("SU", _("日")),
]
WEEK_CHOICES = [
    ("", _("毎週")),
    ("1", _("毎月 第1")),
    ("2", _("毎月 第2")),
    ("3", _("毎月 第3")),
    ("4", _("毎月 第4")),
    ("-1", _("毎月 最終")),
]


def schedule_initial(freq: str, byday: str) -> dict[str, Any]:
    """Form values for an RRULE's FREQ and BYDAY (``2TU`` = 2nd Tuesday)."""
    tokens = [t.strip().upper() for t in byday.split(",") if t.strip()]
    week = tokens[0][:-2] if freq == "MONTHLY" and tokens else ""
    return {"days": [t[-2:] for t in tokens], "week": week}


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
    phone = forms.CharField(
        label=_("電話番号"), max_length=40, required=False, help_text=_("例: 03-1234-5678")
    )
    days = forms.MultipleChoiceField(
        label=_("開催・受付の曜日"),
        choices=DAY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    week = forms.ChoiceField(label=_("くり返し"), choices=WEEK_CHOICES, required=False)
    opens_at = forms.RegexField(
        label=_("開始時刻"),
        regex=r"^([01]\d|2[0-3]):[0-5]\d$",
        required=False,
        help_text=_("例: 09:30"),
    )
    closes_at = forms.RegexField(
        label=_("終了時刻"),
        regex=r"^([01]\d|2[0-3]):[0-5]\d$",
        required=False,
        help_text=_("例: 17:00"),
    )
    url = forms.URLField(label=_("URL"), required=False, assume_scheme="https")
    email = forms.EmailField(label=_("メール"), required=False)

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["x_audience"] = ",".join(data.get("x_audience") or [])
        chosen = set(data.pop("days", None) or [])
        days = [d for d, _label in DAY_CHOICES if d in chosen]
        week = data.pop("week", "") or ""
        data["freq"] = ("MONTHLY" if week else "WEEKLY") if days else ""
        data["byday"] = ",".join(f"{week}{d}" for d in days)
        return data


class SearchForm(forms.Form):
    q = forms.CharField(label=_("キーワード"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("種別"), choices=[("", _("すべて")), *ResourceKind.choices], required=False
    )
    town = forms.CharField(label=_("町名"), required=False, max_length=40)


class NewServiceForm(ServiceForm):
    """A new entry: the service fields plus who runs it and where."""

    organization_name = forms.CharField(
        label=_("運営団体の名称"),
        max_length=300,
        required=False,
        help_text=_("空欄なら名称と同じにします。既にある団体名なら、その団体に追加します。"),
    )
    place_name = forms.CharField(label=_("場所の名称"), max_length=300, required=False)
    town = forms.ChoiceField(label=_("町名"), choices=[(t, t) for t in TOWNS])
    address_1 = forms.CharField(
        label=_("住所（町名から）"), max_length=200, required=False, help_text=_("例: 北砂1-2-3")
    )
    wheelchair = forms.BooleanField(label=_("車いすで利用できる"), required=False)
    x_confidential = forms.BooleanField(
        label=_("所在地を公開しない（シェルターなど）"),
        required=False,
        help_text=_("区民向けページ・公開 API・公開用の書き出しに出なくなります。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["version"]
        self.order_fields(
            ["name", "organization_name", "x_kind", "town", "address_1", "place_name"]
        )


class VerifyForm(forms.Form):
    """The day the entry was checked with its provider; empty means today."""

    on = forms.DateField(
        label=_("確認した日"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("空欄なら今日の日付で記録します。未来の日付は記録できません。"),
    )
