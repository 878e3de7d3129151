"""Plain-words reasons for every decision, each naming the rule ids behind it, in English and
Chinese.

Planners read these in the ``reason`` (English) and ``reason_zh`` (Chinese) columns of
``parks`` and ``zones`` and in the report, so they say what decided, with the figures that
decided it:
``"R7: joins 嘉兴经济技术开发区 — 1.2 km, same division C38"`` /
``"R7：并入嘉兴经济技术开发区——相距1.2公里，同属C38大类"``.

Every builder takes ``lang`` (``"en"``, the default, or ``"zh"``). The Chinese text is written
from the same figures with its own template, in the policy's terms (主平台, 分区（分园）, 退出,
亩均, 可开发空间, 规上工业增加值, GB/T 4754 门类/大类/中类/小类); it names the same rule ids and
shows the same numbers as the English one.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..i18n import WORDS, check_lang, tr
from .eligibility import DISTANCE_TOL_KM

__all__ = [
    "LANGS",
    "km",
    "join_reason",
    "no_platform_reason",
    "zone_no_platform_reason",
    "unreachable_reason",
    "quota_reason",
    "ceiling_reason",
    "chain_reason",
    "not_joined_reason",
    "r4_explanation",
    "r4_explanations",
    "forced_main_reason",
    "main_reason",
    "flagged_not_main_reason",
    "r3_not_main_reason",
    "weak_zone_reason",
    "r4_reach_reason",
    "r3_forced_note",
    "r3_problem",
    "town_reason",
    "R10_TESTS",
    "r10_reason",
    "joined_reasons",
]

#: the languages every reason is written in
LANGS = ("en", "zh")


def _sep(lang):
    """The separator a reason's clauses are joined with ("；" in Chinese; sub-points "，")."""
    return tr("reason.separator", lang)


def _zh(lang):
    """``lang`` is Chinese (an unknown language is refused by :func:`check_lang`); the two
    known ones answered without a call, as every reason asks several times."""
    if lang == "zh":
        return True
    if lang == "en":
        return False
    return check_lang(lang) == "zh"


def km(d, lang="en"):
    """A distance for people: ``0 km (adjacent)``, ``1.2 km``, ``14 km`` (``1.2公里`` in zh)."""
    unit = "公里" if _zh(lang) else " km"
    if d <= 0.0005:
        return f"0{unit}（相邻）" if lang == "zh" else "0 km (adjacent)"
    if d < 10:
        return f"{d:.1f}{unit}"
    return f"{d:.0f}{unit}"


def km_beside(d, limit_km, lang="en"):
    """A distance shown with enough digits to see on which side of ``limit_km`` it lies.

    A distance within :data:`~parkgeo.consolidate.eligibility.DISTANCE_TOL_KM` of the limit
    counts as within it; beyond that, ``km(d)`` could read as the limit itself (``5.0 km``),
    so digits are added until it does not (up to metres and millimetres).

    >>> km_beside(5.0004, 5.0)
    '5.0004 km'
    >>> km_beside(7.6, 5.0)
    '7.6 km'
    """
    text = km(d, lang)
    if d > limit_km + DISTANCE_TOL_KM:
        for digits in range(2, 7):
            if round(d, digits - 1) > limit_km:
                break
            text = f"{d:.{digits}f}{'公里' if _zh(lang) else ' km'}"
    return text


def _apart(d, lang, limit_km=None):
    """A distance between two places: ``1.2 km`` / ``相距1.2公里``, ``相邻（0公里）``."""
    show = km(d, lang) if limit_km is None else km_beside(d, limit_km, lang)
    if lang == "en":
        return show
    if d <= 0.0005:
        return "相邻（0公里）"
    return "相距" + show


def _mu(x, lang="en"):
    return f"{x:,.0f}亩" if lang == "zh" else f"{x:,.0f} mu"


def _yi(x, lang="en"):
    return f"{x:,.1f}亿元" if lang == "zh" else f"{x:,.1f} 亿元"


def _ordinal(k):
    if 10 <= k % 100 <= 20:
        return f"{k}th"
    return f"{k}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(k % 10, 'th')}"


