"""A figure (a `jjj:Observation`) as one line of text, in zh or en, for tooltips and tables."""

from __future__ import annotations

from jjjkg.readers.facts import Entity, Facts


def number_text(value: float) -> str:
    if abs(value) >= 1e9:
        return f"{value / 1e9:,.4g} billion"
    if abs(value) >= 1e6:
        return f"{value / 1e6:,.4g} million"
    return f"{value:,.10g}"


def figure_text(facts: Facts, entity: Entity, lang: str) -> str:
    """One line for an observation: `注册企业数：累计注册企业超4900家（2023年）` or
    `registered enterprises: more than, cumulative 4,900 (2023)`."""
    fig = entity.figure
    measure = facts.name(fig["measure"], lang) if fig.get("measure") else entity.name(lang)
    year = fig.get("year") or fig.get("end")
    if lang == "zh" and fig.get("stated"):
        when = f"（{year}年）" if year else ""
        return f"{measure}：{fig['stated']}{when}"
    qualifiers = ", ".join(facts.name(q, "en") for q in fig.get("qualifiers", []))
    amount = number_text(fig["value"]) if fig.get("value") is not None else "?"
    if fig.get("upper") is not None:
        amount += "–" + number_text(fig["upper"])
    unit = fig.get("unit") or ""
    if unit.endswith("/percent"):
        amount += "%"
    elif unit.endswith("/rank"):
        amount = "No. " + amount
    elif unit and not unit.endswith("/count"):
        amount += " " + facts.name(unit, "en")
    parts = [f"{measure}: {qualifiers + ' ' if qualifiers else ''}{amount}"]
    if year:
        parts.append(f"({year})")
    if fig.get("baseline"):
        parts.append(f"compared with {fig['baseline']}")
    return " ".join(parts)