def _r8_prefix(county, lang):
    if _zh(lang):
        return f"R8：{county}不再保留镇（街道）工业园区；"
    return f"R8: {county} keeps no town parks of its own; "


def _stays(zone, lang):
    if not zone:
        return ""
    return "；维持现状" if _zh(lang) else "; stays as it is"


# ------------------------------------------------------------------------------------------
# parks and zones that are candidates of the optimizer (R7, R8, R11, R2)
# ------------------------------------------------------------------------------------------


def join_reason(platform, distance_km, phrase, *, limit_km, zone=False, r8_county=None,
                via=None, lang="en"):
    """Reason of a sub-zone: ``R7: joins <platform> — 1.2 km, same division C38``.

    ``phrase`` is the relatedness phrase in ``lang``
    (:func:`parkgeo.consolidate.relatedness.explain`); ``via``: in connected mode, the
    neighbouring sub-zone of the chain (beyond the limit).

    Examples
    --------
    >>> join_reason("嘉兴经济技术开发区", 1.2, "same division C38", limit_km=5)
    'R7: joins 嘉兴经济技术开发区 — 1.2 km, same division C38'
    >>> join_reason("嘉兴经济技术开发区", 1.2, "同属C38大类", limit_km=5, lang="zh")
    'R7：并入嘉兴经济技术开发区——相距1.2公里，同属C38大类'
    """
    chain = distance_km > limit_km + DISTANCE_TOL_KM
    if _zh(lang):
        how = (f"经由已并入的分区{via or ''}连通，") if chain else ""
        what = "作为分区（分园）" if zone else ""
        text = f"R7：{how}{what}并入{platform}——{_apart(distance_km, lang)}，{phrase}"
    else:
        how = (" through a chain of its sub-zones" + (f" (via {via})" if via else "")) \
            if chain else ""
        what = " as a sub-zone" if zone else ""
        text = f"R7: joins {platform}{what}{how} — {km(distance_km)}, {phrase}"
    if r8_county:
        text = _r8_prefix(r8_county, lang) + text
    return text


def no_platform_reason(county, *, r8=False, zones=(), lang="en"):
    """Exit reason of a park in a county with no main platform (R6, R12).

    ``zones``: (name, why it is not a main platform) of the county's development zones, when
    it has some that may not anchor a platform.

    >>> no_platform_reason("嘉善县", lang="zh")
    'R6：嘉善县没有可作为重大平台主平台的开发区；R12：重大平台外不得保留工业园区'
    >>> no_platform_reason("甲县", zones=[("甲开发区", "main_platform = false")])[:76]
    "R6: none of 甲县's development zones may anchor a major platform (甲开发区: main_p"
    """
    if _zh(lang):
        r12 = "R12：重大平台外不得保留工业园区"
        if r8:
            return f"R8：{county}不再保留镇（街道）工业园区，且没有主平台可以承接（R6）；{r12}"
        if zones:
            why = "；".join(f"{name}：{text}" for name, text in zones)
            return f"R6：{county}的开发区均不能作为重大平台的主平台（{why}）；{r12}"
        return f"R6：{county}没有可作为重大平台主平台的开发区；{r12}"
    if r8:
        return (f"R8: {county} keeps no town parks of its own and has no main platform to take "
                "it (R6); R12: no park may stay outside a major platform")
    if zones:
        why = "; ".join(f"{name}: {text}" for name, text in zones)
        return (f"R6: none of {county}'s development zones may anchor a major platform ({why}); "
                "R12: no park may stay outside a major platform")
    return (f"R6: {county} has no development zone to anchor a major platform; R12: no park "
            "may stay outside a major platform")


def zone_no_platform_reason(county, lang="en"):
    """A zone that is not a main platform, in a county with none to join (R6).

    >>> zone_no_platform_reason("嘉善县", "zh")
    '维持现状：嘉善县没有可并入的主平台（R6）'
    """
    if _zh(lang):
        return f"维持现状：{county}没有可并入的主平台（R6）"
    return f"stays as it is: {county} has no main platform to join (R6)"


def unreachable_reason(options, *, limit_km, min_relatedness, wide_km, connected=False,
                       r8_county=None, zone=False, lang="en"):
    """Why no main platform can take a candidate (R7).

    Parameters
    ----------
    options : list of (platform name, distance km or None, relatedness, phrase, allowed)
        One entry per main platform of the county (distance None: beyond ``wide_km``);
        ``phrase`` in ``lang``.

    Examples
    --------
    >>> unreachable_reason([("嘉兴工业园区", 7.6, 0.25, "仅同属C门类", True)], limit_km=5,
    ...                    min_relatedness=0.5, wide_km=20, lang="zh")
    'R7：没有既在5公里内、又产业关联度较高的主平台——嘉兴工业园区：相距7.6公里，距离过远且产业关联度不足（仅同属C门类）'
    """
    zh = _zh(lang)
    parts = []
    for name, d, rel, phrase, allowed in options:
        if not allowed:
            parts.append(f"{name}：属其他县（市、区）" if zh else f"{name}: another county")
            continue
        if zh:
            where = f"相距超过{km(wide_km, lang)}" if d is None else _apart(d, lang, limit_km)
        else:
            where = f"more than {km(wide_km)}" if d is None else km_beside(d, limit_km)
        far = d is None or d > limit_km + DISTANCE_TOL_KM
        if rel < min_relatedness:
            if zh:
                parts.append(f"{name}：{where}，{'距离过远且' if far else ''}产业关联度不足"
                             f"（{phrase}）")
            else:
                parts.append(f"{name}: {where}, {'too far and ' if far else ''}industries not "
                             f"related enough ({phrase})")
        elif far:
            parts.append(f"{name}：{where}，距离过远（{phrase}）" if zh
                         else f"{name}: {where}, too far ({phrase})")
        elif zh:
            parts.append(f"{name}：{where}，{phrase}，但没有分区链与之连通" if connected
                         else f"{name}：{where}，{phrase}")
        else:
            parts.append(f"{name}: {where}, {phrase}, but no chain of sub-zones reaches it"
                         if connected else f"{name}: {where}, {phrase}")
    if zh:
        text = _unreachable_head(limit_km, "zh") + ("——" + "；".join(parts) if parts else "")
    else:
        text = _unreachable_head(limit_km, "en") + (" — " + "; ".join(parts) if parts else "")
    text += _stays(zone, lang)
    if r8_county:
        text = _r8_prefix(r8_county, lang) + text
    return text


@lru_cache(maxsize=64)
def _unreachable_head(limit_km, lang):
    """The first words of :func:`unreachable_reason` (the same for every candidate of a run)."""
    if lang == "zh":
        return f"R7：没有既在{limit_km:g}公里内、又产业关联度较高的主平台"
    return f"R7: no main platform is both within {limit_km:g} km and related"


def _kept_because(cause, lang):
    """Why R11 took a park that is not among the weakest: the level or rule that decided
    (``floors``, ``ceilings`` or ``chain``)."""
    return tr(f"reason.kept_because.{cause}", lang)


def quota_reason(county, score, rank_from_bottom, n_remaining, quota, n_parks, weakest,
                 lang="en", *, cause="floors"):
    """Exit reason of a park the R11 quota takes.

    ``weakest``: the park is among the weakest that the quota takes; otherwise ``cause``
    (``floors``, ``ceilings`` or ``chain``) names what kept weaker parks in.

    >>> quota_reason("南湖区", 0.42, 1, 12, 3, 9, True, lang="zh")
    'R11配额：南湖区剩余园区中亩均综合得分最低（0.42，12个中倒数第1）；9个园区中须退出3个'
    """
    if _zh(lang):
        where = f"{n_remaining}个中倒数第{rank_from_bottom}"
        if weakest:
            low = "最低" if rank_from_bottom == 1 else "较低"
            return (f"R11配额：{county}剩余园区中亩均综合得分{low}（{score:.2f}，{where}）；"
                    f"{n_parks}个园区中须退出{quota}个")
        return (f"R11配额：{county}{n_parks}个园区中须退出{quota}个；本园区亩均综合得分"
                f"{score:.2f}（{where}）——得分更低的园区因{_kept_because(cause, lang)}而保留")
    if weakest:
        return (f"R11 quota: weakest remaining per-mu score in {county} ({score:.2f}, "
                f"{_ordinal(rank_from_bottom)} lowest of {n_remaining}); {quota} of {n_parks} "
                "parks must exit")
    return (f"R11 quota: {quota} of {n_parks} parks in {county} must exit; per-mu score "
            f"{score:.2f} ({_ordinal(rank_from_bottom)} lowest of {n_remaining}) — weaker "
            f"parks were kept because {_kept_because(cause, lang)}")


def ceiling_reason(caps, *, zone=False, lang="en"):
    """A candidate kept out by platforms' area ceilings (the R2 reading).

    ``caps``: list of (platform name, ceiling in hectares).

    >>> ceiling_reason([("嘉善经济技术开发区", 170.0)], lang="zh")
    '面积上限（R2口径）：并入嘉善经济技术开发区将超出其170公顷的面积上限'
    """
    if _zh(lang):
        return ("面积上限（R2口径）："
                + "；".join(f"并入{name}将超出其{cap:,.0f}公顷的面积上限" for name, cap in caps)
                + _stays(zone, lang))
    return ("area ceiling (R2 reading): "
            + "; ".join(f"{name} would exceed its area ceiling of {cap:,.0f} ha"
                        for name, cap in caps) + _stays(zone, lang))


def chain_reason(distance_km, *, zone=False, lang="en"):
    """Connected mode: no chain of sub-zones links the candidate to a main platform (R7).

    >>> chain_reason(5, lang="zh")
    'R7（连通模式）：没有间距在5公里以内的分区链将其与主平台相连'
    """
    if _zh(lang):
        return (f"R7（连通模式）：没有间距在{distance_km:g}公里以内的分区链将其与主平台相连"
                + _stays(zone, lang))
    return ("R7 (connected mode): no chain of sub-zones within "
            f"{distance_km:g} km links it to a main platform" + _stays(zone, lang))


def not_joined_reason(*, zone=False, lang="en"):
    """An eligible candidate left out because R11 and the R4 floors are better met without it.

    >>> not_joined_reason(lang="zh")
    '未纳入：不纳入该园区更有利于满足R11和R4下限'
    """
    if _zh(lang):
        what = "该开发区" if zone else "该园区"
        return f"未纳入：不纳入{what}更有利于满足R11和R4下限" + _stays(zone, lang)
    return "not joined: R11 and the R4 floors are better served without it" + _stays(zone, lang)


# ------------------------------------------------------------------------------------------
# the R4 note of a platform
# ------------------------------------------------------------------------------------------


def developable_figure(mode, lang="en"):
    """Which developable figure R4 used, as a clause ("" for the default, ``"declared"``).

    >>> developable_figure("lower", "zh")
    '（可开发空间按填报值与土地调查核算值中的较小者计，[consolidate] developable = "lower"）'
    >>> developable_figure("declared")
    ''
    """
    # how each mode but the default is named in a note: reason.developable.<mode>
    if f"reason.developable.{mode}" not in WORDS:
        return ""
    text = tr(f"reason.developable.{mode}", lang)
    setting = f'[consolidate] developable = "{mode}"'
    return f"（{text}，{setting}）" if _zh(lang) else f" ({text}, {setting})"


def r4_explanation(platform, short_mu, short_va, *, limit_km, wide_km, unrelated, far, taken,
                   r10, lang="en", developable="declared"):
    """What keeps a platform below the R4 floors, and what a larger distance limit would give.

    Parameters
    ----------
    platform : str
    short_mu, short_va : float
        Shortfalls in mu and 亿元.
    unrelated : list of (name, distance, mu, va)
        Candidates within the limit whose industries are not related enough.
    far : list of (name, distance or None, mu, va)
        Related candidates beyond the limit (distance None: beyond ``wide_km``).
    taken : list of (name, where, mu, va)
        Eligible candidates that went to another platform or exited (R11).
    r10 : list of (name, mu, va)
        Parks within reach that exited by R10.
    lang : {"en", "zh"}
        Language of the note (the figures are the same).
    developable : {"declared", "measured", "lower"}
        The ``[consolidate] developable`` mode R4 was checked with; the note names any but the
        default.

    Returns
    -------
    (str, dict)
        The note, and the figures behind it (for the JSON report).

    Examples
    --------
    >>> note, fig = r4_explanation("Z1开发区", 3000, 0, limit_km=5, wide_km=20, unrelated=[],
    ...                            far=[], taken=[], r10=[], lang="zh")
    >>> note
    'R4：Z1开发区可开发空间尚缺3,000亩；距离上限以外也没有关联园区：本县（市、区）缺少产业关联的可开发空间'
    """
    facts = _r4_facts(short_mu, short_va, unrelated, far, taken, r10, developable)
    return _r4_words(platform, short_mu, short_va, limit_km, wide_km, unrelated, far, taken, r10,
                     lang, developable, facts), facts[-1]


def r4_explanations(platform, short_mu, short_va, *, limit_km, wide_km, unrelated, far, taken,
                    r10, langs=LANGS, developable="declared"):
    """:func:`r4_explanation` in each of ``langs``: the figures are worked out once (the same
    dict for every language).

    >>> [note for note, _ in r4_explanations("Z1", 3000, 0, limit_km=5, wide_km=20,
    ...                                      unrelated=[], far=[], taken=[], r10=[])][0][:30]
    'R4: Z1 is short by 3,000 mu; n'
    """
    facts = _r4_facts(short_mu, short_va, unrelated, far, taken, r10, developable)
    return [(_r4_words(platform, short_mu, short_va, limit_km, wide_km, unrelated, far, taken,
                       r10, lang, developable, facts), facts[-1]) for lang in langs]


def _r4_facts(short_mu, short_va, unrelated, far, taken, r10, developable):
    """What an R4 note says, in no language: the related parks beyond the limit by distance,
    how many of them would be enough (``k``, None if not), their running sums, and the
    figures for the JSON report."""
    known = sorted((f for f in far if f[1] is not None), key=lambda f: f[1])
    larger = k = None
    cum_mu = cum_va = np.zeros(0)
    if far:
        cum_mu = np.cumsum([f[2] for f in known]) if known else np.zeros(0)
        cum_va = np.cumsum([f[3] for f in known]) if known else np.zeros(0)
        enough = np.flatnonzero((cum_mu >= short_mu - 1e-6) & (cum_va >= short_va - 1e-6))
        if len(enough):
            k = int(enough[0])
            larger = {"distance_km": round(float(known[k][1]), 2), "parks": k + 1,
                      "developable_mu": float(cum_mu[k]), "industrial_va_100m": float(cum_va[k])}
    figures = {
        "shortfall_mu": float(short_mu), "shortfall_va_100m": float(short_va),
        "developable_figure": developable,
        "unrelated_within_limit": [{"name": n, "distance_km": round(d, 2), "developable_mu": m,
                                    "industrial_va_100m": v} for n, d, m, v in unrelated],
        "related_beyond_limit": [{"name": n, "distance_km": None if d is None else round(d, 2),
                                  "developable_mu": m, "industrial_va_100m": v}
                                 for n, d, m, v in far],
        "taken_elsewhere": [{"name": n, "where": w, "developable_mu": m, "industrial_va_100m": v}
                            for n, w, m, v in taken],
        "r10_exits_within_reach": [{"name": n, "developable_mu": m, "industrial_va_100m": v}
                                   for n, m, v in r10],
        "larger_limit": larger,
    }
    return known, k, cum_mu, cum_va, figures


def _r4_words(platform, short_mu, short_va, limit_km, wide_km, unrelated, far, taken, r10, lang,
              developable, facts):
    """The note of :func:`r4_explanation` in ``lang``, from :func:`_r4_facts`."""
    known, k, cum_mu, cum_va, _ = facts
    zh = _zh(lang)
    gaps = []
    if short_mu > 1e-6:
        gaps.append(f"可开发空间尚缺{_mu(short_mu, lang)}" if zh else _mu(short_mu))
    if short_va > 1e-6:
        gaps.append(f"规上工业增加值尚缺{_yi(short_va, lang)}" if zh else _yi(short_va))
    parts = [(f"R4：{platform}{'，'.join(gaps)}" if zh
              else f"R4: {platform} is short by {' and '.join(gaps)}")
             + developable_figure(developable, lang)]
    if unrelated:
        mu = sum(u[2] for u in unrelated)
        if zh:
            names = "、".join(u[0] for u in unrelated[:5]) + ("等" if len(unrelated) > 5 else "")
            parts.append(f"{km(limit_km, lang)}内有{len(unrelated)}个园区产业关联度不足（{names}，"
                         f"共{_mu(mu, lang)}）")
        else:
            names = ", ".join(u[0] for u in unrelated[:5]) + (" …" if len(unrelated) > 5 else "")
            parts.append(f"{len(unrelated)} park(s) within {km(limit_km)} are not "
                         f"industry-related ({names}; {_mu(mu)})")
    if r10:
        mu = sum(r[1] for r in r10)
        parts.append(f"可及范围内有{len(r10)}个园区按R10退出（共{_mu(mu, lang)}）" if zh
                     else f"{len(r10)} park(s) within reach exit by R10 ({_mu(mu)})")
    if taken:
        mu = sum(t[2] for t in taken)
        parts.append(f"{len(taken)}个符合条件的园区已并入其他平台或按R11退出（共{_mu(mu, lang)}）"
                     if zh else f"{len(taken)} eligible park(s) went elsewhere or exit by R11 "
                     f"({_mu(mu)})")
    if far:
        if k is not None:
            if zh:
                parts.append(f"另有{len(far)}个关联园区在{km(limit_km, lang)}以外；距离上限放宽到"
                             f"{km(known[k][1], lang)}可纳入其中{k + 1}个（{_mu(cum_mu[k], lang)}，"
                             f"{_yi(cum_va[k], lang)}）——仅从数量看已足够，前提是这些园区未按R11"
                             "退出、也未并入其他平台")
            else:
                parts.append(f"{len(far)} related park(s) lie beyond {km(limit_km)}; a limit of "
                             f"{km(known[k][1])} would bring {k + 1} of them ({_mu(cum_mu[k])}, "
                             f"{_yi(cum_va[k])}) within reach — enough on paper, if R11 and the "
                             "other platforms leave them")
        else:
            tot_mu = float(cum_mu[-1]) if len(cum_mu) else 0.0
            tot_va = float(cum_va[-1]) if len(cum_va) else 0.0
            if zh:
                parts.append(f"另有{len(far)}个关联园区在{km(limit_km, lang)}以外，但"
                             f"{km(wide_km, lang)}内合计也只有{_mu(tot_mu, lang)}和"
                             f"{_yi(tot_va, lang)}：可及范围内产业关联的可开发空间不足")
            else:
                parts.append(f"{len(far)} related park(s) lie beyond {km(limit_km)}, but even "
                             f"within {km(wide_km)} they hold only {_mu(tot_mu)} and "
                             f"{_yi(tot_va)}: not enough related space in reach")
    else:
        parts.append("距离上限以外也没有关联园区：本县（市、区）缺少产业关联的可开发空间" if zh
                     else "no related park lies beyond the limit either: the county lacks the "
                     "related space")
    return _sep(lang).join(parts)


# ------------------------------------------------------------------------------------------
# main platforms (R3, R6) and the rule classification of parks (R7, R10)
# ------------------------------------------------------------------------------------------

def _level(level, lang):
    if _zh(lang) and f"reason.level.{level}" in WORDS:
        return tr(f"reason.level.{level}", lang)
    return str(level)


def _standing(standing, county, lang):
    """A zone's development score and rank in its county: (score, rank, n zones)."""
    score, rank, n = standing
    if _zh(lang):
        if n == 1:
            return f"发展水平得分{score:.2f}，为{county}唯一的开发区"
        return f"发展水平得分{score:.2f}，在{county}{n}个开发区中排第{rank}"
    if n == 1:
        return f"development score {score:.2f}, the only zone in {county}"
    return f"development score {score:.2f}, {_ordinal(int(rank))} of {n} zones in {county}"


def forced_main_reason(how, county, lang="en"):
    """A main platform forced by the data (``how="data"``) or the scenario (``"scenario"``).

    >>> forced_main_reason("scenario", "南湖区", "zh")
    'R6：主平台（情景设置中为南湖区指定）'
    """
    if _zh(lang):
        return ("R6：主平台（数据中指定为主平台）" if how == "data"
                else f"R6：主平台（情景设置中为{county}指定）")
    return ("R6: main platform (main_platform = true in the data)" if how == "data"
            else f"R6: main platform (listed in the scenario's main_zones for {county})")


def main_reason(level, standing, county, lang="en"):
    """A main platform chosen by level and development score (R6).

    ``standing``: (development score, rank in the county, zones in the county).

    >>> main_reason("national", (1.2, 1, 2), "平湖市", "zh")
    'R6：主平台——国家级开发区'
    >>> main_reason("provincial", (0.81, 2, 2), "平湖市", "zh")
    'R6：主平台——省级开发区，发展水平得分0.81，在平湖市2个开发区中排第2'
    """
    if level == "national":
        return "R6：主平台——国家级开发区" if _zh(lang) else \
            "R6: main platform — national development zone"
    if _zh(lang):
        return f"R6：主平台——省级开发区，{_standing(standing, county, lang)}"
    return f"R6: main platform — provincial zone, {_standing(standing, county, lang)}"


def flagged_not_main_reason(lang="en"):
    """A zone the data keeps from being a main platform (R6)."""
    if _zh(lang):
        return "R6：不作为主平台（数据中指定不作为主平台）"
    return "R6: not a main platform (main_platform = false in the data)"


def zone_type_not_main_reason(kind, lang="en"):
    """A zone whose type the scenario keeps from being a main platform (R6).

    >>> zone_type_not_main_reason("customs_special", "zh")
    'R6：海关特殊监管区域不是产业平台，不作为主平台（情景设置）'
    """
    from ..catalogue import ZONE_KINDS

    if _zh(lang):
        return f"R6：{ZONE_KINDS.get(kind, (kind,))[0]}不是产业平台，不作为主平台（情景设置）"
    return (f"R6: not a main platform: a {kind.replace('_', ' ')} zone is not an industrial "
            "platform (scenario setting not_main_zone_types)")


def r3_not_main_reason(county, limit, extra, level, standing, lang="en"):
    """A zone left out because the county's platforms are already chosen (R3).

    ``extra``: the scenario's reason for more than two platforms (shown as given).

    >>> r3_not_main_reason("南湖区", 2, "", "provincial", (0.7, 3, 3), "zh")
    'R3：南湖区保留2家重大平台；不作为主平台（省级开发区，发展水平得分0.70，在南湖区3个开发区中排第3）'
    """
    if _zh(lang):
        return (f"R3：{county}保留{limit}家重大平台{f'（{extra}）' if extra else ''}；"
                f"不作为主平台（{_level(level, lang)}，{_standing(standing, county, lang)}）")
    return (f"R3: {county} keeps {limit} major platform{'s' if limit != 1 else ''}"
            f"{f' ({extra})' if extra else ''}; not a main platform ({level}, "
            f"{_standing(standing, county, lang)})")


def weak_zone_reason(standing, county, share, lang="en"):
    """A provincial zone below ``share`` of the county's best development score (R6).

    >>> weak_zone_reason((0.3, 2, 2), "南湖区", 0.6, "zh")
    'R6：发展水平不足以作为主平台（发展水平得分0.30，在南湖区2个开发区中排第2，低于本县最高得分的60%）'
    """
    if _zh(lang):
        return (f"R6：发展水平不足以作为主平台（{_standing(standing, county, lang)}，"
                f"低于本县最高得分的{share:.0%}）")
    return (f"R6: not developed enough for a main platform ({_standing(standing, county, lang)}, "
            f"below {share:.0%} of the county's best)")


def r4_reach_reason(level, standing, county, *, distance_km, reach_mu, reach_va, floor_mu,
                    floor_va, lang="en"):
    """A provincial zone that could not reach the R4 floors even with every related park.

    >>> text = r4_reach_reason("provincial", (0.5, 2, 2), "南湖区", distance_km=5,
    ...                        reach_mu=3000, reach_va=20, floor_mu=10000, floor_va=80, lang="zh")
    >>> print(text.replace("：即使", "：\\n即使"))
    R6/R4：不作为主平台（省级开发区，发展水平得分0.50，在南湖区2个开发区中排第2）：
    即使纳入5公里内全部产业关联的园区，也只有可开发空间3,000亩、规上工业增加值20.0亿元（R4要求10,000亩和80亿元）
    """
    desc = _standing(standing, county, lang)
    if _zh(lang):
        return (f"R6/R4：不作为主平台（{_level(level, lang)}，{desc}）：即使纳入{distance_km:g}"
                f"公里内全部产业关联的园区，也只有可开发空间{reach_mu:,.0f}亩、规上工业增加值"
                f"{reach_va:,.1f}亿元（R4要求{floor_mu:,.0f}亩和{floor_va:,.0f}亿元）")
    return (f"R6/R4: not a main platform ({level}, {desc}): even with every related "
            f"park within {distance_km:g} km it would reach only "
            f"{reach_mu:,.0f} mu and {reach_va:,.1f} 亿元 (R4 needs "
            f"{floor_mu:,.0f} mu and {floor_va:,.0f} 亿元)")


def r3_forced_note(county, limit, n_forced, lang="en"):
    """Added to a forced main platform's reason when more are forced than R3 allows."""
    if _zh(lang):
        return f"；R3：{county}最多保留{limit}家平台，但被指定为主平台的有{n_forced}家"
    return f"; R3: {county} is allowed {limit} platforms but {n_forced} are forced"


def r3_problem(county, n_platforms, max_platforms, lang="en"):
    """The county line of the result's problems when forced platforms break R3."""
    if _zh(lang):
        return (f"{county}：R3：被指定的主平台有{n_platforms}家，但该县（市、区）最多保留"
                f"{max_platforms}家")
    return (f"{county}: R3: {n_platforms} main platforms are forced but the county may keep "
            f"{max_platforms}")


def town_reason(county, lang="en"):
    """A characteristic town its county leaves out of the consolidation (R7).

    >>> town_reason("秀洲区", "zh")
    'R7：特色小镇；秀洲区未将特色小镇纳入整合（不计入R11基数）'
    """
    if _zh(lang):
        return f"R7：特色小镇；{county}未将特色小镇纳入整合（不计入R11基数）"
    return (f"R7: characteristic town; {county} does not include its characteristic towns in "
            "the consolidation (not counted for R11)")


#: R10's exit tests: (field, value that fails, English words, Chinese words)
R10_TESTS = (
    ("conforms_to_plan", False, "does not conform to the planning layout", "不符合规划布局"),
    ("low_small_scattered", True, "industry is low, small and scattered",
     "产业“低小散”"),
    ("hazard", "major", "major environmental or safety hazard", "存在重大环境或安全隐患"),
    ("compatible_with_surroundings", False, "at odds with its surroundings",
     "与周边区域不相协调"),
)


def r10_reason(fields, lang="en"):
    """Exit reason of a park failing R10's tests, named by their fields (in R10_TESTS order).

    >>> r10_reason(["conforms_to_plan", "hazard"], "zh")
    'R10：不符合规划布局；存在重大环境或安全隐患'
    """
    col = 3 if _zh(lang) else 2
    words = [t[col] for t in R10_TESTS if t[0] in set(fields)]
    return ("R10：" if lang == "zh" else "R10: ") + _sep(lang).join(words)


def joined_reasons(first, second, lang="en"):
    """Two reasons of one zone (its main-platform decision, then what became of it)."""
    _zh(lang)
    return f"{first}{_sep(lang)}{second}" if first else second
